#include "services/notifications/channels/smtp_sender.h"

namespace etnik::notifications {
namespace {
class Stub : public Sender {
 public:
  absl::Status Send(const OutgoingMessage&) override { return absl::UnimplementedError("not yet"); }
};
}  // namespace

std::unique_ptr<Sender> MakeSmtpSender(SmtpOptions) { return std::make_unique<Stub>(); }
std::string BuildMimeMessage(const OutgoingMessage&, absl::string_view, absl::Time) { return ""; }

}  // namespace etnik::notifications
