#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_WEBHOOKS_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_WEBHOOKS_H_

// Webhook subscriptions of other systems: a URI, the event types it wants (empty: all) and the
// HMAC secret its posts are signed with (stored, never returned by the API).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/database.h"
#include "etnik/notifications/v1/webhook.pb.h"

namespace etnik::notifications::store {

// Every subscription, with secrets, inside the caller's transaction (the planner).
absl::StatusOr<std::vector<v1::WebhookSubscription>> AllWebhooks(soci::session& s);

class WebhookStore {
 public:
  explicit WebhookStore(db::Database& db) : db_(db) {}
  // ALREADY_EXISTS when the id is taken by a different subscription; the same request again
  // (same id, uri and secret) answers the stored one.
  absl::StatusOr<v1::WebhookSubscription> Create(const v1::WebhookSubscription& w, const std::string& id,
                                                 absl::Time now);
  // Ordered by id, without secrets.
  absl::StatusOr<std::vector<v1::WebhookSubscription>> List(int page_size, const std::string& page_token,
                                                            std::string* next_page_token);
  // NOT_FOUND when missing.
  absl::Status Delete(const std::string& id);
  // The secret of the subscription posting to `uri`; empty when none.
  std::string SecretFor(const std::string& uri);

 private:
  db::Database& db_;
};

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_WEBHOOKS_H_
