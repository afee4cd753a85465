#include "services/notifications/channels/telegram_sender.h"

namespace etnik::notifications {
namespace {
class Stub : public Sender {
 public:
  absl::Status Send(const OutgoingMessage&) override { return absl::UnimplementedError("not yet"); }
};
}  // namespace

std::unique_ptr<Sender> MakeTelegramSender(TelegramOptions) { return std::make_unique<Stub>(); }

}  // namespace etnik::notifications
