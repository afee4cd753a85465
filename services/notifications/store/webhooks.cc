#include "services/notifications/store/webhooks.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/time_micros.h"
#include "common/status/errors.h"
#include "google/protobuf/util/time_util.h"
#include "services/notifications/store/sql.h"

namespace etnik::notifications::store {
namespace {

constexpr char kColumns[] = "id, uri, event_types, secret, description, create_us";

std::vector<v1::WebhookSubscription> Fetch(soci::session& s, Sql& q) {
  std::vector<v1::WebhookSubscription> out;
  std::string id, uri, types, secret, description;
  long long create_us = 0;
  q.Fetch(
      s,
      [&](soci::statement& st) {
        for (std::string* v : {&id, &uri, &types, &secret, &description}) st.exchange(soci::into(*v));
        st.exchange(soci::into(create_us));
      },
      [&] {
        v1::WebhookSubscription w;
        w.set_name(absl::StrCat("webhookSubscriptions/", id));
        w.set_uri(uri);
        for (absl::string_view t : absl::StrSplit(types, ',', absl::SkipEmpty())) w.add_event_types(std::string(t));
        w.set_secret(secret);
        w.set_description(description);
        *w.mutable_create_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(create_us);
        out.push_back(std::move(w));
      });
  return out;
}

}  // namespace

absl::StatusOr<std::vector<v1::WebhookSubscription>> AllWebhooks(soci::session& s) {
  Sql q;
  q << "SELECT " << kColumns << " FROM webhook_subscriptions ORDER BY id";
  return Fetch(s, q);
}

absl::StatusOr<v1::WebhookSubscription> WebhookStore::Create(const v1::WebhookSubscription& w, const std::string& id,
                                                             absl::Time now) {
  v1::WebhookSubscription out;
  absl::Status st = db_.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    Sql find;
    find << "SELECT " << kColumns << " FROM webhook_subscriptions WHERE id = ";
    find.Bind(id);
    std::vector<v1::WebhookSubscription> existing = Fetch(s, find);
    if (!existing.empty()) {
      if (existing[0].uri() == w.uri() && existing[0].secret() == w.secret()) {
        out = existing[0];
        return absl::OkStatus();
      }
      return ErrorWithInfo(absl::StatusCode::kAlreadyExists, "a webhook subscription of that id exists",
                           "WEBHOOK_SUBSCRIPTION_EXISTS", {{"webhook_subscription", id}});
    }
    Sql q;
    q << "INSERT INTO webhook_subscriptions (" << kColumns << ") VALUES (";
    q.Bind(id) << ", ";
    q.Bind(w.uri()) << ", ";
    q.Bind(absl::StrJoin(w.event_types(), ",")) << ", ";
    q.Bind(w.secret()) << ", ";
    q.Bind(w.description()) << ", ";
    q.Bind(static_cast<long long>(db::TimeToMicros(now))) << ")";
    q.Exec(s);
    Sql again;
    again << "SELECT " << kColumns << " FROM webhook_subscriptions WHERE id = ";
    again.Bind(id);
    out = Fetch(s, again).front();
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::vector<v1::WebhookSubscription>> WebhookStore::List(int page_size, const std::string& page_token,
                                                                        std::string* next_page_token) {
  std::vector<v1::WebhookSubscription> rows;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "SELECT " << kColumns << " FROM webhook_subscriptions WHERE id > ";
    q.Bind(page_token) << " ORDER BY id LIMIT ";
    q.Bind(page_size + 1);
    rows = Fetch(s, q);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  next_page_token->clear();
  if (static_cast<int>(rows.size()) > page_size) {
    rows.resize(page_size);
    *next_page_token = rows.back().name().substr(21);
  }
  for (v1::WebhookSubscription& w : rows) w.clear_secret();
  return rows;
}

absl::Status WebhookStore::Delete(const std::string& id) {
  return db_.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "DELETE FROM webhook_subscriptions WHERE id = ";
    q.Bind(id);
    if (q.Exec(s) == 0) {
      return ErrorWithInfo(absl::StatusCode::kNotFound, "no such webhook subscription", "WEBHOOK_SUBSCRIPTION_NOT_FOUND",
                           {{"webhook_subscription", id}});
    }
    return absl::OkStatus();
  });
}

std::string WebhookStore::SecretFor(const std::string& uri) {
  std::string secret;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "SELECT secret FROM webhook_subscriptions WHERE uri = ";
    q.Bind(uri) << " ORDER BY id LIMIT 1";
    q.Fetch(s, [&](soci::statement& st) { st.exchange(soci::into(secret)); }, [] {});
    return absl::OkStatus();
  });
  return st.ok() ? secret : std::string();
}

}  // namespace etnik::notifications::store
