#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_FORM_RULES_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_FORM_RULES_H_

// Is a form DEFINITION valid? Organisers save forms; broken ones are refused at save time so
// that applicants never meet a question they cannot answer.

#include <vector>

#include "common/status/errors.h"
#include "etnik/registration/v1/form.pb.h"
#include "services/registration/domain/messages.h"

namespace etnik::registration {

// Question ids match [a-z][a-z0-9_]{0,62} and are unique; the type is set; choice questions
// have >= 1 choice with unique non-empty values; other questions have none; show_if names an
// EARLIER question of single/multiple choice or yes/no type and values that exist ("yes"/"no"
// for yes/no); min_value <= max_value; max_length >= 0; the title has ru or en text;
// open_time < close_time when both are set; the purpose is set.
// Paths like "form.questions[2].choices", "form.questions[0].show_if.question_id".
std::vector<etnik::FieldViolation> ValidateForm(const v1::Form& form, Language lang);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_FORM_RULES_H_
