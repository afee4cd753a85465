#include "services/notifications/channels/webhook_sender.h"

namespace etnik::notifications {
namespace {
class Stub : public Sender {
 public:
  absl::Status Send(const OutgoingMessage&) override { return absl::UnimplementedError("not yet"); }
};
}  // namespace

std::unique_ptr<Sender> MakeWebhookSender(WebhookOptions, std::function<std::string(absl::string_view)>) {
  return std::make_unique<Stub>();
}
std::string WebhookSignature(absl::string_view, absl::string_view, absl::string_view) { return ""; }
bool VerifyWebhookSignature(absl::string_view, absl::string_view, absl::string_view, absl::string_view) {
  return false;
}

}  // namespace etnik::notifications
