#ifndef ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_TEMPLATE_ENGINE_H_
#define ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_TEMPLATE_ENGINE_H_

// A tiny, safe template language for notification texts:
//   {{variable}}                  substitution (HTML-escaped only by RenderHtml, plain otherwise)
//   {{#if variable}}...{{else}}...{{/if}}  first branch when the variable is non-empty and not
//                                 "false"; {{else}} optional; blocks may nest
// Nothing else (no loops, no calls, no partials). Unknown variables and unbalanced or malformed
// tags are refused when a template is saved (ValidateTemplate), so sending never meets them.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "etnik/notifications/v1/template.pb.h"

namespace etnik::notifications {

// One problem of a template text; field is "template.body" or "template.subject".
struct TemplateError {
  std::string field;
  std::string description;
};

// Event type of the service-made reminder before a session.
inline constexpr char kReminderEventType[] = "etnik.notifications.Reminder";

// Syntax of subject and body, and only variables allowed for t.event_type; empty when valid.
// An unknown event type is itself a violation (field "template.event_type").
std::vector<etnik::FieldViolation> ValidateTemplate(const v1::Template& t);

// Problems of one text (no event-type check when `allowed` is null).
std::vector<TemplateError> CheckText(absl::string_view field, absl::string_view text,
                                     const std::vector<std::string>* allowed);

// Variables a template of this event type may use, sorted; empty for an unknown type.
// Accepts the full message name ("etnik.events.v1.SessionBooked") and the short one.
std::vector<std::string> AllowedVariables(absl::string_view event_type);

// Event types the service has templates for (full names), in a stable order.
std::vector<std::string> KnownEventTypes();

// Renders plain text. INVALID_ARGUMENT on a syntax error; a variable missing from `vars`
// renders empty (validation already restricted the names).
absl::StatusOr<std::string> Render(absl::string_view text,
                                   const std::map<std::string, std::string>& vars);

// Same, with every substituted value HTML-escaped (the html body variant).
absl::StatusOr<std::string> RenderHtml(absl::string_view text,
                                       const std::map<std::string, std::string>& vars);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_TEMPLATE_ENGINE_H_
