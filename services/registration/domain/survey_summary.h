#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_SURVEY_SUMMARY_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_SURVEY_SUMMARY_H_

// Aggregation of the NGO survey: what organisations answered, per question.

#include <vector>

#include "etnik/registration/v1/form.pb.h"
#include "etnik/registration/v1/survey.pb.h"

namespace etnik::registration {

// Per question, in form order: answered count; value counts (choice values, region codes,
// "yes"/"no") most first then by value; number stats (min, max, mean, median, sum); text
// questions only counted. Answers of the wrong type or to unknown questions are ignored.
// summary.form is form.name; response_count is responses.size().
v1::SurveySummary SummariseSurvey(const v1::Form& form, const std::vector<v1::SurveyResponse>& responses);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_SURVEY_SUMMARY_H_
