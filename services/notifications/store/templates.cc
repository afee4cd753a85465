#include "services/notifications/store/templates.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/db/time_micros.h"
#include "common/status/errors.h"
#include "google/protobuf/util/time_util.h"
#include "services/notifications/store/sql.h"

namespace etnik::notifications::store {
namespace {

constexpr char kColumns[] = "id, event_type, subject, body, channel, language, essential, update_us, version";

struct Targets {
  std::string id, event_type, subject, body;
  int channel = 0, language = 0, essential = 0;
  long long update_us = 0, version = 0;
  void Into(soci::statement& st) {
    for (std::string* s : {&id, &event_type, &subject, &body}) st.exchange(soci::into(*s));
    for (int* i : {&channel, &language, &essential}) st.exchange(soci::into(*i));
    for (long long* l : {&update_us, &version}) st.exchange(soci::into(*l));
  }
  v1::Template Take() const {
    v1::Template t;
    t.set_name(absl::StrCat("templates/", id));
    t.set_event_type(event_type);
    t.set_channel(static_cast<etnik::common::v1::Channel>(channel));
    t.set_language(static_cast<etnik::common::v1::Language>(language));
    t.set_subject(subject);
    t.set_body(body);
    t.set_essential(essential != 0);
    *t.mutable_update_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(update_us);
    t.set_etag(absl::StrCat(version));
    return t;
  }
};

std::vector<v1::Template> Fetch(soci::session& s, Sql& q) {
  std::vector<v1::Template> out;
  Targets t;
  q.Fetch(s, [&](soci::statement& st) { t.Into(st); }, [&] { out.push_back(t.Take()); });
  return out;
}

std::string IdOf(const std::string& name) {
  return absl::StartsWith(name, "templates/") ? name.substr(10) : name;
}

}  // namespace

absl::StatusOr<int> SeedTemplates(db::Database& db, const std::vector<v1::Template>& templates, absl::Time now) {
  int added = 0;
  absl::Status st = db.InTransaction(db::TxMode::kWriteReadCommitted, [&](soci::session& s) -> absl::Status {
    added = 0;
    for (const v1::Template& t : templates) {
      Sql q;
      q << "INSERT INTO templates (" << kColumns << ") VALUES (";
      q.Bind(IdOf(t.name())) << ", ";
      q.Bind(t.event_type()) << ", ";
      q.Bind(t.subject()) << ", ";
      q.Bind(t.body()) << ", ";
      q.Bind(static_cast<int>(t.channel())) << ", ";
      q.Bind(static_cast<int>(t.language())) << ", ";
      q.Bind(t.essential() ? 1 : 0) << ", ";
      q.Bind(static_cast<long long>(db::TimeToMicros(now))) << ", 1) ON CONFLICT (id) DO NOTHING";
      added += static_cast<int>(q.Exec(s));
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return added;
}

absl::StatusOr<std::optional<v1::Template>> FindTemplate(soci::session& s, const std::string& id) {
  Sql q;
  q << "SELECT " << kColumns << " FROM templates WHERE id = ";
  q.Bind(id);
  std::vector<v1::Template> rows = Fetch(s, q);
  if (rows.empty()) return std::optional<v1::Template>();
  return std::optional<v1::Template>(rows.front());
}

absl::StatusOr<v1::Template> TemplateStore::Get(const std::string& id) {
  std::optional<v1::Template> out;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<std::optional<v1::Template>> t = FindTemplate(s, id);
    if (!t.ok()) return t.status();
    out = *t;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (!out) {
    return ErrorWithInfo(absl::StatusCode::kNotFound, absl::StrCat("no template ", id), "TEMPLATE_NOT_FOUND",
                         {{"template", id}});
  }
  return *out;
}

absl::StatusOr<std::vector<v1::Template>> TemplateStore::List(const TemplateFilter& f, int page_size,
                                                              const std::string& page_token,
                                                              std::string* next_page_token) {
  std::vector<v1::Template> rows;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "SELECT " << kColumns << " FROM templates WHERE id > ";
    q.Bind(page_token);
    if (!f.event_type.empty()) {
      q << " AND event_type = ";
      q.Bind(f.event_type);
    }
    if (f.channel != 0) {
      q << " AND channel = ";
      q.Bind(f.channel);
    }
    if (f.language != 0) {
      q << " AND language = ";
      q.Bind(f.language);
    }
    q << " ORDER BY id LIMIT ";
    q.Bind(page_size + 1);
    rows = Fetch(s, q);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  next_page_token->clear();
  if (static_cast<int>(rows.size()) > page_size) {
    rows.resize(page_size);
    *next_page_token = IdOf(rows.back().name());
  }
  return rows;
}

absl::StatusOr<v1::Template> TemplateStore::Update(const v1::Template& t, absl::Time now) {
  const std::string id = IdOf(t.name());
  v1::Template out;
  absl::Status st = db_.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<std::optional<v1::Template>> current = FindTemplate(s, id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      return ErrorWithInfo(absl::StatusCode::kNotFound, absl::StrCat("no template ", id), "TEMPLATE_NOT_FOUND",
                           {{"template", id}});
    }
    if (!t.etag().empty() && t.etag() != (*current)->etag()) {
      return ErrorWithInfo(absl::StatusCode::kAborted, "the template changed since it was read", "ETAG_MISMATCH",
                           {{"template", id}, {"etag", (*current)->etag()}});
    }
    Sql q;
    q << "UPDATE templates SET subject = ";
    q.Bind(t.subject()) << ", body = ";
    q.Bind(t.body()) << ", essential = ";
    q.Bind(t.essential() ? 1 : 0) << ", update_us = ";
    q.Bind(static_cast<long long>(db::TimeToMicros(now))) << ", version = version + 1 WHERE id = ";
    q.Bind(id);
    q.Exec(s);
    absl::StatusOr<std::optional<v1::Template>> again = FindTemplate(s, id);
    if (!again.ok()) return again.status();
    out = **again;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace etnik::notifications::store
