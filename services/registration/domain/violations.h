#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_VIOLATIONS_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_VIOLATIONS_H_

// Turns the violations the rules return into the status the API sends back.

#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "services/registration/domain/messages.h"

namespace etnik::registration {

// OK when there are none; otherwise INVALID_ARGUMENT with a summary in `lang` ("3 fields are
// invalid") and every violation as a google.rpc.BadRequest field violation.
absl::Status ViolationsStatus(std::vector<etnik::FieldViolation> violations, Language lang);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_VIOLATIONS_H_
