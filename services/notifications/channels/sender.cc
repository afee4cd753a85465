#include "services/notifications/channels/sender.h"

namespace etnik::notifications {

bool IsRetryable(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsResourceExhausted(status);
}

}  // namespace etnik::notifications
