#include "services/registration/domain/answer_rules.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registration/domain/form_rules.h"
#include "services/registration/domain/testing/sample_form.h"

namespace etnik::registration {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using AnswerList = google::protobuf::RepeatedPtrField<v1::Answer>;

AnswerList Answers(const std::string& text) {
  v1::Application app;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &app)) << text;
  return app.answers();
}

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const auto& v : violations) fields.push_back(v.field);
  return fields;
}

// A complete, valid submission of the sample form.
constexpr char kComplete[] = R"pb(
  answers { question_id: "profile" choices { values: "crafts" } }
  answers { question_id: "has_projects" yes_no: true }
  answers { question_id: "projects_count" number: 12 }
  answers { question_id: "about" text: "Смоленская региональная национально-культурная автономия." }
  answers { question_id: "motto" text: "Вместе!" }
  answers { question_id: "site" text: "https://etnik-smolensk.ru" }
  answers { question_id: "email" text: "info@etnik-smolensk.ru" }
  answers { question_id: "phone" text: "+7 (4812) 00-00-00" }
  answers { question_id: "region" text: "RU-SMO" }
  answers { question_id: "topics" choices { values: "festivals" values: "language" } }
  answers { question_id: "language_detail" text: "Белорусский, татарский" }
)pb";

class ValidateAnswersTest : public ::testing::Test {
 protected:
  std::vector<FieldViolation> Check(const std::string& answers, AnswerCheck check = AnswerCheck::kDraft,
                                    Language lang = Language::kRussian) {
    return ValidateAnswers(form_, Answers(answers), lang, check);
  }
  v1::Form form_ = testing::SampleForm();
};

TEST_F(ValidateAnswersTest, CompleteSubmissionIsValid) {
  ASSERT_THAT(ValidateForm(form_, Language::kRussian), IsEmpty());
  EXPECT_THAT(Check(kComplete, AnswerCheck::kSubmit), IsEmpty());
  EXPECT_THAT(Check(kComplete, AnswerCheck::kDraft), IsEmpty());
}

TEST_F(ValidateAnswersTest, EmptyDraftIsValidButNotSubmittable) {
  EXPECT_THAT(Check("", AnswerCheck::kDraft), IsEmpty());
  // Required and shown: profile, has_projects, about, region. projects_count, topics and
  // language_detail are hidden while their conditions are unanswered.
  auto violations = Check("", AnswerCheck::kSubmit);
  EXPECT_THAT(Fields(violations),
              ElementsAre("answers[profile]", "answers[has_projects]", "answers[about]", "answers[region]"));
  EXPECT_EQ(violations[0].description, "Ответьте на вопрос «Профиль организации».");
  EXPECT_EQ(Check("", AnswerCheck::kSubmit, Language::kEnglish)[0].description,
            "Please answer the question \"Organisation profile\".");
}

TEST_F(ValidateAnswersTest, BlankTextAndEmptySelectionAreUnanswered) {
  auto violations = Check(R"pb(
    answers { question_id: "profile" choices {} }
    answers { question_id: "has_projects" yes_no: false }
    answers { question_id: "about" text: "  \n " }
    answers { question_id: "region" }
    answers { question_id: "email" text: "" }
  )pb", AnswerCheck::kSubmit);
  EXPECT_THAT(Fields(violations), ElementsAre("answers[profile]", "answers[about]", "answers[region]"));
}

TEST_F(ValidateAnswersTest, UnknownAndDuplicateQuestions) {
  auto violations = Check(R"pb(
    answers { question_id: "budget" number: 1 }
    answers { question_id: "motto" text: "a" }
    answers { question_id: "motto" text: "b" }
  )pb", AnswerCheck::kDraft, Language::kEnglish);
  EXPECT_THAT(Fields(violations), ElementsAre("answers[budget]", "answers[motto]"));
  EXPECT_EQ(violations[0].description, "The form has no question with id \"budget\".");
  EXPECT_EQ(violations[1].description, "The question \"Motto\" is answered more than once.");
}

TEST_F(ValidateAnswersTest, WrongValueKindForEveryType) {
  auto violations = Check(R"pb(
    answers { question_id: "profile" text: "crafts" }
    answers { question_id: "has_projects" text: "да" }
    answers { question_id: "about" number: 1 }
    answers { question_id: "motto" yes_no: true }
    answers { question_id: "site" choices { values: "x" } }
    answers { question_id: "email" number: 2 }
    answers { question_id: "phone" yes_no: false }
    answers { question_id: "region" choices { values: "RU-SMO" } }
  )pb");
  EXPECT_THAT(Fields(violations),
              ElementsAre("answers[profile]", "answers[has_projects]", "answers[about]", "answers[motto]",
                          "answers[site]", "answers[email]", "answers[phone]", "answers[region]"));
  EXPECT_EQ(violations[0].description,
            "Ответ на вопрос «Профиль организации» должен быть выбран из предложенных вариантов.");
  EXPECT_THAT(violations[1].description, HasSubstr("«да» или «нет»"));
  EXPECT_THAT(violations[2].description, HasSubstr("должен быть текстом"));

  // projects_count (NUMBER) is shown once has_projects is yes.
  violations = Check(R"pb(
    answers { question_id: "has_projects" yes_no: true }
    answers { question_id: "projects_count" text: "12" }
  )pb");
  EXPECT_THAT(Fields(violations), ElementsAre("answers[projects_count]"));
  EXPECT_THAT(violations[0].description, HasSubstr("должен быть числом"));
}

TEST_F(ValidateAnswersTest, TextLengthCountsCharactersNotBytes) {
  // motto allows 10 characters: "Вместе мы!" is 10 characters and 18 bytes.
  EXPECT_THAT(Check(R"pb(answers { question_id: "motto" text: "Вместе мы!" })pb"), IsEmpty());
  auto violations = Check(R"pb(answers { question_id: "motto" text: "Вместе мы!!" })pb");
  ASSERT_THAT(Fields(violations), ElementsAre("answers[motto]"));
  EXPECT_EQ(violations[0].description, "Ответ на вопрос «Девиз» слишком длинный: 11 символов, допускается не более 10.");
}

TEST_F(ValidateAnswersTest, DefaultLengthLimits) {
  AnswerList answers;
  v1::Answer* about = answers.Add();
  about->set_question_id("about");  // LONG_TEXT: 10000 by default
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "ж";
  about->set_text(text);
  v1::Answer* email = answers.Add();  // EMAIL counts as TEXT: 500
  email->set_question_id("email");
  email->set_text(std::string(245, 'a') + "@mail.ru");  // 253 characters, fine for the limit
  EXPECT_THAT(Fields(ValidateAnswers(form_, answers, Language::kRussian, AnswerCheck::kDraft)),
              ElementsAre("answers[email]"));  // too long for an address, not for the limit
  about->set_text(text + "ж");
  email->set_text(std::string(501, 'a'));
  auto violations = ValidateAnswers(form_, answers, Language::kEnglish, AnswerCheck::kDraft);
  ASSERT_THAT(Fields(violations), ElementsAre("answers[about]", "answers[email]"));
  EXPECT_THAT(violations[0].description, HasSubstr("10001 characters, at most 10000"));
  EXPECT_THAT(violations[1].description, HasSubstr("501 characters, at most 500"));
}

TEST_F(ValidateAnswersTest, InvalidUtf8) {
  AnswerList answers;
  v1::Answer* a = answers.Add();
  a->set_question_id("about");
  a->set_text("Смоленск\xD0");
  auto violations = ValidateAnswers(form_, answers, Language::kRussian, AnswerCheck::kDraft);
  ASSERT_THAT(Fields(violations), ElementsAre("answers[about]"));
  EXPECT_THAT(violations[0].description, HasSubstr("не UTF-8"));
}

TEST_F(ValidateAnswersTest, NumbersInRangeAndFinite) {
  const std::string yes = R"pb(answers { question_id: "has_projects" yes_no: true })pb";
  EXPECT_THAT(Check(yes + R"pb(answers { question_id: "projects_count" number: 1 })pb"), IsEmpty());
  EXPECT_THAT(Check(yes + R"pb(answers { question_id: "projects_count" number: 1000 })pb"), IsEmpty());
  auto below = Check(yes + R"pb(answers { question_id: "projects_count" number: 0.5 })pb");
  ASSERT_EQ(below.size(), 1u);
  EXPECT_EQ(below[0].description, "Ответ на вопрос «Сколько проектов?» должен быть не меньше 1.");
  auto above = Check(yes + R"pb(answers { question_id: "projects_count" number: 1000.5 })pb", AnswerCheck::kDraft,
                     Language::kEnglish);
  ASSERT_EQ(above.size(), 1u);
  EXPECT_EQ(above[0].description, "The answer to \"How many projects?\" must be at most 1000.");
  EXPECT_EQ(Check(yes + R"pb(answers { question_id: "projects_count" number: nan })pb").size(), 1u);
  EXPECT_EQ(Check(yes + R"pb(answers { question_id: "projects_count" number: inf })pb").size(), 1u);
}

TEST_F(ValidateAnswersTest, Choices) {
  auto violations = Check(R"pb(
    answers { question_id: "profile" choices { values: "media" values: "crafts" } }
  )pb");
  ASSERT_THAT(Fields(violations), ElementsAre("answers[profile]"));
  EXPECT_EQ(violations[0].description, "На вопрос «Профиль организации» выберите ровно один вариант.");

  violations = Check(R"pb(
    answers { question_id: "profile" choices { values: "sport" } }
  )pb", AnswerCheck::kDraft, Language::kEnglish);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].description, "\"sport\" is not one of the options of \"Organisation profile\".");

  violations = Check(R"pb(
    answers { question_id: "profile" choices { values: "media" } }
    answers { question_id: "topics" choices { values: "cuisine" values: "dance" values: "cuisine" } }
  )pb");
  EXPECT_THAT(Fields(violations), ElementsAre("answers[topics]", "answers[topics]"));
  EXPECT_THAT(violations[0].description, HasSubstr("«dance»"));
  EXPECT_THAT(violations[1].description, HasSubstr("несколько раз"));
}

TEST_F(ValidateAnswersTest, Formats) {
  auto violations = Check(R"pb(
    answers { question_id: "site" text: "etnik-smolensk.ru" }
    answers { question_id: "email" text: "info@" }
    answers { question_id: "phone" text: "4812 00-00-00" }
    answers { question_id: "region" text: "Смоленская область" }
  )pb");
  ASSERT_THAT(Fields(violations),
              ElementsAre("answers[site]", "answers[email]", "answers[phone]", "answers[region]"));
  EXPECT_THAT(violations[0].description, HasSubstr("http://"));
  EXPECT_THAT(violations[1].description, HasSubstr("электронной почты"));
  EXPECT_THAT(violations[2].description, HasSubstr("номер телефона"));
  EXPECT_EQ(violations[3].description,
            "«Регион»: «Смоленская область» не является кодом субъекта Российской Федерации.");
  EXPECT_THAT(Check(R"pb(answers { question_id: "region" text: "RU-SEV" }
                          answers { question_id: "phone" text: "89161234567" })pb"),
              IsEmpty());
}

TEST_F(ValidateAnswersTest, HiddenQuestionsMustNotBeAnswered) {
  // has_projects = no hides projects_count; profile = migrants hides topics and, through it,
  // language_detail.
  auto violations = Check(R"pb(
    answers { question_id: "profile" choices { values: "migrants" } }
    answers { question_id: "has_projects" yes_no: false }
    answers { question_id: "projects_count" number: 3 }
    answers { question_id: "topics" choices { values: "language" } }
    answers { question_id: "language_detail" text: "татарский" }
  )pb", AnswerCheck::kDraft, Language::kEnglish);
  ASSERT_THAT(Fields(violations),
              ElementsAre("answers[projects_count]", "answers[topics]", "answers[language_detail]"));
  EXPECT_EQ(violations[0].description,
            "The question \"How many projects?\" is not shown for these answers; remove its answer.");
  // A cleared answer to a hidden question is harmless.
  EXPECT_THAT(Check(R"pb(answers { question_id: "has_projects" yes_no: false }
                          answers { question_id: "projects_count" })pb"),
              IsEmpty());
}

TEST_F(ValidateAnswersTest, RequiredOnlyWhileShown) {
  std::string base = R"pb(
    answers { question_id: "has_projects" yes_no: true }
    answers { question_id: "about" text: "О нас" }
    answers { question_id: "region" text: "RU-TA" }
  )pb";
  // profile = media shows topics (required); topics = festivals keeps language_detail hidden.
  auto violations = Check(base + R"pb(answers { question_id: "profile" choices { values: "media" } })pb",
                          AnswerCheck::kSubmit);
  EXPECT_THAT(Fields(violations), ElementsAre("answers[projects_count]", "answers[topics]"));
  violations = Check(base + R"pb(answers { question_id: "profile" choices { values: "media" } }
                                 answers { question_id: "projects_count" number: 2 }
                                 answers { question_id: "topics" choices { values: "language" } })pb",
                     AnswerCheck::kSubmit);
  EXPECT_THAT(Fields(violations), ElementsAre("answers[language_detail]"));
  // A wrongly typed required answer is reported once, as a type error.
  violations = Check(base + R"pb(answers { question_id: "profile" text: "media" }
                                 answers { question_id: "projects_count" number: 2 })pb",
                     AnswerCheck::kSubmit);
  EXPECT_THAT(Fields(violations), ElementsAre("answers[profile]"));
}

TEST_F(ValidateAnswersTest, IsQuestionShown) {
  AnswerList answers = Answers(R"pb(answers { question_id: "profile" choices { values: "crafts" } })pb");
  EXPECT_TRUE(IsQuestionShown(form_, form_.questions(0), answers));
  EXPECT_FALSE(IsQuestionShown(form_, form_.questions(2), answers));  // projects_count
  EXPECT_TRUE(IsQuestionShown(form_, form_.questions(9), answers));   // topics
  EXPECT_FALSE(IsQuestionShown(form_, form_.questions(10), answers));
  v1::Question copy = form_.questions(9);
  EXPECT_TRUE(IsQuestionShown(form_, copy, answers));  // found by id
}

TEST_F(ValidateAnswersTest, QuestionTextFallsBackToRussianThenId) {
  auto violations = Check(R"pb(
    answers { question_id: "profile" choices { values: "media" } }
    answers { question_id: "topics" choices { values: "language" } }
    answers { question_id: "language_detail" number: 1 }
  )pb", AnswerCheck::kDraft, Language::kEnglish);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].description, "The answer to \"Какие языки?\" must be text.");
}

}  // namespace
}  // namespace etnik::registration
