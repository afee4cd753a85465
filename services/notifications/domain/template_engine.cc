#include "services/notifications/domain/template_engine.h"

namespace etnik::notifications {

std::vector<etnik::FieldViolation> ValidateTemplate(const v1::Template& t) { return {}; }
std::vector<TemplateError> CheckText(absl::string_view, absl::string_view, const std::vector<std::string>*) { return {}; }
std::vector<std::string> AllowedVariables(absl::string_view) { return {}; }
std::vector<std::string> KnownEventTypes() { return {}; }
absl::StatusOr<std::string> Render(absl::string_view, const std::map<std::string, std::string>&) {
  return absl::UnimplementedError("not yet");
}
absl::StatusOr<std::string> RenderHtml(absl::string_view, const std::map<std::string, std::string>&) {
  return absl::UnimplementedError("not yet");
}

}  // namespace etnik::notifications
