#include "services/registration/domain/violations.h"

#include "absl/strings/str_cat.h"

namespace etnik::registration {

absl::Status ViolationsStatus(std::vector<etnik::FieldViolation> violations, Language lang) {
  if (violations.empty()) return absl::OkStatus();
  std::string summary = Message(MessageKey::kRequestInvalid, lang, {{"count", absl::StrCat(violations.size())}});
  return InvalidArgumentError(summary, std::move(violations));
}

}  // namespace etnik::registration
