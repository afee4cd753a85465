#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_ANSWER_RULES_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_ANSWER_RULES_H_

// Are answers valid for a form? Drafts may be incomplete; submissions may not.

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "etnik/registration/v1/form.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/registration/domain/messages.h"
#include "services/registration/domain/organisation_rules.h"  // ValidateOrganisation, used beside answers

namespace etnik::registration {

// kDraft: types and formats only; kSubmit: also every required, visible question answered.
enum class AnswerCheck { kDraft, kSubmit };

// Text answers longer than max_length are refused; 0 means these defaults (code points).
inline constexpr int kDefaultTextMaxLength = 500;
inline constexpr int kDefaultLongTextMaxLength = 10000;

// Violations: unknown or duplicate question ids; wrong oneof for the type (text for
// TEXT/LONG_TEXT/EMAIL/PHONE/URL/REGION, number for NUMBER, yes_no for YES_NO, choices for
// SINGLE/MULTIPLE_CHOICE, single exactly one); text longer than max_length (code points) or not
// UTF-8; number outside [min_value, max_value] or not finite; values not among the choices;
// e-mail / phone / http(s) URL formats; region not in RussianRegions(); answers to questions
// hidden by show_if ("question is not shown"). Paths "answers[<question_id>]".
// Descriptions are in `lang` and name the question by its text in that language.
std::vector<etnik::FieldViolation> ValidateAnswers(const v1::Form& form,
                                                   const google::protobuf::RepeatedPtrField<v1::Answer>& answers,
                                                   Language lang, AnswerCheck check);

// Whether `question` is shown given the answers (show_if holds, or there is no show_if).
// A question whose show_if names a hidden question is hidden too.
bool IsQuestionShown(const v1::Form& form, const v1::Question& question,
                     const google::protobuf::RepeatedPtrField<v1::Answer>& answers);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_ANSWER_RULES_H_
