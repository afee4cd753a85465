#ifndef ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_DEFAULT_TEMPLATES_H_
#define ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_DEFAULT_TEMPLATES_H_

// Built-in templates: Russian and English, e-mail and Telegram, for every event type the service
// sends (see KnownEventTypes). Organisers edit copies of them; each passes ValidateTemplate.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "etnik/common/v1/channel.pb.h"
#include "etnik/common/v1/text.pb.h"
#include "etnik/notifications/v1/template.pb.h"

namespace etnik::notifications {

// name = templates/{short-event-type}-{channel}-{language} in kebab case, e.g.
// templates/session-booked-email-ru; variables = AllowedVariables(event_type).
std::vector<v1::Template> DefaultTemplates();

// The template id for (event type, channel, language), e.g. "session-booked-email-ru".
std::string TemplateId(absl::string_view event_type, etnik::common::v1::Channel channel,
                       etnik::common::v1::Language language);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_DEFAULT_TEMPLATES_H_
