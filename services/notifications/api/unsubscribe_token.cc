#include "services/notifications/api/unsubscribe_token.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/base64url.h"
#include "common/status/errors.h"
#include "services/notifications/channels/webhook_sender.h"

namespace etnik::notifications {
namespace {

constexpr char kPurpose[] = "unsubscribe";

absl::Status Bad() { return InvalidArgumentError("the unsubscribe link is not valid", {{"token", "not a valid token"}}); }

}  // namespace

std::string MakeUnsubscribeToken(absl::string_view secret, absl::string_view recipient) {
  // WebhookSignature is HMAC-SHA256 over "<purpose>.<recipient>", "sha256=<hex>".
  const std::string mac = WebhookSignature(secret, kPurpose, recipient);
  return absl::StrCat(auth::Base64UrlEncode(recipient), ".", mac.substr(mac.find('=') + 1));
}

absl::StatusOr<std::string> ParseUnsubscribeToken(absl::string_view secret, absl::string_view token) {
  if (secret.empty()) return absl::FailedPreconditionError("unsubscribe links are not configured");
  std::vector<absl::string_view> parts = absl::StrSplit(token, absl::MaxSplits('.', 1));
  if (parts.size() != 2) return Bad();
  std::optional<std::string> recipient = auth::Base64UrlDecode(parts[0]);
  if (!recipient || recipient->empty()) return Bad();
  if (!VerifyWebhookSignature(secret, kPurpose, *recipient, absl::StrCat("sha256=", parts[1]))) return Bad();
  return *recipient;
}

}  // namespace etnik::notifications
