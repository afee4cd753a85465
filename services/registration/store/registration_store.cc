#include "services/registration/store/registration_store.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/db_errors.h"
#include "services/registration/store/row_fetch.h"
#include "common/db/time_micros.h"
#include "common/status/errors.h"
#include "google/protobuf/util/time_util.h"

namespace etnik::registration::store {

using db::SqlQuery;
namespace {

using google::protobuf::util::TimeUtil;

std::string Encode(const google::protobuf::Message& m) {
  std::string bytes;
  m.SerializeToString(&bytes);
  return absl::Base64Escape(bytes);
}

template <typename T>
absl::StatusOr<T> Decode(const std::string& text) {
  std::string bytes;
  T out;
  if (!absl::Base64Unescape(text, &bytes) || !out.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("a stored ", T::descriptor()->name(), " does not parse"));
  }
  return out;
}

// "programmes/p/forms/f" -> {"programmes/p", "f"}: the parent name and the last id.
std::pair<std::string, std::string> ParentAndId(absl::string_view name) {
  size_t slash = name.rfind('/');
  if (slash == absl::string_view::npos) return {"", std::string(name)};
  size_t parent_end = name.rfind('/', slash - 1);
  if (parent_end == absl::string_view::npos) return {"", std::string(name.substr(slash + 1))};
  return {std::string(name.substr(0, parent_end)), std::string(name.substr(slash + 1))};
}

template <typename T>
absl::StatusOr<std::optional<T>> LoadOne(soci::session& s, const std::string& sql_with_p0, absl::string_view key) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::optional<T>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    std::string sql = sql_with_p0;
    sql.replace(sql.find("$0"), 2, q.Bind(std::string(key)));
    q.Execute(sql);
    if (!q.Fetch()) return std::optional<T>();
    absl::StatusOr<T> out = Decode<T>(data);
    if (!out.ok()) return out.status();
    return std::optional<T>(*std::move(out));
  });
}

template <typename T>
absl::StatusOr<std::vector<T>> FetchAll(SqlQuery& q, std::string& data, const std::string& sql) {
  q.Execute(sql);
  std::vector<T> out;
  while (q.Fetch()) {
    absl::StatusOr<T> item = Decode<T>(data);
    if (!item.ok()) return item.status();
    out.push_back(*std::move(item));
  }
  return out;
}

absl::Status ApplicationExists(const std::string& existing) {
  return ErrorWithInfo(absl::StatusCode::kAlreadyExists,
                       existing.empty() ? "the organisation has already applied to this programme"
                                        : absl::StrCat("the organisation has already applied to this programme: ",
                                                       existing),
                       "APPLICATION_EXISTS", {{"application", existing}});
}

}  // namespace

void StampEtag(google::protobuf::Message& message) {
  const google::protobuf::FieldDescriptor* field = message.GetDescriptor()->FindFieldByName("etag");
  if (field == nullptr) return;
  const google::protobuf::Reflection* r = message.GetReflection();
  r->ClearField(&message, field);
  std::string bytes;
  message.SerializeToString(&bytes);
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  r->SetString(&message, field, absl::StrFormat("%016x", hash));
}

// ---- programmes ----

absl::StatusOr<std::optional<v1::Programme>> LoadProgramme(soci::session& s, absl::string_view name) {
  return LoadOne<v1::Programme>(s, "SELECT data FROM programmes WHERE id = $0", name);
}

absl::Status InsertProgramme(soci::session& s, v1::Programme& programme) {
  StampEtag(programme);
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO programmes (id, create_us, data) VALUES (", q.Bind(programme.name()), ", ",
                       q.Bind(Micros(programme.create_time())), ", ", q.Bind(Encode(programme)), ")"));
    return absl::OkStatus();
  });
}

absl::Status SaveProgramme(soci::session& s, v1::Programme& programme) {
  StampEtag(programme);
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    long long n = q.Run(absl::StrCat("UPDATE programmes SET data = ", q.Bind(Encode(programme)),
                                     " WHERE id = ", q.Bind(programme.name())));
    if (n != 1) return absl::NotFoundError(absl::StrCat(programme.name(), " does not exist"));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Programme>> ListAllProgrammes(soci::session& s) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::Programme>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    return FetchAll<v1::Programme>(q, data, "SELECT data FROM programmes ORDER BY create_us DESC, id");
  });
}

// ---- forms ----

absl::StatusOr<std::optional<v1::Form>> LoadForm(soci::session& s, absl::string_view name) {
  auto [programme, id] = ParentAndId(name);
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::optional<v1::Form>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    absl::StatusOr<std::vector<v1::Form>> rows = FetchAll<v1::Form>(
        q, data, absl::StrCat("SELECT data FROM forms WHERE programme = ", q.Bind(programme), " AND id = ", q.Bind(id)));
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<v1::Form>();
    return std::optional<v1::Form>(std::move(rows->front()));
  });
}

absl::Status InsertForm(soci::session& s, v1::Form& form) {
  StampEtag(form);
  auto [programme, id] = ParentAndId(form.name());
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO forms (programme, id, purpose, create_us, data) VALUES (", q.Bind(programme), ", ",
                       q.Bind(id), ", ", q.Bind(static_cast<int>(form.purpose())), ", ",
                       q.Bind(Micros(form.create_time())), ", ", q.Bind(Encode(form)), ")"));
    return absl::OkStatus();
  });
}

absl::Status SaveForm(soci::session& s, v1::Form& form) {
  StampEtag(form);
  auto [programme, id] = ParentAndId(form.name());
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    long long n = q.Run(absl::StrCat("UPDATE forms SET purpose = ", q.Bind(static_cast<int>(form.purpose())),
                                     ", data = ", q.Bind(Encode(form)), " WHERE programme = ", q.Bind(programme),
                                     " AND id = ", q.Bind(id)));
    if (n != 1) return absl::NotFoundError(absl::StrCat(form.name(), " does not exist"));
    return absl::OkStatus();
  });
}

absl::Status DeleteForm(soci::session& s, absl::string_view name) {
  auto [programme, id] = ParentAndId(name);
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("DELETE FROM forms WHERE programme = ", q.Bind(programme), " AND id = ", q.Bind(id)));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Form>> ListAllForms(soci::session& s, absl::string_view programme_name) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::Form>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    return FetchAll<v1::Form>(q, data,
                              absl::StrCat("SELECT data FROM forms WHERE programme = ",
                                           q.Bind(std::string(programme_name)), " ORDER BY create_us, id"));
  });
}

// ---- applications ----

absl::StatusOr<std::optional<v1::Application>> LoadApplication(soci::session& s, absl::string_view name) {
  return LoadOne<v1::Application>(s, "SELECT data FROM applications WHERE name = $0", name);
}

absl::StatusOr<std::optional<std::string>> FindApplicationByInn(soci::session& s, absl::string_view programme_name,
                                                                 absl::string_view inn) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::optional<std::string>> {
    SqlQuery q(s);
    std::string name;
    q.Into(name);
    q.Execute(absl::StrCat("SELECT name FROM applications WHERE programme = ", q.Bind(std::string(programme_name)),
                           " AND organisation_inn = ", q.Bind(std::string(inn))));
    if (!q.Fetch()) return std::optional<std::string>();
    return std::optional<std::string>(name);
  });
}

absl::Status InsertApplication(soci::session& s, v1::Application& a) {
  auto [programme, id] = ParentAndId(a.name());
  // Checked first so the answer names the existing application; the UNIQUE constraint is what
  // holds under concurrency (a racing insert fails or is retried on fresh data).
  absl::StatusOr<std::optional<std::string>> existing = FindApplicationByInn(s, programme, a.organisation().inn());
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return ApplicationExists(**existing);
  StampEtag(a);
  absl::Status status = db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat(
        "INSERT INTO applications (programme, id, name, form, organisation_inn, organisation_name, applicant, state,"
        " region, score, submit_us, create_us, data) VALUES (",
        absl::StrJoin({q.Bind(programme), q.Bind(id), q.Bind(a.name()), q.Bind(a.form()),
                       q.Bind(a.organisation().inn()), q.Bind(a.organisation().full_name()), q.Bind(a.applicant()),
                       q.Bind(static_cast<int>(a.state())), q.Bind(a.organisation().region()), q.Bind(a.score()),
                       q.Bind(Micros(a.submit_time())), q.Bind(Micros(a.create_time())), q.Bind(Encode(a))},
                      ", "),
        ")"));
    return absl::OkStatus();
  });
  if (absl::IsAlreadyExists(status)) {
    std::optional<ErrorInfo> info = GetErrorInfo(status);
    // The name is free, so it is the organisation that is taken.
    if (info && info->reason == "UNIQUE_VIOLATION" &&
        absl::StrContains(status.message(), "organisation")) {
      return ApplicationExists("");
    }
  }
  return status;
}

absl::Status SaveApplication(soci::session& s, v1::Application& a) {
  auto [programme, id] = ParentAndId(a.name());
  absl::StatusOr<std::optional<std::string>> existing = FindApplicationByInn(s, programme, a.organisation().inn());
  if (!existing.ok()) return existing.status();
  if (existing->has_value() && **existing != a.name()) return ApplicationExists(**existing);
  StampEtag(a);
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    long long n = q.Run(absl::StrCat(
        "UPDATE applications SET form = ", q.Bind(a.form()), ", organisation_inn = ", q.Bind(a.organisation().inn()),
        ", organisation_name = ", q.Bind(a.organisation().full_name()), ", applicant = ", q.Bind(a.applicant()),
        ", state = ", q.Bind(static_cast<int>(a.state())), ", region = ", q.Bind(a.organisation().region()),
        ", score = ", q.Bind(a.score()), ", submit_us = ", q.Bind(Micros(a.submit_time())),
        ", data = ", q.Bind(Encode(a)), " WHERE name = ", q.Bind(a.name())));
    if (n != 1) return absl::NotFoundError(absl::StrCat(a.name(), " does not exist"));
    return absl::OkStatus();
  });
}

absl::Status DeleteApplication(soci::session& s, absl::string_view name) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("DELETE FROM applications WHERE name = ", q.Bind(std::string(name))));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Application>> ApplicationsOfForm(soci::session& s, absl::string_view form_name) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::Application>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    return FetchAll<v1::Application>(
        q, data, absl::StrCat("SELECT data FROM applications WHERE form = ", q.Bind(std::string(form_name))));
  });
}

namespace {

std::string ApplicationWhere(SqlQuery& q, const ApplicationFilter& f) {
  std::string where = absl::StrCat(" WHERE a.programme = ", q.Bind(f.programme));
  if (!f.states.empty()) {
    std::vector<std::string> states;
    for (v1::ApplicationState st : f.states) states.push_back(q.Bind(static_cast<int>(st)));
    absl::StrAppend(&where, " AND a.state IN (", absl::StrJoin(states, ", "), ")");
  }
  if (f.exclude_drafts) {
    absl::StrAppend(&where, " AND a.state <> ", q.Bind(static_cast<int>(v1::APPLICATION_STATE_DRAFT)));
  }
  if (!f.region.empty()) absl::StrAppend(&where, " AND a.region = ", q.Bind(f.region));
  if (!f.applicant.empty()) absl::StrAppend(&where, " AND a.applicant = ", q.Bind(f.applicant));
  if (!f.assigned_reviewer.empty()) {
    absl::StrAppend(&where,
                    " AND EXISTS (SELECT 1 FROM reviewer_assignments r WHERE r.application = a.name AND r.reviewer = ",
                    q.Bind(f.assigned_reviewer), " AND r.state <> ", q.Bind(3 /* ASSIGNMENT_STATE_RECUSED */), ")");
  }
  return where;
}

}  // namespace

absl::StatusOr<std::vector<v1::Application>> ListApplications(soci::session& s, const ApplicationFilter& filter,
                                                              int offset, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::Application>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    std::string order;
    switch (filter.order) {
      case ApplicationFilter::Order::kSubmitTime: order = "a.submit_us, a.id"; break;
      case ApplicationFilter::Order::kScoreDesc: order = "a.score DESC, a.id"; break;
      case ApplicationFilter::Order::kOrganisationName: order = "a.organisation_name, a.id"; break;
    }
    std::string where = ApplicationWhere(q, filter);
    return FetchAll<v1::Application>(q, data,
                                     absl::StrCat("SELECT a.data FROM applications a", where, " ORDER BY ", order,
                                                  " LIMIT ", q.Bind(limit), " OFFSET ", q.Bind(offset)));
  });
}

absl::StatusOr<int> CountApplications(soci::session& s, const ApplicationFilter& filter) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<int> {
    SqlQuery q(s);
    long long n = 0;
    q.Into(n);
    std::string where = ApplicationWhere(q, filter);
    q.Execute(absl::StrCat("SELECT COUNT(*) FROM applications a", where));
    q.Fetch();
    return static_cast<int>(n);
  });
}

absl::StatusOr<bool> IsAssignedReviewer(soci::session& s, absl::string_view application_name,
                                        absl::string_view reviewer) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<bool> {
    SqlQuery q(s);
    long long n = 0;
    q.Into(n);
    q.Execute(absl::StrCat("SELECT COUNT(*) FROM reviewer_assignments WHERE application = ",
                           q.Bind(std::string(application_name)), " AND reviewer = ", q.Bind(std::string(reviewer)),
                           " AND state <> ", q.Bind(3 /* ASSIGNMENT_STATE_RECUSED */)));
    q.Fetch();
    return n > 0;
  });
}

// ---- survey responses ----

absl::Status InsertSurveyResponse(soci::session& s, const v1::SurveyResponse& r) {
  auto [form, id] = ParentAndId(r.name());
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO survey_responses (form, id, submit_us, data) VALUES (", q.Bind(form), ", ",
                       q.Bind(id), ", ", q.Bind(Micros(r.submit_time())), ", ", q.Bind(Encode(r)), ")"));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::SurveyResponse>> ListSurveyResponses(soci::session& s, absl::string_view form_name,
                                                                     int offset, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::SurveyResponse>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    return FetchAll<v1::SurveyResponse>(
        q, data,
        absl::StrCat("SELECT data FROM survey_responses WHERE form = ", q.Bind(std::string(form_name)),
                     " ORDER BY submit_us, id LIMIT ", q.Bind(limit), " OFFSET ", q.Bind(offset)));
  });
}

absl::StatusOr<int> CountSurveyResponses(soci::session& s, absl::string_view form_name) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<int> {
    SqlQuery q(s);
    long long n = 0;
    q.Into(n);
    q.Execute(absl::StrCat("SELECT COUNT(*) FROM survey_responses WHERE form = ", q.Bind(std::string(form_name))));
    q.Fetch();
    return static_cast<int>(n);
  });
}

// ---- request results ----

absl::StatusOr<std::optional<std::string>> RecallRequest(soci::session& s, absl::string_view scope,
                                                         absl::string_view request_id) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::optional<std::string>> {
    SqlQuery q(s);
    std::string result;
    q.Into(result);
    q.Execute(absl::StrCat("SELECT result FROM request_results WHERE scope = ", q.Bind(std::string(scope)),
                           " AND request_id = ", q.Bind(std::string(request_id))));
    if (!q.Fetch()) return std::optional<std::string>();
    std::string bytes;
    if (!absl::Base64Unescape(result, &bytes)) return absl::DataLossError("a stored request result does not decode");
    return std::optional<std::string>(bytes);
  });
}

absl::Status RememberRequest(soci::session& s, absl::string_view scope, absl::string_view request_id,
                             absl::string_view result, int64_t now_us) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO request_results (scope, request_id, result, create_us) VALUES (",
                       q.Bind(std::string(scope)), ", ", q.Bind(std::string(request_id)), ", ",
                       q.Bind(absl::Base64Escape(result)), ", ", q.Bind(static_cast<long long>(now_us)), ")"));
    return absl::OkStatus();
  });
}

}  // namespace etnik::registration::store
