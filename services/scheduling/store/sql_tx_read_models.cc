// Read models fed by the registration and hubs services' events: stages, experts, hubs.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/db_errors.h"
#include "common/db/time_micros.h"
#include "services/scheduling/store/sql_query.h"
#include "services/scheduling/store/sql_tx.h"

namespace etnik::scheduling::store {
namespace {

using db::CatchDbErrors;
using db::MicrosToTime;
using db::TimeToMicros;

void DeleteWhere(soci::session& session, const char* table, const char* column,
                 const std::string& value) {
  SqlQuery q;
  q << "DELETE FROM " << table << " WHERE " << column << " = ";
  q.Bind(value);
  q.Exec(session);
}

struct StageRow {
  std::string stage, programme, title_ru, title_en, time_zone;
  int kind = 0, removed = 0;
  long long start_us = 0, end_us = 0;
  void Into(soci::statement& st) {
    for (std::string* s : {&stage, &programme, &title_ru, &title_en, &time_zone}) {
      st.exchange(soci::into(*s));
    }
    st.exchange(soci::into(kind));
    st.exchange(soci::into(removed));
    st.exchange(soci::into(start_us));
    st.exchange(soci::into(end_us));
  }
  StageWindow ToStage() const {
    StageWindow s;
    s.stage = stage;
    s.programme = programme;
    s.title = {title_ru, title_en};
    s.time_zone = time_zone;
    s.kind = kind;
    s.removed = removed != 0;
    s.window = {MicrosToTime(start_us), MicrosToTime(end_us)};
    return s;
  }
};
constexpr char kStageColumns[] =
    "stage, programme, title_ru, title_en, time_zone, kind, removed, start_us, end_us";

struct TargetRow {
  StageTarget target;
  void Into(soci::statement& s) {
    s.exchange(soci::into(target.metric));
    s.exchange(soci::into(target.value));
  }
};

std::vector<StageTarget> LoadTargets(soci::session& session, const std::string& stage) {
  SqlQuery q;
  q << "SELECT metric, target_value FROM sched_stage_targets WHERE stage = ";
  q.Bind(stage) << " ORDER BY position";
  std::vector<StageTarget> out;
  q.Fetch<TargetRow>(session, [&](const TargetRow& r) { out.push_back(r.target); });
  return out;
}

struct ExpertRow {
  ExpertProfile p;
  std::string hubs;
  int language = 0;
  void Into(soci::statement& s) {
    s.exchange(soci::into(p.expert));
    s.exchange(soci::into(p.full_name.ru));
    s.exchange(soci::into(p.full_name.en));
    s.exchange(soci::into(p.subject));
    s.exchange(soci::into(p.email));
    s.exchange(soci::into(language));
    s.exchange(soci::into(p.time_zone));
    s.exchange(soci::into(hubs));
    s.exchange(soci::into(p.weekly_session_limit));
  }
};

struct WindowRow {
  int weekday = 0, start = 0, end = 0;
  void Into(soci::statement& s) {
    s.exchange(soci::into(weekday));
    s.exchange(soci::into(start));
    s.exchange(soci::into(end));
  }
};

struct ExceptionRow {
  std::string date, note;
  int available = 0, start = 0, end = 0;
  void Into(soci::statement& s) {
    s.exchange(soci::into(date));
    s.exchange(soci::into(available));
    s.exchange(soci::into(start));
    s.exchange(soci::into(end));
    s.exchange(soci::into(note));
  }
};

struct HubRow {
  HubInfo h;
  int closed = 0;
  void Into(soci::statement& s) {
    s.exchange(soci::into(h.hub));
    s.exchange(soci::into(h.programme));
    s.exchange(soci::into(h.title.ru));
    s.exchange(soci::into(h.title.en));
    s.exchange(soci::into(closed));
  }
};

struct LeadRow {
  PersonRef p;
  int language = 0;
  void Into(soci::statement& s) {
    s.exchange(soci::into(p.id));
    s.exchange(soci::into(p.full_name));
    s.exchange(soci::into(p.email));
    s.exchange(soci::into(p.time_zone));
    s.exchange(soci::into(language));
  }
};

std::string DateText(absl::CivilDay d) { return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day()); }

}  // namespace

absl::StatusOr<std::optional<StageWindow>> SqlTx::GetStage(absl::string_view stage) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<StageWindow>> {
    SqlQuery q;
    q << "SELECT " << kStageColumns << " FROM sched_stages WHERE stage = ";
    q.Bind(std::string(stage));
    std::optional<StageWindow> found;
    q.Fetch<StageRow>(session_, [&](const StageRow& row) { found = row.ToStage(); });
    if (found.has_value()) found->targets = LoadTargets(session_, found->stage);
    return found;
  });
}

absl::StatusOr<std::vector<StageWindow>> SqlTx::ListStages(absl::string_view programme) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<StageWindow>> {
    SqlQuery q;
    q << "SELECT " << kStageColumns << " FROM sched_stages WHERE programme = ";
    q.Bind(std::string(programme)) << " ORDER BY start_us, stage";
    StageRow row;
    std::vector<StageWindow> out;
    {
      soci::statement st(session_);
      q.Prepare(st, [&](soci::statement& s) { row.Into(s); });
      st.execute(false);
      while (st.fetch()) out.push_back(row.ToStage());
    }
    for (StageWindow& s : out) s.targets = LoadTargets(session_, s.stage);
    return out;
  });
}

absl::Status SqlTx::PutStage(const StageWindow& s) {
  return CatchDbErrors([&]() -> absl::Status {
    DeleteWhere(session_, "sched_stage_targets", "stage", s.stage);
    DeleteWhere(session_, "sched_stages", "stage", s.stage);
    SqlQuery q;
    q << "INSERT INTO sched_stages (" << kStageColumns << ") VALUES (";
    q.Bind(s.stage) << ", ";
    q.Bind(s.programme) << ", ";
    q.Bind(s.title.ru) << ", ";
    q.Bind(s.title.en) << ", ";
    q.Bind(s.time_zone) << ", ";
    q.Bind(s.kind) << ", ";
    q.Bind(s.removed ? 1 : 0) << ", ";
    q.Bind(static_cast<long long>(TimeToMicros(s.window.start))) << ", ";
    q.Bind(static_cast<long long>(TimeToMicros(s.window.end))) << ")";
    q.Exec(session_);
    for (size_t i = 0; i < s.targets.size(); ++i) {
      SqlQuery t;
      t << "INSERT INTO sched_stage_targets (stage, position, metric, target_value) VALUES (";
      t.Bind(s.stage) << ", ";
      t.Bind(static_cast<int>(i)) << ", ";
      t.Bind(s.targets[i].metric) << ", ";
      t.Bind(s.targets[i].value) << ")";
      t.Exec(session_);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<ExpertProfile>> SqlTx::GetExpert(absl::string_view expert) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<ExpertProfile>> {
    const std::string key(expert);
    std::optional<ExpertProfile> found;
    {
      SqlQuery q;
      q << "SELECT expert, full_name_ru, full_name_en, subject, email, language, time_zone, hubs,"
           " weekly_limit FROM sched_experts WHERE expert = ";
      q.Bind(key);
      q.Fetch<ExpertRow>(session_, [&](const ExpertRow& row) {
        found = row.p;
        found->language = static_cast<Language>(row.language);
        if (!row.hubs.empty()) found->hubs = absl::StrSplit(row.hubs, '\n');
      });
    }
    if (!found.has_value()) return found;
    ExpertProfile& p = *found;
    {
      SqlQuery q;
      q << "SELECT weekday, start_minute, end_minute FROM sched_expert_windows WHERE expert = ";
      q.Bind(key) << " ORDER BY position";
      q.Fetch<WindowRow>(session_, [&](const WindowRow& w) {
        // Stored Monday = 0 .. Sunday = 6, as absl::Weekday.
        p.weekly.push_back({static_cast<absl::Weekday>(w.weekday), w.start, w.end});
      });
    }
    {
      SqlQuery q;
      q << "SELECT local_date, available, start_minute, end_minute, note"
           " FROM sched_expert_exceptions WHERE expert = ";
      q.Bind(key) << " ORDER BY position";
      q.Fetch<ExceptionRow>(session_, [&](const ExceptionRow& x) {
        AvailabilityException e;
        if (!absl::ParseCivilTime(x.date, &e.date)) return;
        e.available = x.available != 0;
        if (x.start >= 0 && x.end >= 0) {
          e.start = x.start;
          e.end = x.end;
        }
        e.note = x.note;
        p.exceptions.push_back(std::move(e));
      });
    }
    return found;
  });
}

absl::Status SqlTx::PutExpert(const ExpertProfile& p) {
  return CatchDbErrors([&]() -> absl::Status {
    DeleteWhere(session_, "sched_expert_windows", "expert", p.expert);
    DeleteWhere(session_, "sched_expert_exceptions", "expert", p.expert);
    DeleteWhere(session_, "sched_experts", "expert", p.expert);
    SqlQuery q;
    q << "INSERT INTO sched_experts (expert, full_name_ru, full_name_en, subject, email, language,"
         " time_zone, hubs, weekly_limit) VALUES (";
    q.Bind(p.expert) << ", ";
    q.Bind(p.full_name.ru) << ", ";
    q.Bind(p.full_name.en) << ", ";
    q.Bind(p.subject) << ", ";
    q.Bind(p.email) << ", ";
    q.Bind(static_cast<int>(p.language)) << ", ";
    q.Bind(p.time_zone) << ", ";
    q.Bind(absl::StrJoin(p.hubs, "\n")) << ", ";
    q.Bind(p.weekly_session_limit) << ")";
    q.Exec(session_);
    for (size_t i = 0; i < p.weekly.size(); ++i) {
      SqlQuery w;
      w << "INSERT INTO sched_expert_windows (expert, position, weekday, start_minute, end_minute) VALUES (";
      w.Bind(p.expert) << ", ";
      w.Bind(static_cast<int>(i)) << ", ";
      w.Bind(static_cast<int>(p.weekly[i].day)) << ", ";
      w.Bind(p.weekly[i].start) << ", ";
      w.Bind(p.weekly[i].end) << ")";
      w.Exec(session_);
    }
    for (size_t i = 0; i < p.exceptions.size(); ++i) {
      const AvailabilityException& e = p.exceptions[i];
      SqlQuery x;
      x << "INSERT INTO sched_expert_exceptions (expert, position, local_date, available,"
           " start_minute, end_minute, note) VALUES (";
      x.Bind(p.expert) << ", ";
      x.Bind(static_cast<int>(i)) << ", ";
      x.Bind(DateText(e.date)) << ", ";
      x.Bind(e.available ? 1 : 0) << ", ";
      x.Bind(e.start.value_or(-1)) << ", ";
      x.Bind(e.end.value_or(-1)) << ", ";
      x.Bind(e.note) << ")";
      x.Exec(session_);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<HubInfo>> SqlTx::GetHub(absl::string_view hub) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<HubInfo>> {
    const std::string key(hub);
    std::optional<HubInfo> found;
    {
      SqlQuery q;
      q << "SELECT hub, programme, title_ru, title_en, closed FROM sched_hubs WHERE hub = ";
      q.Bind(key);
      q.Fetch<HubRow>(session_, [&](const HubRow& row) {
        found = row.h;
        found->closed = row.closed != 0;
      });
    }
    if (!found.has_value()) return found;
    SqlQuery q;
    q << "SELECT person_id, full_name, email, time_zone, language FROM sched_hub_leads WHERE hub = ";
    q.Bind(key) << " ORDER BY position";
    q.Fetch<LeadRow>(session_, [&](const LeadRow& row) {
      found->leads.push_back(row.p);
      found->leads.back().language = static_cast<Language>(row.language);
    });
    return found;
  });
}

absl::Status SqlTx::PutHub(const HubInfo& h) {
  return CatchDbErrors([&]() -> absl::Status {
    DeleteWhere(session_, "sched_hub_leads", "hub", h.hub);
    DeleteWhere(session_, "sched_hubs", "hub", h.hub);
    SqlQuery q;
    q << "INSERT INTO sched_hubs (hub, programme, title_ru, title_en, closed) VALUES (";
    q.Bind(h.hub) << ", ";
    q.Bind(h.programme) << ", ";
    q.Bind(h.title.ru) << ", ";
    q.Bind(h.title.en) << ", ";
    q.Bind(h.closed ? 1 : 0) << ")";
    q.Exec(session_);
    for (size_t i = 0; i < h.leads.size(); ++i) {
      const PersonRef& p = h.leads[i];
      SqlQuery l;
      l << "INSERT INTO sched_hub_leads (hub, position, person_id, full_name, email, time_zone,"
           " language) VALUES (";
      l.Bind(h.hub) << ", ";
      l.Bind(static_cast<int>(i)) << ", ";
      l.Bind(p.id) << ", ";
      l.Bind(p.full_name) << ", ";
      l.Bind(p.email) << ", ";
      l.Bind(p.time_zone) << ", ";
      l.Bind(static_cast<int>(p.language)) << ")";
      l.Exec(session_);
    }
    return absl::OkStatus();
  });
}

}  // namespace etnik::scheduling::store
