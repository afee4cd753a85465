#include "services/registration/store/review_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "services/registration/store/row_fetch.h"
#include "common/status/errors.h"
#include "google/protobuf/util/time_util.h"
#include "services/registration/store/selection_store.h"

namespace etnik::registration::store {

using db::SqlQuery;

using google::protobuf::util::TimeUtil;

namespace {

std::string Page(SqlQuery& q, int offset, int limit) {
  if (limit < 0) return "";
  return absl::StrCat(" LIMIT ", q.Bind(limit), " OFFSET ", q.Bind(offset));
}

}  // namespace

absl::Status SaveAssignment(soci::session& s, absl::string_view programme, const v1::ReviewerAssignment& a) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    const std::string id = a.name().substr(a.name().rfind('/') + 1);
    long long n = q.Run(absl::StrCat("UPDATE reviewer_assignments SET state = ", q.Bind(static_cast<int>(a.state())),
                                     ", data = ", q.Bind(EncodeRow(a)), " WHERE application = ",
                                     q.Bind(a.application()), " AND reviewer = ", q.Bind(a.reviewer())));
    if (n > 0) return absl::OkStatus();
    SqlQuery ins(s);
    ins.Run(absl::StrCat("INSERT INTO reviewer_assignments (programme, application, reviewer, state, id, create_us,"
                         " data) VALUES (",
                         ins.Bind(std::string(programme)), ", ", ins.Bind(a.application()), ", ", ins.Bind(a.reviewer()),
                         ", ", ins.Bind(static_cast<int>(a.state())), ", ", ins.Bind(id), ", ",
                         ins.Bind(Micros(a.create_time())), ", ", ins.Bind(EncodeRow(a)), ")"));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<v1::ReviewerAssignment>> LoadAssignment(soci::session& s, absl::string_view application,
                                                                     absl::string_view reviewer) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::optional<v1::ReviewerAssignment>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    auto rows = FetchProtos<v1::ReviewerAssignment>(
        q, data,
        absl::StrCat("SELECT data FROM reviewer_assignments WHERE application = ", q.Bind(std::string(application)),
                     " AND reviewer = ", q.Bind(std::string(reviewer))));
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<v1::ReviewerAssignment>();
    return std::optional<v1::ReviewerAssignment>(std::move(rows->front()));
  });
}

absl::StatusOr<std::vector<v1::ReviewerAssignment>> ListAssignments(soci::session& s, const AssignmentFilter& f,
                                                                    int offset, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::ReviewerAssignment>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    std::string sql = absl::StrCat("SELECT data FROM reviewer_assignments WHERE programme = ", q.Bind(f.programme));
    if (!f.reviewer.empty()) absl::StrAppend(&sql, " AND reviewer = ", q.Bind(f.reviewer));
    if (!f.application.empty()) absl::StrAppend(&sql, " AND application = ", q.Bind(f.application));
    if (f.state != v1::ASSIGNMENT_STATE_UNSPECIFIED) {
      absl::StrAppend(&sql, " AND state = ", q.Bind(static_cast<int>(f.state)));
    }
    absl::StrAppend(&sql, " ORDER BY application, reviewer", Page(q, offset, limit));
    return FetchProtos<v1::ReviewerAssignment>(q, data, sql);
  });
}

absl::StatusOr<std::vector<std::string>> AssignedApplicationsOfInn(soci::session& s, absl::string_view programme,
                                                                   absl::string_view reviewer, absl::string_view inn) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<std::string>> {
    SqlQuery q(s);
    std::string name;
    q.Into(name);
    q.Execute(absl::StrCat("SELECT r.application FROM reviewer_assignments r JOIN applications a ON a.name = r.application"
                           " WHERE r.programme = ", q.Bind(std::string(programme)), " AND r.reviewer = ",
                           q.Bind(std::string(reviewer)), " AND a.organisation_inn = ", q.Bind(std::string(inn)),
                           " ORDER BY r.application"));
    std::vector<std::string> out;
    while (q.Fetch()) out.push_back(name);
    return out;
  });
}

absl::Status InsertConflict(soci::session& s, absl::string_view programme, const v1::ConflictDeclaration& c) {
  absl::Status status = db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO conflict_declarations (programme, id, reviewer, organisation_inn, create_us, data)"
                       " VALUES (",
                       q.Bind(std::string(programme)), ", ", q.Bind(c.name()), ", ", q.Bind(c.reviewer()), ", ",
                       q.Bind(c.organisation_inn()), ", ", q.Bind(Micros(c.create_time())), ", ", q.Bind(EncodeRow(c)),
                       ")"));
    return absl::OkStatus();
  });
  if (absl::IsAlreadyExists(status)) {
    return ErrorWithInfo(absl::StatusCode::kAlreadyExists, "the reviewer already declared this conflict",
                         "CONFLICT_ALREADY_DECLARED", {{"organisation_inn", c.organisation_inn()}});
  }
  return status;
}

absl::StatusOr<std::vector<v1::ConflictDeclaration>> ListConflicts(soci::session& s, absl::string_view programme,
                                                                   absl::string_view reviewer, int offset, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::ConflictDeclaration>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    std::string sql =
        absl::StrCat("SELECT data FROM conflict_declarations WHERE programme = ", q.Bind(std::string(programme)));
    if (!reviewer.empty()) absl::StrAppend(&sql, " AND reviewer = ", q.Bind(std::string(reviewer)));
    absl::StrAppend(&sql, " ORDER BY create_us, id", Page(q, offset, limit));
    return FetchProtos<v1::ConflictDeclaration>(q, data, sql);
  });
}

absl::Status SaveReview(soci::session& s, absl::string_view programme, absl::string_view application,
                        const v1::Review& r) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    long long n = q.Run(absl::StrCat("UPDATE reviews SET weighted_score = ", q.Bind(r.weighted_score()), ", data = ",
                                     q.Bind(EncodeRow(r)), " WHERE application = ", q.Bind(std::string(application)),
                                     " AND reviewer = ", q.Bind(r.reviewer())));
    if (n > 0) return absl::OkStatus();
    SqlQuery ins(s);
    ins.Run(absl::StrCat("INSERT INTO reviews (programme, application, reviewer, weighted_score, create_us, data)"
                         " VALUES (",
                         ins.Bind(std::string(programme)), ", ", ins.Bind(std::string(application)), ", ",
                         ins.Bind(r.reviewer()), ", ", ins.Bind(r.weighted_score()), ", ",
                         ins.Bind(Micros(r.create_time())), ", ", ins.Bind(EncodeRow(r)), ")"));
    return absl::OkStatus();
  });
}

absl::Status DeleteReview(soci::session& s, absl::string_view application, absl::string_view reviewer) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("DELETE FROM reviews WHERE application = ", q.Bind(std::string(application)),
                       " AND reviewer = ", q.Bind(std::string(reviewer))));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<v1::Review>> LoadReview(soci::session& s, absl::string_view application,
                                                     absl::string_view reviewer) {
  absl::StatusOr<std::vector<v1::Review>> rows = ListReviews(s, "", application, reviewer, 0, 1);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<v1::Review>();
  return std::optional<v1::Review>(std::move(rows->front()));
}

absl::StatusOr<std::vector<v1::Review>> ListReviews(soci::session& s, absl::string_view programme,
                                                    absl::string_view application, absl::string_view reviewer,
                                                    int offset, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::Review>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    std::string sql = "SELECT data FROM reviews WHERE 1 = 1";
    if (!programme.empty()) absl::StrAppend(&sql, " AND programme = ", q.Bind(std::string(programme)));
    if (!application.empty()) absl::StrAppend(&sql, " AND application = ", q.Bind(std::string(application)));
    if (!reviewer.empty()) absl::StrAppend(&sql, " AND reviewer = ", q.Bind(std::string(reviewer)));
    absl::StrAppend(&sql, " ORDER BY application, reviewer", Page(q, offset, limit));
    return FetchProtos<v1::Review>(q, data, sql);
  });
}

}  // namespace etnik::registration::store
