#include "services/notifications/domain/time_text.h"

namespace etnik::notifications {

std::string FormatLocal(absl::Time, absl::string_view, etnik::common::v1::Language) { return ""; }
std::string FormatForRecipient(absl::Time, absl::string_view, absl::string_view, etnik::common::v1::Language) { return ""; }

}  // namespace etnik::notifications
