// Sessions, their host index, reservations, seats and tallies.

#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "common/db/time_micros.h"
#include "common/status/errors.h"
#include "services/scheduling/store/rows.h"
#include "services/scheduling/store/schema.h"
#include "services/scheduling/store/sql_query.h"
#include "services/scheduling/store/sql_tx.h"

namespace etnik::scheduling::store {
namespace {

using db::CatchDbErrors;
using db::TimeToMicros;

void BindSessionValues(SqlQuery& q, const Session& s) {
  q.Bind(s.event_id) << ", ";
  q.Bind(s.id) << ", ";
  q.Bind(s.programme) << ", ";
  q.Bind(s.stage) << ", ";
  q.Bind(static_cast<int>(s.event_kind)) << ", ";
  q.Bind(s.hub) << ", ";
  q.Bind(s.title.ru) << ", ";
  q.Bind(s.title.en) << ", ";
  q.Bind(s.description.ru) << ", ";
  q.Bind(s.description.en) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(s.start))) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(s.end))) << ", ";
  q.Bind(s.time_zone) << ", ";
  q.Bind(JoinHosts(s.hosts)) << ", ";
  q.Bind(s.room) << ", ";
  q.Bind(s.online_room.join_uri) << ", ";
  q.Bind(s.online_room.platform) << ", ";
  q.Bind(s.online_room.access_code) << ", ";
  q.Bind(s.capacity) << ", ";
  q.Bind(s.track) << ", ";
  q.Bind(static_cast<int>(s.state)) << ", ";
  q.Bind(s.cancel_reason) << ", ";
  q.Bind(s.sequence) << ", ";
  q.Bind(s.registered_count) << ", ";
  q.Bind(s.waitlisted_count) << ", ";
  q.Bind(s.checked_in_count) << ", ";
  q.Bind(static_cast<long long>(s.attendee_seq)) << ", ";
  q.Bind(s.booked_by) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(s.create_time))) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(s.update_time))) << ", ";
  q.Bind(static_cast<long long>(s.version));
}

constexpr char kSessionValueColumns[] =
    "event_id, session_id, programme, stage, event_kind, hub, title_ru, title_en,"
    " description_ru, description_en, start_us, end_us, time_zone, hosts, room, online_join_uri,"
    " online_platform, online_access_code, capacity, track, state, cancel_reason, sequence,"
    " registered_count, waitlisted_count, checked_in_count, attendee_seq, booked_by, create_us,"
    " update_us, version";

void WriteHosts(soci::session& session, const Session& s) {
  SqlQuery del;
  del << "DELETE FROM sched_session_hosts WHERE session_name = ";
  del.Bind(s.name());
  del.Exec(session);
  for (const std::string& host : s.hosts) {
    SqlQuery ins;
    ins << "INSERT INTO sched_session_hosts (session_name, expert, start_us, end_us, active) VALUES (";
    ins.Bind(s.name()) << ", ";
    ins.Bind(host) << ", ";
    ins.Bind(static_cast<long long>(TimeToMicros(s.start))) << ", ";
    ins.Bind(static_cast<long long>(TimeToMicros(s.end))) << ", ";
    ins.Bind(s.state == SessionState::kCancelled ? 0 : 1) << ")";
    ins.Exec(session);
  }
}

}  // namespace

absl::StatusOr<std::optional<Session>> SqlTx::GetSession(const SessionRef& ref) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Session>> {
    SqlQuery q;
    q << "SELECT " << kSessionColumns << " FROM sched_sessions s WHERE s.name = ";
    q.Bind(ref.name());
    std::optional<Session> found;
    q.Fetch<SessionRow>(session_, [&](const SessionRow& row) { found = row.ToSession(); });
    return found;
  });
}

absl::Status SqlTx::InsertSession(const Session& s) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "INSERT INTO sched_sessions (name, " << kSessionValueColumns << ") VALUES (";
    q.Bind(s.name()) << ", ";
    BindSessionValues(q, s);
    q << ")";
    q.Exec(session_);
    WriteHosts(session_, s);
    return absl::OkStatus();
  });
}

absl::Status SqlTx::UpdateSession(const Session& s) {
  return CatchDbErrors([&]() -> absl::Status {
    // A row-value UPDATE (PostgreSQL, SQLite >= 3.15) reuses the INSERT's column list.
    SqlQuery q;
    q << "UPDATE sched_sessions SET (" << kSessionValueColumns << ") = (";
    BindSessionValues(q, s);
    q << ") WHERE name = ";
    q.Bind(s.name());
    if (q.Exec(session_) != 1) return absl::NotFoundError(absl::StrCat(s.name(), " not found"));
    WriteHosts(session_, s);
    return absl::OkStatus();
  });
}

absl::Status SqlTx::UpdateSessionCounters(const Session& s) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "UPDATE sched_sessions SET registered_count = ";
    q.Bind(s.registered_count) << ", waitlisted_count = ";
    q.Bind(s.waitlisted_count) << ", checked_in_count = ";
    q.Bind(s.checked_in_count) << ", attendee_seq = ";
    q.Bind(static_cast<long long>(s.attendee_seq)) << " WHERE name = ";
    q.Bind(s.name());
    if (q.Exec(session_) != 1) return absl::NotFoundError(absl::StrCat(s.name(), " not found"));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Session>> SqlTx::ListSessions(const SessionQuery& query) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Session>> {
    SqlQuery q;
    q << "SELECT " << kSessionColumns << " FROM sched_sessions s";
    if (!query.host.empty()) q << " JOIN sched_session_hosts h ON h.session_name = s.name";
    if (!query.participant.empty()) q << " JOIN sched_attendees a ON a.session_name = s.name";
    q << " WHERE 1 = 1";
    if (!query.host.empty()) {
      q << " AND h.expert = ";
      q.Bind(query.host);
    }
    if (!query.participant.empty()) {
      q << " AND a.state IN (1, 2) AND a.participant = ";
      q.Bind(query.participant);
      if (!query.registered_by.empty()) {
        q << " AND a.subject = ";
        q.Bind(query.registered_by);
      }
    }
    if (!query.event_id.empty()) {
      q << " AND s.event_id = ";
      q.Bind(query.event_id);
    }
    if (!query.programme.empty()) {
      q << " AND s.programme = ";
      q.Bind(query.programme);
    }
    if (!query.hub.empty()) {
      q << " AND s.hub = ";
      q.Bind(query.hub);
    }
    if (!query.room.empty()) {
      q << " AND s.room = ";
      q.Bind(query.room);
    }
    if (query.kind != EventKind::kUnspecified) {
      q << " AND s.event_kind = ";
      q.Bind(static_cast<int>(query.kind));
    }
    if (!query.states.empty()) {
      q << " AND s.state IN (";
      for (size_t i = 0; i < query.states.size(); ++i) {
        if (i > 0) q << ", ";
        q.Bind(static_cast<int>(query.states[i]));
      }
      q << ")";
    }
    if (query.ends_after.has_value()) {
      q << " AND s.end_us > ";
      q.Bind(static_cast<long long>(TimeToMicros(*query.ends_after)));
    }
    if (query.starts_before.has_value()) {
      q << " AND s.start_us < ";
      q.Bind(static_cast<long long>(TimeToMicros(*query.starts_before)));
    }
    if (query.after.has_value()) {
      const long long after_us = TimeToMicros(query.after->start);
      q << " AND (s.start_us > ";
      q.Bind(after_us) << " OR (s.start_us = ";
      q.Bind(after_us) << " AND s.name > ";
      q.Bind(query.after->name) << "))";
    }
    q << " ORDER BY s.start_us, s.name LIMIT ";
    q.Bind(query.limit);
    SessionRow row;
    soci::statement st(session_);
    q.Prepare(st, [&](soci::statement& s) { row.Into(s); });
    st.execute(false);
    std::vector<Session> out;
    while (st.fetch()) out.push_back(row.ToSession());
    return out;
  });
}

absl::StatusOr<int64_t> SqlTx::CountHostedSessions(absl::string_view expert, const Interval& range,
                                                   absl::string_view exclude) {
  return CatchDbErrors([&]() -> absl::StatusOr<int64_t> {
    SqlQuery q;
    q << "SELECT COUNT(*) FROM sched_session_hosts WHERE expert = ";
    q.Bind(std::string(expert)) << " AND start_us >= ";
    q.Bind(static_cast<long long>(TimeToMicros(range.start))) << " AND start_us < ";
    q.Bind(static_cast<long long>(TimeToMicros(range.end))) << " AND active = 1 AND session_name <> ";
    q.Bind(std::string(exclude));
    long long count = 0;
    q.Fetch<ValueRow<long long>>(session_, [&](const ValueRow<long long>& r) { count = r.value; });
    return static_cast<int64_t>(count);
  });
}

absl::Status SqlTx::Reserve(absl::string_view resource, const Interval& range,
                            absl::string_view holder) {
  absl::StatusOr<int64_t> id = Reservations().Reserve(
      session_, {std::string(resource), range.start, range.end, std::string(holder)});
  return id.status();
}

absl::Status SqlTx::ReleaseAll(absl::string_view holder) {
  return Reservations().Release(session_, holder).status();
}

absl::StatusOr<std::vector<BusyRange>> SqlTx::ListBusy(absl::string_view resource,
                                                       const Interval& range) {
  absl::StatusOr<std::vector<db::StoredReservation>> rows =
      Reservations().ListOverlapping(session_, resource, range.start, range.end);
  if (!rows.ok()) return rows.status();
  std::vector<BusyRange> out;
  for (const db::StoredReservation& r : *rows) {
    out.push_back({{r.reservation.start, r.reservation.end}, r.reservation.holder});
  }
  return out;
}

absl::StatusOr<bool> SqlTx::TryTakeSeat(absl::string_view key, int64_t capacity) {
  absl::StatusOr<int64_t> taken = Seats().TryTakeSeat(session_, key, capacity);
  if (taken.ok()) return true;
  std::optional<ErrorInfo> info = GetErrorInfo(taken.status());
  if (info.has_value() && info->reason == db::kReasonCapacityExhausted) return false;
  return taken.status();
}

absl::Status SqlTx::ReturnSeat(absl::string_view key) {
  return Seats().ReturnSeat(session_, key).status();
}

absl::StatusOr<std::vector<SessionTally>> SqlTx::TallySessions(absl::string_view programme) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<SessionTally>> {
    SqlQuery q;
    q << "SELECT event_kind, stage, hub, state, COUNT(*), CAST(SUM(checked_in_count) AS BIGINT)"
         " FROM sched_sessions WHERE programme = ";
    q.Bind(std::string(programme));
    q << " GROUP BY event_kind, stage, hub, state ORDER BY event_kind, stage, hub, state";
    int kind = 0, state = 0;
    std::string stage, hub;
    long long sessions = 0, check_ins = 0;
    soci::statement st(session_);
    q.Prepare(st, [&](soci::statement& s) {
      s.exchange(soci::into(kind));
      s.exchange(soci::into(stage));
      s.exchange(soci::into(hub));
      s.exchange(soci::into(state));
      s.exchange(soci::into(sessions));
      s.exchange(soci::into(check_ins));
    });
    st.execute(false);
    std::vector<SessionTally> out;
    while (st.fetch()) {
      out.push_back({static_cast<EventKind>(kind), stage, hub, static_cast<SessionState>(state),
                     static_cast<int32_t>(sessions), static_cast<int32_t>(check_ins)});
    }
    return out;
  });
}

}  // namespace etnik::scheduling::store
