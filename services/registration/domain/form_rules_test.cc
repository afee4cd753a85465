#include "services/registration/domain/form_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registration/domain/testing/sample_form.h"

namespace etnik::registration {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const auto& v : violations) fields.push_back(v.field);
  return fields;
}

v1::Form Parse(const std::string& text) {
  v1::Form form;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &form)) << text;
  return form;
}

// A minimal valid form plus the given questions.
v1::Form WithQuestions(const std::string& questions) {
  return Parse(R"pb(purpose: FORM_PURPOSE_SURVEY title { ru: "Опрос СОНКО" } )pb" + questions);
}

TEST(ValidateFormTest, SampleFormIsValid) {
  EXPECT_THAT(ValidateForm(testing::SampleForm(), Language::kRussian), IsEmpty());
}

TEST(ValidateFormTest, PurposeTitleAndWindow) {
  v1::Form form = Parse(R"pb(title { ru: " " } open_time { seconds: 100 } close_time { seconds: 100 })pb");
  EXPECT_THAT(Fields(ValidateForm(form, Language::kRussian)), ElementsAre("form.purpose", "form.title", "form.close_time"));
  form = Parse(R"pb(purpose: FORM_PURPOSE_APPLICATION title { en: "Questionnaire" }
                   open_time { seconds: 100 } close_time { seconds: 100 nanos: 1 })pb");
  EXPECT_THAT(ValidateForm(form, Language::kRussian), IsEmpty());
  form.set_purpose(static_cast<v1::FormPurpose>(42));
  EXPECT_THAT(Fields(ValidateForm(form, Language::kRussian)), ElementsAre("form.purpose"));
}

TEST(ValidateFormTest, QuestionIds) {
  v1::Form form = WithQuestions(R"pb(
    questions { question_id: "region" type: QUESTION_TYPE_REGION text { ru: "Регион" } }
    questions { question_id: "region" type: QUESTION_TYPE_TEXT text { ru: "Ещё регион" } }
    questions { question_id: "Region" type: QUESTION_TYPE_TEXT text { ru: "a" } }
    questions { question_id: "1st" type: QUESTION_TYPE_TEXT text { ru: "a" } }
    questions { question_id: "" type: QUESTION_TYPE_TEXT text { ru: "a" } }
    questions { question_id: "регион" type: QUESTION_TYPE_TEXT text { ru: "a" } }
    questions { question_id: "a_0123456789012345678901234567890123456789012345678901234567890" type: QUESTION_TYPE_TEXT text { ru: "a" } }
    questions { question_id: "a_01234567890123456789012345678901234567890123456789012345678901" type: QUESTION_TYPE_TEXT text { ru: "a" } }
  )pb");
  auto violations = ValidateForm(form, Language::kEnglish);
  EXPECT_THAT(Fields(violations),
              ElementsAre("form.questions[1].question_id", "form.questions[2].question_id",
                          "form.questions[3].question_id", "form.questions[4].question_id",
                          "form.questions[5].question_id", "form.questions[7].question_id"));
  EXPECT_THAT(violations[0].description, HasSubstr("used more than once"));
  EXPECT_THAT(violations[1].description, HasSubstr("\"Region\" is invalid"));
}

TEST(ValidateFormTest, TypeTextAndLengths) {
  v1::Form form = WithQuestions(R"pb(
    questions { question_id: "a" text { ru: "Без типа" } }
    questions { question_id: "b" type: QUESTION_TYPE_TEXT }
    questions { question_id: "c" type: QUESTION_TYPE_TEXT text { ru: "c" } max_length: -1 }
    questions { question_id: "d" type: 99 text { ru: "d" } }
  )pb");
  auto violations = ValidateForm(form, Language::kRussian);
  EXPECT_THAT(Fields(violations), ElementsAre("form.questions[0].type", "form.questions[1].text",
                                              "form.questions[2].max_length", "form.questions[3].type"));
  EXPECT_EQ(violations[0].description, "У вопроса «a» не указан тип.");
}

TEST(ValidateFormTest, Choices) {
  v1::Form form = WithQuestions(R"pb(
    questions { question_id: "a" type: QUESTION_TYPE_SINGLE_CHOICE text { ru: "a" } }
    questions { question_id: "b" type: QUESTION_TYPE_MULTIPLE_CHOICE text { ru: "b" }
                choices { value: "x" } choices { value: "" } choices { value: "x" } choices { value: "y" } }
    questions { question_id: "c" type: QUESTION_TYPE_TEXT text { ru: "c" } choices { value: "x" } }
    questions { question_id: "d" type: QUESTION_TYPE_YES_NO text { ru: "d" } choices { value: "yes" } }
  )pb");
  EXPECT_THAT(Fields(ValidateForm(form, Language::kRussian)),
              ElementsAre("form.questions[0].choices", "form.questions[1].choices[1].value",
                          "form.questions[1].choices[2].value", "form.questions[2].choices",
                          "form.questions[3].choices"));
}

TEST(ValidateFormTest, NumberRange) {
  v1::Form form = WithQuestions(R"pb(
    questions { question_id: "a" type: QUESTION_TYPE_NUMBER text { ru: "a" } min_value: 5 max_value: 1 }
    questions { question_id: "b" type: QUESTION_TYPE_NUMBER text { ru: "b" } min_value: 5 max_value: 5 }
    questions { question_id: "c" type: QUESTION_TYPE_NUMBER text { ru: "c" } min_value: nan }
    questions { question_id: "d" type: QUESTION_TYPE_TEXT text { ru: "d" } max_value: 10 }
    questions { question_id: "e" type: QUESTION_TYPE_NUMBER text { ru: "e" } min_value: -inf }
  )pb");
  EXPECT_THAT(Fields(ValidateForm(form, Language::kRussian)),
              ElementsAre("form.questions[0].min_value", "form.questions[2].min_value",
                          "form.questions[3].max_value"));
}

TEST(ValidateFormTest, ShowIf) {
  v1::Form form = WithQuestions(R"pb(
    questions { question_id: "kind" type: QUESTION_TYPE_SINGLE_CHOICE text { ru: "Вид" }
                choices { value: "ano" } choices { value: "fond" } }
    questions { question_id: "member" type: QUESTION_TYPE_YES_NO text { ru: "Член ассоциации?" } }
    questions { question_id: "name" type: QUESTION_TYPE_TEXT text { ru: "Название" } }
    questions { question_id: "ok1" type: QUESTION_TYPE_TEXT text { ru: "ok" } show_if { question_id: "kind" any_of: "fond" } }
    questions { question_id: "ok2" type: QUESTION_TYPE_TEXT text { ru: "ok" } show_if { question_id: "member" any_of: "yes" any_of: "no" } }
    questions { question_id: "bad1" type: QUESTION_TYPE_TEXT text { ru: "b" } show_if { question_id: "nope" any_of: "x" } }
    questions { question_id: "bad2" type: QUESTION_TYPE_TEXT text { ru: "b" } show_if { question_id: "later" any_of: "x" } }
    questions { question_id: "bad3" type: QUESTION_TYPE_TEXT text { ru: "b" } show_if { question_id: "name" any_of: "x" } }
    questions { question_id: "bad4" type: QUESTION_TYPE_TEXT text { ru: "b" } show_if { question_id: "kind" } }
    questions { question_id: "bad5" type: QUESTION_TYPE_TEXT text { ru: "b" } show_if { question_id: "kind" any_of: "ano" any_of: "nko" } }
    questions { question_id: "bad6" type: QUESTION_TYPE_TEXT text { ru: "b" } show_if { question_id: "member" any_of: "true" } }
    questions { question_id: "bad7" type: QUESTION_TYPE_YES_NO text { ru: "b" } show_if { question_id: "bad7" any_of: "yes" } }
    questions { question_id: "later" type: QUESTION_TYPE_YES_NO text { ru: "Позже" } }
    questions { question_id: "none" type: QUESTION_TYPE_TEXT text { ru: "n" } show_if {} }
  )pb");
  auto violations = ValidateForm(form, Language::kEnglish);
  EXPECT_THAT(Fields(violations),
              ElementsAre("form.questions[5].show_if.question_id", "form.questions[6].show_if.question_id",
                          "form.questions[7].show_if.question_id", "form.questions[8].show_if.any_of",
                          "form.questions[9].show_if.any_of[1]", "form.questions[10].show_if.any_of[0]",
                          "form.questions[11].show_if.question_id"));
  EXPECT_THAT(violations[0].description, HasSubstr("unknown question \"nope\""));
  EXPECT_THAT(violations[1].description, HasSubstr("earlier question"));
  EXPECT_THAT(violations[2].description, HasSubstr("choice or yes/no"));
  EXPECT_THAT(violations[4].description, HasSubstr("\"nko\""));
}

TEST(ValidateFormTest, RussianDescriptions) {
  v1::Form form = WithQuestions(R"pb(
    questions { question_id: "a" type: QUESTION_TYPE_SINGLE_CHOICE text { ru: "a" } }
  )pb");
  EXPECT_THAT(ValidateForm(form, Language::kRussian),
              ElementsAre(Field(&FieldViolation::description,
                                "У вопроса «a» с выбором ответа должен быть хотя бы один вариант.")));
}

}  // namespace
}  // namespace etnik::registration
