#ifndef ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_WEBHOOK_SENDER_H_
#define ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_WEBHOOK_SENDER_H_

// Webhooks: HTTP POST of json_payload to the address, signed so the receiver can trust it:
//   X-Etnik-Timestamp: <unix seconds>
//   X-Etnik-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//   Idempotency-Key: <idempotency_key>
// 2xx = OK; 408/429/5xx and transport errors = retry; other 4xx = permanent.

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/notifications/channels/sender.h"

namespace etnik::notifications {

struct WebhookOptions {
  absl::Duration timeout = absl::Seconds(10);
};

// secret_for_url gives the subscription's secret for a URL (empty: FAILED_PRECONDITION).
std::unique_ptr<Sender> MakeWebhookSender(WebhookOptions o,
                                          std::function<std::string(absl::string_view url)> secret_for_url);

// "sha256=<hex>", for receivers and tests.
std::string WebhookSignature(absl::string_view secret, absl::string_view timestamp,
                             absl::string_view body);

// Constant-time check of a received signature header value.
bool VerifyWebhookSignature(absl::string_view secret, absl::string_view timestamp,
                            absl::string_view body, absl::string_view signature_header);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_WEBHOOK_SENDER_H_
