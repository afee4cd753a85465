#include "services/registration/store/selection_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "services/registration/store/row_fetch.h"
#include "common/db/time_micros.h"
#include "google/protobuf/util/time_util.h"

namespace etnik::registration::store {

using db::SqlQuery;

using google::protobuf::util::TimeUtil;

namespace {

std::string Id(const std::string& name) { return name.substr(name.rfind('/') + 1); }

template <typename T>
absl::StatusOr<std::optional<T>> FetchOne(soci::session& s, const std::string& table, const std::string& key_column,
                                          absl::string_view key) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::optional<T>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    auto rows = FetchProtos<T>(q, data, absl::StrCat("SELECT data FROM ", table, " WHERE ", key_column, " = ",
                                                     q.Bind(std::string(key))));
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<T>();
    return std::optional<T>(std::move(rows->front()));
  });
}

absl::StatusOr<int> Count(SqlQuery& q, const std::string& sql) {
  long long n = 0;
  q.Into(n);
  q.Execute(sql);
  q.Fetch();
  return static_cast<int>(n);
}

std::string OfferWhere(SqlQuery& q, const OfferFilter& f) {
  std::string where = absl::StrCat(" WHERE programme = ", q.Bind(f.programme));
  if (f.state != v1::OFFER_STATE_UNSPECIFIED) absl::StrAppend(&where, " AND state = ", q.Bind(static_cast<int>(f.state)));
  if (!f.application.empty()) absl::StrAppend(&where, " AND application = ", q.Bind(f.application));
  if (!f.applicant.empty()) absl::StrAppend(&where, " AND applicant = ", q.Bind(f.applicant));
  return where;
}

std::string ParticipantWhere(SqlQuery& q, absl::string_view programme, absl::string_view region) {
  std::string where = absl::StrCat(" WHERE programme = ", q.Bind(std::string(programme)));
  if (!region.empty()) absl::StrAppend(&where, " AND region = ", q.Bind(std::string(region)));
  return where;
}

}  // namespace

std::string EncodeRow(const google::protobuf::Message& m) {
  std::string bytes;
  m.SerializeToString(&bytes);
  return absl::Base64Escape(bytes);
}

bool DecodeRow(const std::string& text, google::protobuf::Message* m) {
  std::string bytes;
  return absl::Base64Unescape(text, &bytes) && m->ParseFromString(bytes);
}

const db::SeatCounterTable& ParticipantSeats() {
  static const db::SeatCounterTable* table = new db::SeatCounterTable("participant_seats");
  return *table;
}

absl::Status InsertSelectionRun(soci::session& s, absl::string_view programme, const v1::SelectionRun& run) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO selection_runs (programme, id, name, create_us, data) VALUES (",
                       q.Bind(std::string(programme)), ", ", q.Bind(Id(run.name())), ", ", q.Bind(run.name()), ", ",
                       q.Bind(Micros(run.create_time())), ", ", q.Bind(EncodeRow(run)), ")"));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<v1::SelectionRun>> LoadSelectionRun(soci::session& s, absl::string_view name) {
  return FetchOne<v1::SelectionRun>(s, "selection_runs", "name", name);
}

absl::StatusOr<std::vector<v1::SelectionRun>> ListSelectionRuns(soci::session& s, absl::string_view programme,
                                                                 int offset, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::SelectionRun>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    auto runs = FetchProtos<v1::SelectionRun>(
        q, data,
        absl::StrCat("SELECT data FROM selection_runs WHERE programme = ", q.Bind(std::string(programme)),
                     " ORDER BY create_us DESC, id LIMIT ", q.Bind(limit), " OFFSET ", q.Bind(offset)));
    if (runs.ok()) {
      for (v1::SelectionRun& r : *runs) r.clear_decisions();
    }
    return runs;
  });
}

absl::StatusOr<int> CountSelectionRuns(soci::session& s, absl::string_view programme) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<int> {
    SqlQuery q(s);
    return Count(q, absl::StrCat("SELECT COUNT(*) FROM selection_runs WHERE programme = ",
                                 q.Bind(std::string(programme))));
  });
}

absl::Status AddToWaitlist(soci::session& s, absl::string_view programme, absl::string_view application,
                           int position) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO waitlist_entries (programme, application, position) VALUES (",
                       q.Bind(std::string(programme)), ", ", q.Bind(std::string(application)), ", ", q.Bind(position),
                       ")"));
    return absl::OkStatus();
  });
}

absl::Status RemoveFromWaitlist(soci::session& s, absl::string_view application) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("DELETE FROM waitlist_entries WHERE application = ", q.Bind(std::string(application))));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> Waitlist(soci::session& s, absl::string_view programme) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<std::string>> {
    SqlQuery q(s);
    std::string application;
    q.Into(application);
    q.Execute(absl::StrCat("SELECT application FROM waitlist_entries WHERE programme = ",
                           q.Bind(std::string(programme)), " ORDER BY position, application"));
    std::vector<std::string> out;
    while (q.Fetch()) out.push_back(application);
    return out;
  });
}

absl::Status InsertOffer(soci::session& s, const v1::Offer& offer, absl::string_view applicant) {
  const std::string programme = offer.name().substr(0, offer.name().find("/offers/"));
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO offers (programme, id, name, application, applicant, state, deadline_us,"
                       " create_us, data) VALUES (",
                       q.Bind(programme), ", ", q.Bind(Id(offer.name())), ", ", q.Bind(offer.name()), ", ",
                       q.Bind(offer.application()), ", ", q.Bind(std::string(applicant)), ", ",
                       q.Bind(static_cast<int>(offer.state())), ", ", q.Bind(Micros(offer.reply_deadline_time())),
                       ", ", q.Bind(Micros(offer.create_time())), ", ", q.Bind(EncodeRow(offer)), ")"));
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> SaveOfferIfState(soci::session& s, const v1::Offer& offer, v1::OfferState expected) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<bool> {
    SqlQuery q(s);
    long long n = q.Run(absl::StrCat("UPDATE offers SET state = ", q.Bind(static_cast<int>(offer.state())),
                                     ", data = ", q.Bind(EncodeRow(offer)), " WHERE name = ", q.Bind(offer.name()),
                                     " AND state = ", q.Bind(static_cast<int>(expected))));
    return n == 1;
  });
}

absl::StatusOr<std::optional<v1::Offer>> LoadOffer(soci::session& s, absl::string_view name) {
  return FetchOne<v1::Offer>(s, "offers", "name", name);
}

absl::StatusOr<std::vector<v1::Offer>> ListOffers(soci::session& s, const OfferFilter& f, int offset, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::Offer>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    std::string where = OfferWhere(q, f);
    return FetchProtos<v1::Offer>(q, data,
                                  absl::StrCat("SELECT data FROM offers", where, " ORDER BY create_us, id LIMIT ",
                                               q.Bind(limit), " OFFSET ", q.Bind(offset)));
  });
}

absl::StatusOr<int> CountOffers(soci::session& s, const OfferFilter& f) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<int> {
    SqlQuery q(s);
    std::string where = OfferWhere(q, f);
    return Count(q, absl::StrCat("SELECT COUNT(*) FROM offers", where));
  });
}

absl::StatusOr<std::vector<std::string>> DueOffers(soci::session& s, absl::Time now, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<std::string>> {
    SqlQuery q(s);
    std::string name;
    q.Into(name);
    q.Execute(absl::StrCat("SELECT name FROM offers WHERE state = ", q.Bind(static_cast<int>(v1::OFFER_STATE_OPEN)),
                           " AND deadline_us <= ", q.Bind(static_cast<long long>(db::TimeToMicros(now))),
                           " ORDER BY deadline_us, name LIMIT ", q.Bind(limit)));
    std::vector<std::string> out;
    while (q.Fetch()) out.push_back(name);
    return out;
  });
}

absl::Status InsertParticipant(soci::session& s, const v1::Participant& p, absl::string_view region) {
  const std::string programme = p.name().substr(0, p.name().find("/participants/"));
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(s);
    q.Run(absl::StrCat("INSERT INTO participants (programme, id, name, organisation_name, region, confirm_us, data)"
                       " VALUES (",
                       q.Bind(programme), ", ", q.Bind(Id(p.name())), ", ", q.Bind(p.name()), ", ",
                       q.Bind(p.organisation().full_name()), ", ", q.Bind(std::string(region)), ", ",
                       q.Bind(Micros(p.confirm_time())), ", ", q.Bind(EncodeRow(p)), ")"));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<v1::Participant>> LoadParticipant(soci::session& s, absl::string_view name) {
  return FetchOne<v1::Participant>(s, "participants", "name", name);
}

absl::StatusOr<std::vector<v1::Participant>> ListParticipants(soci::session& s, absl::string_view programme,
                                                              absl::string_view region, int offset, int limit) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<v1::Participant>> {
    SqlQuery q(s);
    std::string data;
    q.Into(data);
    std::string where = ParticipantWhere(q, programme, region);
    return FetchProtos<v1::Participant>(q, data,
                                        absl::StrCat("SELECT data FROM participants", where,
                                                     " ORDER BY organisation_name, id LIMIT ", q.Bind(limit),
                                                     " OFFSET ", q.Bind(offset)));
  });
}

absl::StatusOr<int> CountParticipants(soci::session& s, absl::string_view programme, absl::string_view region) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<int> {
    SqlQuery q(s);
    std::string where = ParticipantWhere(q, programme, region);
    return Count(q, absl::StrCat("SELECT COUNT(*) FROM participants", where));
  });
}

}  // namespace etnik::registration::store
