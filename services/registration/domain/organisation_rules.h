#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_ORGANISATION_RULES_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_ORGANISATION_RULES_H_

// The organisation and contact person of an application (or a survey response).

#include <vector>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "etnik/registration/v1/application.pb.h"
#include "services/registration/domain/messages.h"

namespace etnik::registration {

// require_ids: the INN is required (applications); the OGRN is optional but checked when given
// (and the INN likewise checked when given for surveys). full_name required (<= 500 code
// points), region required and known, contact person full_name and e-mail required and valid,
// phone checked when given, contact_person.time_zone a valid IANA zone when given.
// `contact` may be null (survey responses have none).
// Paths "<prefix>.organisation.inn", "<prefix>.contact_person.contact.email", ... where prefix
// is "application" or "survey_response".
std::vector<etnik::FieldViolation> ValidateOrganisation(const v1::Organisation& org, const v1::ContactPerson* contact,
                                                        absl::string_view prefix, Language lang, bool require_ids);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_ORGANISATION_RULES_H_
