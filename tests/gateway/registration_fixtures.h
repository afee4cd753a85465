#ifndef ETNIK_TESTS_GATEWAY_REGISTRATION_FIXTURES_H_
#define ETNIK_TESTS_GATEWAY_REGISTRATION_FIXTURES_H_

// Proto3 JSON bodies of a small open competition for the gateway tests: a programme whose
// selection runs through 2021, its application form, a survey and a complete application.

#include <string>

#include "absl/strings/str_cat.h"

namespace etnik::gateway::testing {

inline constexpr char kProgrammeJson[] =
    R"({"title":{"ru":"Программа"},"timeZone":"Europe/Moscow","seats":40,"stages":[{"stageId":"selection",)"
    R"("kind":"STAGE_KIND_SELECTION","title":{"ru":"Отбор"},"window":{"startTime":"2021-03-01T00:00:00Z",)"
    R"("endTime":"2021-12-31T00:00:00Z"}}],"reviewCriteria":[{"criterionId":"relevance",)"
    R"("title":{"ru":"Актуальность"},"weight":1,"maxScore":10}]})";
inline constexpr char kApplicationFormJson[] =
    R"({"purpose":"FORM_PURPOSE_APPLICATION","title":{"ru":"Анкета"},"questions":[{"questionId":"experience",)"
    R"("type":"QUESTION_TYPE_LONG_TEXT","text":{"ru":"Опыт","en":"Experience"},"required":true}]})";
inline constexpr char kSurveyJson[] =
    R"({"purpose":"FORM_PURPOSE_SURVEY","title":{"ru":"Опрос"},"questions":[{"questionId":"useful",)"
    R"("type":"QUESTION_TYPE_LONG_TEXT","text":{"ru":"Что было полезно?"}}]})";
inline constexpr char kApplicationJson[] =
    R"({"organisation":{"fullName":"АНО «Ресурсный центр»","inn":"7707083893","region":"RU-SMO","city":"Смоленск"},)"
    R"("contactPerson":{"fullName":"Иванова Мария","contact":{"email":"maria@example.org"}},)"
    R"("answers":[{"questionId":"experience","text":"Экспедиции с 2015 года"}]})";

// A valid 10-digit INN (legal entity) ending in n before its check digit.
inline std::string InnFor(int n) {
  std::string digits = absl::StrCat("77010000", n % 10);
  const int weights[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[i] - '0') * weights[i];
  return absl::StrCat(digits, sum % 11 % 10);
}

}  // namespace etnik::gateway::testing

#endif  // ETNIK_TESTS_GATEWAY_REGISTRATION_FIXTURES_H_
