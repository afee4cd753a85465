#include "services/registration/domain/survey_summary.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

using ::testing::ElementsAre;

v1::Form SurveyForm() {
  v1::Form form;
  google::protobuf::TextFormat::ParseFromString(R"pb(
    name: "programmes/etnik-2021/forms/survey"
    purpose: FORM_PURPOSE_SURVEY
    title { ru: "Опрос о ресурсах и потребностях НКО" }
    questions { question_id: "region" type: QUESTION_TYPE_REGION text { ru: "Регион" } }
    questions { question_id: "staff" type: QUESTION_TYPE_NUMBER text { ru: "Сотрудников" } }
    questions { question_id: "needs" type: QUESTION_TYPE_MULTIPLE_CHOICE text { ru: "Потребности" }
                choices { value: "money" } choices { value: "people" } choices { value: "premises" } }
    questions { question_id: "volunteers" type: QUESTION_TYPE_YES_NO text { ru: "Есть волонтёры?" } }
    questions { question_id: "comment" type: QUESTION_TYPE_LONG_TEXT text { ru: "Комментарий" } }
  )pb", &form);
  return form;
}

v1::SurveyResponse Response(const std::string& text) {
  v1::SurveyResponse r;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &r)) << text;
  return r;
}

std::vector<std::pair<std::string, int>> Counts(const v1::QuestionSummary& q) {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& vc : q.value_counts()) out.emplace_back(vc.value(), vc.count());
  return out;
}

TEST(SummariseSurveyTest, AggregatesPerQuestionInFormOrder) {
  std::vector<v1::SurveyResponse> responses = {
      Response(R"pb(answers { question_id: "region" text: "RU-SMO" }
                    answers { question_id: "staff" number: 3 }
                    answers { question_id: "needs" choices { values: "money" values: "people" } }
                    answers { question_id: "volunteers" yes_no: true }
                    answers { question_id: "comment" text: "Нужен зал для репетиций" })pb"),
      Response(R"pb(answers { question_id: "region" text: "RU-TA" }
                    answers { question_id: "staff" number: 10 }
                    answers { question_id: "needs" choices { values: "money" values: "money" } }
                    answers { question_id: "volunteers" yes_no: true })pb"),
      Response(R"pb(answers { question_id: "region" text: "RU-SMO" }
                    answers { question_id: "staff" number: 1 }
                    answers { question_id: "staff" number: 1000 }
                    answers { question_id: "needs" choices { values: "premises" } }
                    answers { question_id: "volunteers" yes_no: false }
                    answers { question_id: "comment" text: "  " })pb"),
      Response(R"pb(answers { question_id: "staff" number: 6 }
                    answers { question_id: "volunteers" text: "yes" }
                    answers { question_id: "unknown" text: "x" })pb"),
  };
  v1::SurveySummary s = SummariseSurvey(SurveyForm(), responses);
  EXPECT_EQ(s.form(), "programmes/etnik-2021/forms/survey");
  EXPECT_EQ(s.response_count(), 4);
  ASSERT_EQ(s.questions_size(), 5);

  EXPECT_EQ(s.questions(0).question_id(), "region");
  EXPECT_EQ(s.questions(0).answered(), 3);
  EXPECT_THAT(Counts(s.questions(0)), ElementsAre(std::pair<std::string, int>("RU-SMO", 2),
                                                  std::pair<std::string, int>("RU-TA", 1)));
  EXPECT_FALSE(s.questions(0).has_number_stats());

  // staff: 3, 10, 1, 6 (the duplicate 1000 is ignored).
  const v1::QuestionSummary& staff = s.questions(1);
  EXPECT_EQ(staff.answered(), 4);
  ASSERT_TRUE(staff.has_number_stats());
  EXPECT_DOUBLE_EQ(staff.number_stats().min(), 1);
  EXPECT_DOUBLE_EQ(staff.number_stats().max(), 10);
  EXPECT_DOUBLE_EQ(staff.number_stats().sum(), 20);
  EXPECT_DOUBLE_EQ(staff.number_stats().mean(), 5);
  EXPECT_DOUBLE_EQ(staff.number_stats().median(), 4.5);
  EXPECT_TRUE(staff.value_counts().empty());

  // needs: money twice (once per response), people and premises once; ties by value.
  EXPECT_EQ(s.questions(2).answered(), 3);
  EXPECT_THAT(Counts(s.questions(2)), ElementsAre(std::pair<std::string, int>("money", 2),
                                                  std::pair<std::string, int>("people", 1),
                                                  std::pair<std::string, int>("premises", 1)));
  // volunteers: the text "yes" is the wrong kind and not counted.
  EXPECT_EQ(s.questions(3).answered(), 3);
  EXPECT_THAT(Counts(s.questions(3)), ElementsAre(std::pair<std::string, int>("yes", 2),
                                                  std::pair<std::string, int>("no", 1)));
  // comment: only counted; blank text is no answer.
  EXPECT_EQ(s.questions(4).answered(), 1);
  EXPECT_TRUE(s.questions(4).value_counts().empty());
  EXPECT_FALSE(s.questions(4).has_number_stats());
}

TEST(SummariseSurveyTest, OddMedianAndNoResponses) {
  v1::SurveySummary s = SummariseSurvey(SurveyForm(), {Response(R"pb(answers { question_id: "staff" number: 7 })pb"),
                                                       Response(R"pb(answers { question_id: "staff" number: -2 })pb"),
                                                       Response(R"pb(answers { question_id: "staff" number: 4 })pb")});
  EXPECT_DOUBLE_EQ(s.questions(1).number_stats().median(), 4);
  EXPECT_DOUBLE_EQ(s.questions(1).number_stats().min(), -2);

  v1::SurveySummary empty = SummariseSurvey(SurveyForm(), {});
  EXPECT_EQ(empty.response_count(), 0);
  ASSERT_EQ(empty.questions_size(), 5);
  for (const auto& q : empty.questions()) {
    EXPECT_EQ(q.answered(), 0);
    EXPECT_FALSE(q.has_number_stats());
  }
}

}  // namespace
}  // namespace etnik::registration
