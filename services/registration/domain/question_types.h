#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_QUESTION_TYPES_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_QUESTION_TYPES_H_

// Facts about question types shared by the form rules, the answer rules and the survey summary.

#include "etnik/registration/v1/form.pb.h"

namespace etnik::registration {

inline bool IsChoiceType(v1::QuestionType type) {
  return type == v1::QUESTION_TYPE_SINGLE_CHOICE || type == v1::QUESTION_TYPE_MULTIPLE_CHOICE;
}

// Types whose answer is Answer.text.
inline bool IsTextType(v1::QuestionType type) {
  switch (type) {
    case v1::QUESTION_TYPE_TEXT:
    case v1::QUESTION_TYPE_LONG_TEXT:
    case v1::QUESTION_TYPE_REGION:
    case v1::QUESTION_TYPE_EMAIL:
    case v1::QUESTION_TYPE_PHONE:
    case v1::QUESTION_TYPE_URL:
      return true;
    default:
      return false;
  }
}

// Types a show_if condition may test: their answers are a closed set of values.
inline bool CanBeConditionTarget(v1::QuestionType type) {
  return IsChoiceType(type) || type == v1::QUESTION_TYPE_YES_NO;
}

// A show_if with neither a question nor values is treated as absent (clients send empty
// messages for "no condition").
inline bool HasCondition(const v1::Question& q) {
  return q.has_show_if() && !(q.show_if().question_id().empty() && q.show_if().any_of().empty());
}

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_QUESTION_TYPES_H_
