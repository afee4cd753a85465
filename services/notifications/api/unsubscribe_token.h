#ifndef ETNIK_SERVICES_NOTIFICATIONS_API_UNSUBSCRIBE_TOKEN_H_
#define ETNIK_SERVICES_NOTIFICATIONS_API_UNSUBSCRIBE_TOKEN_H_

// The token of an unsubscribe link: base64url(recipient key) "." HMAC-SHA256 of it under the
// service's secret, so a link can unsubscribe only the person it was sent to.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace etnik::notifications {

std::string MakeUnsubscribeToken(absl::string_view secret, absl::string_view recipient);

// The recipient key; INVALID_ARGUMENT (field "token") when malformed or not signed by `secret`.
absl::StatusOr<std::string> ParseUnsubscribeToken(absl::string_view secret, absl::string_view token);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_API_UNSUBSCRIBE_TOKEN_H_
