#include "services/notifications/domain/default_templates.h"

namespace etnik::notifications {

std::vector<v1::Template> DefaultTemplates() { return {}; }
std::string TemplateId(absl::string_view, etnik::common::v1::Channel, etnik::common::v1::Language) { return ""; }

}  // namespace etnik::notifications
