#include "services/hubs/store/sql_hubs_store.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/db_errors.h"
#include "common/db/time_micros.h"
#include "common/ids/ids.h"
#include "services/hubs/domain/rules.h"
#include "services/hubs/mapping/event_mapping.h"
#include "services/hubs/store/availability_codec.h"
#include "common/db/sql_query.h"
#include "soci/soci.h"

namespace etnik::hubs::store {

using db::SqlQuery;
namespace {

using db::CatchDbErrors;
using db::MicrosToTime;
using db::TimeToMicros;

// Hub states as stored (the proto numbers, so a row reads the same everywhere).
int StateCode(HubState s) { return s == HubState::kDraft ? 1 : s == HubState::kPublished ? 2 : 3; }
HubState StateOf(int code) { return code == 2 ? HubState::kPublished : code == 3 ? HubState::kClosed : HubState::kDraft; }
int LanguageCode(Language l) { return l == Language::kRu ? 1 : l == Language::kEn ? 2 : 0; }
Language LanguageOf(int code) { return code == 1 ? Language::kRu : code == 2 ? Language::kEn : Language::kUnspecified; }
int MetricCode(TargetMetric m) { return m == TargetMetric::kHubs ? 2 : 3; }
TargetMetric MetricOf(int code) { return code == 2 ? TargetMetric::kHubs : TargetMetric::kExperts; }

// ---- hubs ----

constexpr char kHubColumns[] =
    "id, programme, title_ru, title_en, theme, theme_title_ru, theme_title_en, description_ru, description_en, "
    "contact_email, contact_phone, contact_telegram, contact_website_uri, state, participant_capacity, "
    "expert_count, participant_count, publish_us, close_us, create_us, update_us, version";

struct HubRow {
  std::string id, programme, title_ru, title_en, theme, theme_title_ru, theme_title_en, description_ru,
      description_en, email, phone, telegram, website;
  int state = 0, capacity = 0, expert_count = 0, participant_count = 0;
  long long publish_us = 0, close_us = 0, create_us = 0, update_us = 0, version = 0;

  void BindInto(SqlQuery& q) {
    for (std::string* s : {&id, &programme, &title_ru, &title_en, &theme, &theme_title_ru, &theme_title_en,
                           &description_ru, &description_en, &email, &phone, &telegram, &website}) {
      q.Into(*s);
    }
    for (int* i : {&state, &capacity, &expert_count, &participant_count}) q.Into(*i);
    for (long long* l : {&publish_us, &close_us, &create_us, &update_us, &version}) q.Into(*l);
  }

  Hub ToHub() const {
    Hub h;
    h.id = id;
    h.programme = programme;
    h.title = {title_ru, title_en};
    h.theme = theme;
    h.theme_title = {theme_title_ru, theme_title_en};
    h.description = {description_ru, description_en};
    h.contact = {email, phone, telegram, website};
    h.state = StateOf(state);
    h.participant_capacity = capacity;
    h.expert_count = expert_count;
    h.participant_count = participant_count;
    h.publish_time = MicrosToTime(publish_us);
    h.close_time = MicrosToTime(close_us);
    h.create_time = MicrosToTime(create_us);
    h.update_time = MicrosToTime(update_us);
    h.version = version;
    return h;
  }
};

// The values of every hub column, in kHubColumns order, as placeholders.
std::vector<std::string> BindHubValues(SqlQuery& q, const Hub& h) {
  return {q.Bind(h.id),
          q.Bind(h.programme),
          q.Bind(h.title.ru),
          q.Bind(h.title.en),
          q.Bind(h.theme),
          q.Bind(h.theme_title.ru),
          q.Bind(h.theme_title.en),
          q.Bind(h.description.ru),
          q.Bind(h.description.en),
          q.Bind(h.contact.email),
          q.Bind(h.contact.phone),
          q.Bind(h.contact.telegram),
          q.Bind(h.contact.website_uri),
          q.Bind(StateCode(h.state)),
          q.Bind(h.participant_capacity),
          q.Bind(h.expert_count),
          q.Bind(h.participant_count),
          q.Bind(static_cast<long long>(TimeToMicros(h.publish_time))),
          q.Bind(static_cast<long long>(TimeToMicros(h.close_time))),
          q.Bind(static_cast<long long>(TimeToMicros(h.create_time))),
          q.Bind(static_cast<long long>(TimeToMicros(h.update_time))),
          q.Bind(static_cast<long long>(h.version))};
}

// " AND ..." conditions of a hub filter.
std::string HubWhere(SqlQuery& q, const HubFilter& f) {
  std::string sql;
  if (!f.programme.empty()) absl::StrAppend(&sql, " AND programme = ", q.Bind(f.programme));
  if (f.state) absl::StrAppend(&sql, " AND state = ", q.Bind(StateCode(*f.state)));
  if (!f.theme.empty()) absl::StrAppend(&sql, " AND theme = ", q.Bind(f.theme));
  if (!f.lead_subject.empty()) {
    absl::StrAppend(&sql, " AND EXISTS (SELECT 1 FROM hub_leads l WHERE l.hub_id = hubs.id AND l.subject = ",
                    q.Bind(f.lead_subject), ")");
  }
  if (f.only_ids) {
    if (f.only_ids->empty()) {
      absl::StrAppend(&sql, " AND 1 = 0");
    } else {
      std::vector<std::string> ids;
      for (const std::string& id : *f.only_ids) ids.push_back(q.Bind(id));
      absl::StrAppend(&sql, " AND id IN (", absl::StrJoin(ids, ", "), ")");
    }
  }
  return sql;
}

// ---- experts ----

constexpr char kExpertColumns[] =
    "id, full_name_ru, full_name_en, bio_ru, bio_en, city, time_zone, contact_email, contact_phone, "
    "contact_telegram, contact_website_uri, photo_uri, subject, weekly_availability, availability_exceptions, "
    "language, create_us, update_us, version";

struct ExpertRow {
  std::string id, full_name_ru, full_name_en, bio_ru, bio_en, city, time_zone, email, phone, telegram, website,
      photo_uri, subject, weekly, exceptions;
  int language = 0;
  long long create_us = 0, update_us = 0, version = 0;

  void BindInto(SqlQuery& q) {
    for (std::string* s : {&id, &full_name_ru, &full_name_en, &bio_ru, &bio_en, &city, &time_zone, &email, &phone,
                           &telegram, &website, &photo_uri, &subject, &weekly, &exceptions}) {
      q.Into(*s);
    }
    q.Into(language);
    for (long long* l : {&create_us, &update_us, &version}) q.Into(*l);
  }

  absl::StatusOr<Expert> ToExpert() const {
    Expert e;
    e.id = id;
    e.full_name = {full_name_ru, full_name_en};
    e.bio = {bio_ru, bio_en};
    e.city = city;
    e.time_zone = time_zone;
    e.contact = {email, phone, telegram, website};
    e.photo_uri = photo_uri;
    e.subject = subject;
    e.language = LanguageOf(language);
    absl::StatusOr<std::vector<AvailabilityWindow>> w = DecodeWeekly(weekly);
    if (!w.ok()) return w.status();
    e.weekly_availability = *std::move(w);
    absl::StatusOr<std::vector<AvailabilityException>> x = DecodeExceptions(exceptions);
    if (!x.ok()) return x.status();
    e.availability_exceptions = *std::move(x);
    e.create_time = MicrosToTime(create_us);
    e.update_time = MicrosToTime(update_us);
    e.version = version;
    return e;
  }
};

std::vector<std::string> BindExpertValues(SqlQuery& q, const Expert& e) {
  return {q.Bind(e.id),
          q.Bind(e.full_name.ru),
          q.Bind(e.full_name.en),
          q.Bind(e.bio.ru),
          q.Bind(e.bio.en),
          q.Bind(e.city),
          q.Bind(e.time_zone),
          q.Bind(e.contact.email),
          q.Bind(e.contact.phone),
          q.Bind(e.contact.telegram),
          q.Bind(e.contact.website_uri),
          q.Bind(e.photo_uri),
          q.Bind(e.subject),
          q.Bind(EncodeWeekly(e.weekly_availability)),
          q.Bind(EncodeExceptions(e.availability_exceptions)),
          q.Bind(LanguageCode(e.language)),
          q.Bind(static_cast<long long>(TimeToMicros(e.create_time))),
          q.Bind(static_cast<long long>(TimeToMicros(e.update_time))),
          q.Bind(static_cast<long long>(e.version))};
}

std::vector<std::string> Strings(soci::session& s, const std::string& sql_with_p0, const std::string& arg) {
  SqlQuery q(s);
  std::string value;
  q.Into(value);
  std::string p = q.Bind(arg);
  std::string sql = sql_with_p0;
  sql.replace(sql.find("$1"), 2, p);
  q.Execute(sql);
  std::vector<std::string> out;
  while (q.Fetch()) out.push_back(value);
  return out;
}

// ---- leads, assignments ----

constexpr char kLeadColumns[] =
    "hub_id, lead_id, subject, full_name, contact_email, contact_phone, contact_telegram, contact_website_uri, "
    "time_zone, language, create_us";

struct LeadRow {
  std::string hub_id, lead_id, subject, full_name, email, phone, telegram, website, time_zone;
  int language = 0;
  long long create_us = 0;
  void BindInto(SqlQuery& q) {
    for (std::string* s : {&hub_id, &lead_id, &subject, &full_name, &email, &phone, &telegram, &website, &time_zone}) {
      q.Into(*s);
    }
    q.Into(language);
    q.Into(create_us);
  }
  HubLead ToLead() const {
    return {hub_id,   lead_id,           subject,   full_name, {email, phone, telegram, website},
            time_zone, LanguageOf(language), MicrosToTime(create_us)};
  }
};

constexpr char kAssignmentColumns[] = "hub_id, participant_id, participant, organisation_name, create_us";

struct AssignmentRow {
  std::string hub_id, participant_id, participant, organisation_name;
  long long create_us = 0;
  void BindInto(SqlQuery& q) {
    for (std::string* s : {&hub_id, &participant_id, &participant, &organisation_name}) q.Into(*s);
    q.Into(create_us);
  }
  Assignment ToAssignment() const {
    return {hub_id, participant, participant_id, organisation_name, MicrosToTime(create_us)};
  }
};

class SqlTransaction final : public HubsTransaction {
 public:
  SqlTransaction(soci::session& s, EventWriter& events) : s_(s), events_(events) {}

  bool wrote_events() const { return wrote_events_; }

  absl::StatusOr<std::optional<Hub>> FindHub(const std::string& id) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Hub>> {
      SqlQuery q(s_);
      HubRow row;
      row.BindInto(q);
      q.Execute(absl::StrCat("SELECT ", kHubColumns, " FROM hubs WHERE id = ", q.Bind(id)));
      if (!q.Fetch()) return std::optional<Hub>();
      return std::optional<Hub>(row.ToHub());
    });
  }

  absl::Status InsertHub(const Hub& hub) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      std::vector<std::string> values = BindHubValues(q, hub);
      q.Run(absl::StrCat("INSERT INTO hubs (", kHubColumns, ") VALUES (", absl::StrJoin(values, ", "), ")"));
      return absl::OkStatus();
    });
  }

  absl::Status UpdateHub(const Hub& hub) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      std::vector<std::string> values = BindHubValues(q, hub);
      std::vector<absl::string_view> columns = absl::StrSplit(kHubColumns, ", ");
      std::vector<std::string> sets;
      for (size_t i = 1; i < columns.size(); ++i) sets.push_back(absl::StrCat(columns[i], " = ", values[i]));
      if (q.Run(absl::StrCat("UPDATE hubs SET ", absl::StrJoin(sets, ", "), " WHERE id = ", values[0])) != 1) {
        return absl::NotFoundError(absl::StrCat("hubs/", hub.id, " vanished during the update"));
      }
      return absl::OkStatus();
    });
  }

  absl::Status DeleteHub(const std::string& id) override {
    return CatchDbErrors([&]() -> absl::Status {
      // Members, leads and assignments go with the hub (ON DELETE CASCADE).
      SqlQuery q(s_);
      q.Run(absl::StrCat("DELETE FROM hubs WHERE id = ", q.Bind(id)));
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Hub>> ListHubs(const HubFilter& filter, const std::optional<SortKey>& after,
                                            int limit) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Hub>> {
      SqlQuery q(s_);
      HubRow row;
      row.BindInto(q);
      std::string sql = absl::StrCat("SELECT ", kHubColumns, " FROM hubs WHERE 1 = 1", HubWhere(q, filter));
      if (after) {
        absl::StrAppend(&sql, " AND (title_ru > ", q.Bind(after->primary), " OR (title_ru = ",
                        q.Bind(after->primary), " AND id > ", q.Bind(after->id), "))");
      }
      absl::StrAppend(&sql, " ORDER BY title_ru, id LIMIT ", q.Bind(limit));
      q.Execute(sql);
      std::vector<Hub> out;
      while (q.Fetch()) out.push_back(row.ToHub());
      return out;
    });
  }

  absl::StatusOr<int> CountHubs(const HubFilter& filter) override {
    return CatchDbErrors([&]() -> absl::StatusOr<int> {
      SqlQuery q(s_);
      long long count = 0;
      q.Into(count);
      q.Execute(absl::StrCat("SELECT COUNT(*) FROM hubs WHERE 1 = 1", HubWhere(q, filter)));
      q.Fetch();
      return static_cast<int>(count);
    });
  }

  // Topics and hubs of experts read without them.
  absl::Status Complete(std::vector<Expert>& experts) {
    for (Expert& e : experts) {
      e.topics = Strings(s_, "SELECT topic FROM expert_topics WHERE expert_id = $1 ORDER BY ordinal", e.id);
      e.hubs = Strings(s_, "SELECT hub_id FROM hub_members WHERE expert_id = $1 ORDER BY hub_id", e.id);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Expert>> SelectExperts(const std::string& where, SqlQuery& q, ExpertRow& row) {
    q.Execute(absl::StrCat("SELECT ", kExpertColumns, " FROM experts WHERE 1 = 1", where));
    std::vector<Expert> out;
    while (q.Fetch()) {
      absl::StatusOr<Expert> e = row.ToExpert();
      if (!e.ok()) return e.status();
      out.push_back(*std::move(e));
    }
    if (absl::Status s = Complete(out); !s.ok()) return s;
    return out;
  }

  absl::StatusOr<std::optional<Expert>> FindExpert(const std::string& id) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Expert>> {
      SqlQuery q(s_);
      ExpertRow row;
      row.BindInto(q);
      absl::StatusOr<std::vector<Expert>> found = SelectExperts(absl::StrCat(" AND id = ", q.Bind(id)), q, row);
      if (!found.ok()) return found.status();
      if (found->empty()) return std::optional<Expert>();
      return std::optional<Expert>(found->front());
    });
  }

  absl::StatusOr<std::optional<std::string>> FindExpertByEmail(const std::string& email_key) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::optional<std::string>> {
      std::vector<std::string> ids = Strings(s_, "SELECT id FROM experts WHERE email_key = $1", email_key);
      if (ids.empty() || email_key.empty()) return std::optional<std::string>();
      return std::optional<std::string>(ids.front());
    });
  }

  absl::Status WriteTopics(const Expert& e) {
    {
      SqlQuery del(s_);
      del.Run(absl::StrCat("DELETE FROM expert_topics WHERE expert_id = ", del.Bind(e.id)));
    }
    for (size_t i = 0; i < e.topics.size(); ++i) {
      SqlQuery q(s_);
      q.Run(absl::StrCat("INSERT INTO expert_topics (expert_id, ordinal, topic) VALUES (", q.Bind(e.id), ", ",
                         q.Bind(static_cast<int>(i)), ", ", q.Bind(e.topics[i]), ")"));
    }
    return absl::OkStatus();
  }

  absl::Status InsertExpert(const Expert& expert) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      std::vector<std::string> values = BindExpertValues(q, expert);
      q.Run(absl::StrCat("INSERT INTO experts (", kExpertColumns, ", email_key) VALUES (",
                         absl::StrJoin(values, ", "), ", ", q.Bind(EmailKey(expert.contact.email)), ")"));
      return WriteTopics(expert);
    });
  }

  absl::Status UpdateExpert(const Expert& expert) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      std::vector<std::string> values = BindExpertValues(q, expert);
      std::vector<absl::string_view> columns = absl::StrSplit(kExpertColumns, ", ");
      std::vector<std::string> sets;
      for (size_t i = 1; i < columns.size(); ++i) sets.push_back(absl::StrCat(columns[i], " = ", values[i]));
      sets.push_back(absl::StrCat("email_key = ", q.Bind(EmailKey(expert.contact.email))));
      if (q.Run(absl::StrCat("UPDATE experts SET ", absl::StrJoin(sets, ", "), " WHERE id = ", values[0])) != 1) {
        return absl::NotFoundError(absl::StrCat("experts/", expert.id, " vanished during the update"));
      }
      return WriteTopics(expert);
    });
  }

  absl::Status DeleteExpert(const std::string& id) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      q.Run(absl::StrCat("DELETE FROM experts WHERE id = ", q.Bind(id)));
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Expert>> ListExperts(const ExpertFilter& filter, const std::optional<SortKey>& after,
                                                  int limit) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Expert>> {
      SqlQuery q(s_);
      ExpertRow row;
      row.BindInto(q);
      std::string where;
      if (!filter.hub_id.empty()) {
        absl::StrAppend(&where, " AND EXISTS (SELECT 1 FROM hub_members m WHERE m.expert_id = experts.id",
                        " AND m.hub_id = ", q.Bind(filter.hub_id), ")");
      }
      if (!filter.topic.empty()) {
        absl::StrAppend(&where, " AND EXISTS (SELECT 1 FROM expert_topics t WHERE t.expert_id = experts.id",
                        " AND t.topic = ", q.Bind(filter.topic), ")");
      }
      if (after) {
        absl::StrAppend(&where, " AND (full_name_ru > ", q.Bind(after->primary), " OR (full_name_ru = ",
                        q.Bind(after->primary), " AND id > ", q.Bind(after->id), "))");
      }
      absl::StrAppend(&where, " ORDER BY full_name_ru, id LIMIT ", q.Bind(limit));
      return SelectExperts(where, q, row);
    });
  }

  absl::StatusOr<std::optional<Membership>> FindMembership(const std::string& hub_id,
                                                           const std::string& expert_id) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Membership>> {
      SqlQuery q(s_);
      long long create_us = 0;
      q.Into(create_us);
      q.Execute(absl::StrCat("SELECT create_us FROM hub_members WHERE hub_id = ", q.Bind(hub_id),
                             " AND expert_id = ", q.Bind(expert_id)));
      if (!q.Fetch()) return std::optional<Membership>();
      return std::optional<Membership>(Membership{hub_id, expert_id, MicrosToTime(create_us)});
    });
  }

  absl::Status InsertMembership(const Membership& m) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      q.Run(absl::StrCat("INSERT INTO hub_members (hub_id, expert_id, create_us) VALUES (", q.Bind(m.hub_id), ", ",
                         q.Bind(m.expert_id), ", ", q.Bind(static_cast<long long>(TimeToMicros(m.create_time))),
                         ")"));
      return absl::OkStatus();
    });
  }

  absl::Status DeleteMembership(const std::string& hub_id, const std::string& expert_id) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      q.Run(absl::StrCat("DELETE FROM hub_members WHERE hub_id = ", q.Bind(hub_id), " AND expert_id = ",
                         q.Bind(expert_id)));
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Membership>> ListMemberships(const std::string& hub_id) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Membership>> {
      SqlQuery q(s_);
      std::string expert_id;
      long long create_us = 0;
      q.Into(expert_id);
      q.Into(create_us);
      q.Execute(absl::StrCat("SELECT expert_id, create_us FROM hub_members WHERE hub_id = ", q.Bind(hub_id),
                             " ORDER BY expert_id"));
      std::vector<Membership> out;
      while (q.Fetch()) out.push_back({hub_id, expert_id, MicrosToTime(create_us)});
      return out;
    });
  }

  absl::StatusOr<std::vector<HubLead>> ListLeads(const std::string& hub_id) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::vector<HubLead>> {
      SqlQuery q(s_);
      LeadRow row;
      row.BindInto(q);
      q.Execute(absl::StrCat("SELECT ", kLeadColumns, " FROM hub_leads WHERE hub_id = ", q.Bind(hub_id),
                             " ORDER BY lead_id"));
      std::vector<HubLead> out;
      while (q.Fetch()) out.push_back(row.ToLead());
      return out;
    });
  }

  absl::Status InsertLead(const HubLead& l) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      std::vector<std::string> values = {q.Bind(l.hub_id),
                                         q.Bind(l.id),
                                         q.Bind(l.subject),
                                         q.Bind(l.full_name),
                                         q.Bind(l.contact.email),
                                         q.Bind(l.contact.phone),
                                         q.Bind(l.contact.telegram),
                                         q.Bind(l.contact.website_uri),
                                         q.Bind(l.time_zone),
                                         q.Bind(LanguageCode(l.language)),
                                         q.Bind(static_cast<long long>(TimeToMicros(l.create_time)))};
      q.Run(absl::StrCat("INSERT INTO hub_leads (", kLeadColumns, ") VALUES (", absl::StrJoin(values, ", "), ")"));
      return absl::OkStatus();
    });
  }

  absl::Status DeleteLead(const std::string& hub_id, const std::string& lead_id) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      q.Run(absl::StrCat("DELETE FROM hub_leads WHERE hub_id = ", q.Bind(hub_id), " AND lead_id = ",
                         q.Bind(lead_id)));
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::optional<ConfirmedParticipant>> FindConfirmedParticipant(
      const std::string& participant) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::optional<ConfirmedParticipant>> {
      SqlQuery q(s_);
      ConfirmedParticipant p;
      long long confirm_us = 0;
      q.Into(p.programme);
      q.Into(p.organisation_name);
      q.Into(confirm_us);
      q.Execute(absl::StrCat("SELECT programme, organisation_name, confirm_us FROM confirmed_participants",
                             " WHERE participant = ", q.Bind(participant)));
      if (!q.Fetch()) return std::optional<ConfirmedParticipant>();
      p.participant = participant;
      p.confirm_time = MicrosToTime(confirm_us);
      return std::optional<ConfirmedParticipant>(p);
    });
  }

  absl::Status UpsertConfirmedParticipant(const ConfirmedParticipant& p) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      q.Run(absl::StrCat(
          "INSERT INTO confirmed_participants (participant, programme, organisation_name, confirm_us) VALUES (",
          q.Bind(p.participant), ", ", q.Bind(p.programme), ", ", q.Bind(p.organisation_name), ", ",
          q.Bind(static_cast<long long>(TimeToMicros(p.confirm_time))),
          ") ON CONFLICT (participant) DO UPDATE SET programme = excluded.programme,"
          " organisation_name = excluded.organisation_name, confirm_us = excluded.confirm_us"));
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::optional<Assignment>> FindAssignment(const std::string& hub_id,
                                                           const std::string& participant_id) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Assignment>> {
      SqlQuery q(s_);
      AssignmentRow row;
      row.BindInto(q);
      q.Execute(absl::StrCat("SELECT ", kAssignmentColumns, " FROM hub_participants WHERE hub_id = ",
                             q.Bind(hub_id), " AND participant_id = ", q.Bind(participant_id)));
      if (!q.Fetch()) return std::optional<Assignment>();
      return std::optional<Assignment>(row.ToAssignment());
    });
  }

  absl::Status InsertAssignment(const Assignment& a) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      q.Run(absl::StrCat("INSERT INTO hub_participants (", kAssignmentColumns, ") VALUES (", q.Bind(a.hub_id), ", ",
                         q.Bind(a.participant_id), ", ", q.Bind(a.participant), ", ", q.Bind(a.organisation_name),
                         ", ", q.Bind(static_cast<long long>(TimeToMicros(a.create_time))), ")"));
      return absl::OkStatus();
    });
  }

  absl::Status DeleteAssignment(const std::string& hub_id, const std::string& participant_id) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      q.Run(absl::StrCat("DELETE FROM hub_participants WHERE hub_id = ", q.Bind(hub_id), " AND participant_id = ",
                         q.Bind(participant_id)));
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Assignment>> ListAssignments(const AssignmentFilter& filter,
                                                          const std::optional<SortKey>& after, int limit) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Assignment>> {
      SqlQuery q(s_);
      AssignmentRow row;
      row.BindInto(q);
      std::string sql = absl::StrCat("SELECT ", kAssignmentColumns, " FROM hub_participants WHERE 1 = 1");
      if (!filter.hub_id.empty()) absl::StrAppend(&sql, " AND hub_id = ", q.Bind(filter.hub_id));
      if (!filter.participant.empty()) absl::StrAppend(&sql, " AND participant = ", q.Bind(filter.participant));
      if (filter.only_hub_ids) {
        std::vector<std::string> ids;
        for (const std::string& id : *filter.only_hub_ids) ids.push_back(q.Bind(id));
        absl::StrAppend(&sql, ids.empty() ? " AND 1 = 0" : absl::StrCat(" AND hub_id IN (", absl::StrJoin(ids, ", "), ")"));
      }
      if (after) {
        absl::StrAppend(&sql, " AND (hub_id > ", q.Bind(after->primary), " OR (hub_id = ", q.Bind(after->primary),
                        " AND participant_id > ", q.Bind(after->id), "))");
      }
      absl::StrAppend(&sql, " ORDER BY hub_id, participant_id LIMIT ", q.Bind(limit));
      q.Execute(sql);
      std::vector<Assignment> out;
      while (q.Fetch()) out.push_back(row.ToAssignment());
      return out;
    });
  }

  absl::Status ReplaceStageTargets(const std::string& stage, const std::vector<StageTarget>& targets) override {
    return CatchDbErrors([&]() -> absl::Status {
      {
        SqlQuery q(s_);
        q.Run(absl::StrCat("DELETE FROM stage_targets WHERE stage = ", q.Bind(stage)));
      }
      for (const StageTarget& t : targets) {
        SqlQuery q(s_);
        q.Run(absl::StrCat("INSERT INTO stage_targets (stage, metric, programme, target_value) VALUES (",
                           q.Bind(stage), ", ", q.Bind(MetricCode(t.metric)), ", ", q.Bind(t.programme), ", ",
                           q.Bind(t.value), ")"));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<StageTarget>> ListTargets(const std::string& programme) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::vector<StageTarget>> {
      SqlQuery q(s_);
      StageTarget t;
      int metric = 0;
      q.Into(t.stage);
      q.Into(metric);
      q.Into(t.value);
      q.Execute(absl::StrCat("SELECT stage, metric, target_value FROM stage_targets WHERE programme = ",
                             q.Bind(programme), " ORDER BY stage, metric"));
      std::vector<StageTarget> out;
      while (q.Fetch()) {
        t.programme = programme;
        t.metric = MetricOf(metric);
        out.push_back(t);
      }
      return out;
    });
  }

  absl::StatusOr<std::optional<IdempotencyRecord>> FindRequest(const std::string& method,
                                                                const std::string& request_id) override {
    return CatchDbErrors([&]() -> absl::StatusOr<std::optional<IdempotencyRecord>> {
      SqlQuery q(s_);
      IdempotencyRecord record;
      q.Into(record.fingerprint);
      q.Into(record.result);
      q.Execute(absl::StrCat("SELECT fingerprint, result FROM idempotency_keys WHERE method = ", q.Bind(method),
                             " AND request_id = ", q.Bind(request_id)));
      if (!q.Fetch()) return std::optional<IdempotencyRecord>();
      return std::optional<IdempotencyRecord>(record);
    });
  }

  absl::Status SaveRequest(const std::string& method, const std::string& request_id, const IdempotencyRecord& record,
                           absl::Time at) override {
    return CatchDbErrors([&]() -> absl::Status {
      SqlQuery q(s_);
      q.Run(absl::StrCat("INSERT INTO idempotency_keys (method, request_id, fingerprint, result, create_us) VALUES (",
                         q.Bind(method), ", ", q.Bind(request_id), ", ", q.Bind(record.fingerprint), ", ",
                         q.Bind(record.result), ", ", q.Bind(static_cast<long long>(TimeToMicros(at))), ")"));
      return absl::OkStatus();
    });
  }

  absl::Status Emit(const DomainEvent& event) override {
    wrote_events_ = true;
    return events_.Write(s_, mapping::ToProtoEvent(event, NewId()));
  }

 private:
  soci::session& s_;
  EventWriter& events_;
  bool wrote_events_ = false;
};

}  // namespace

absl::Status SqlHubsStore::Run(TxMode mode, const Work& work) {
  bool wrote_events = false;
  absl::Status status = db_.InTransaction(
      mode == TxMode::kRead ? db::TxMode::kRead : db::TxMode::kWrite, [&](soci::session& session) {
        SqlTransaction tx(session, events_);
        absl::Status result = work(tx);
        wrote_events = tx.wrote_events();
        return result;
      });
  if (status.ok() && wrote_events && after_events_committed_) after_events_committed_();
  return status;
}

absl::Status SqlHubsStore::RunInSession(soci::session& session, const Work& work) {
  SqlTransaction tx(session, events_);
  return work(tx);
}

}  // namespace etnik::hubs::store
