// Fuzz target for the form, answer and organisation rules: whatever bytes arrive, validation
// must not crash, and every description it produces must be non-empty UTF-8 (it is sent in a
// google.rpc.BadRequest, whose strings must be UTF-8).
//
// The first byte picks how the rest is read:
//   0: binary protobuf, a Form then an Application (the split is taken from the next 2 bytes);
//   1: the same, in protobuf text format;
//   2: a compact byte mapping that builds forms and answers out of small pools of ids, values
//      and types, so that show_if chains, choices and formats are reached far more often than
//      random protobuf bytes would.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "etnik/registration/v1/application.pb.h"
#include "etnik/registration/v1/form.pb.h"
#include "etnik/registration/v1/survey.pb.h"
#include "google/protobuf/text_format.h"
#include "services/registration/domain/answer_rules.h"
#include "services/registration/domain/csv.h"
#include "services/registration/domain/form_rules.h"
#include "services/registration/domain/formats.h"
#include "services/registration/domain/organisation_rules.h"
#include "services/registration/domain/survey_summary.h"

namespace {

namespace reg = etnik::registration;
namespace v1 = etnik::registration::v1;

// Reads bytes one at a time; past the end it yields zeros so every input maps to something.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Next() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool Done() const { return pos_ >= size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

template <size_t N>
const char* Pick(ByteReader& r, const char* const (&pool)[N]) {
  return pool[r.Next() % N];
}

constexpr const char* kIds[] = {"q0", "q1", "q2", "q3", "q4", "q5", "", "Bad", "q_long_0123456789"};
constexpr const char* kValues[] = {"a", "b", "c", "", "yes", "no", "RU-SMO", "\xD0"};
constexpr const char* kTexts[] = {"",
                                  "   ",
                                  "RU-SMO",
                                  "RU-XXX",
                                  "info@etnik-smolensk.ru",
                                  "info@",
                                  "+74812000000",
                                  "8 (4812) 00-00-00",
                                  "https://etnik-smolensk.ru",
                                  "http://[::1",
                                  "Смоленск",
                                  "\xD0",
                                  "\xF4\x90\x80\x80",
                                  "=cmd|' /C calc'!A0"};
constexpr double kNumbers[] = {0, 1, -1, 0.5, 1e308, -1e308, std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::quiet_NaN(), 1000, 42};

void BuildFromBytes(ByteReader& r, v1::Form& form, v1::Application& app) {
  form.set_purpose(static_cast<v1::FormPurpose>(r.Next() % 4));
  if (r.Next() & 1) form.mutable_title()->set_ru("Анкета");
  int questions = r.Next() % 12;
  for (int i = 0; i < questions; ++i) {
    v1::Question* q = form.add_questions();
    q->set_question_id(Pick(r, kIds));
    q->set_type(static_cast<v1::QuestionType>(r.Next() % 12));
    uint8_t flags = r.Next();
    q->set_required(flags & 1);
    if (flags & 2) q->mutable_text()->set_ru("Вопрос");
    if (flags & 4) q->mutable_text()->set_en("Question");
    for (int c = 0; c < (flags >> 3) % 4; ++c) q->add_choices()->set_value(Pick(r, kValues));
    if (flags & 0x20) {
      q->mutable_show_if()->set_question_id(Pick(r, kIds));
      for (int v = 0; v < r.Next() % 3; ++v) q->mutable_show_if()->add_any_of(Pick(r, kValues));
    }
    if (flags & 0x40) q->set_max_length(static_cast<int8_t>(r.Next()));
    if (flags & 0x80) {
      q->set_min_value(kNumbers[r.Next() % std::size(kNumbers)]);
      q->set_max_value(kNumbers[r.Next() % std::size(kNumbers)]);
    }
  }
  int answers = r.Next() % 12;
  for (int i = 0; i < answers; ++i) {
    v1::Answer* a = app.add_answers();
    a->set_question_id(Pick(r, kIds));
    switch (r.Next() % 5) {
      case 0:
        break;  // no value
      case 1:
        a->set_text(Pick(r, kTexts));
        break;
      case 2:
        a->set_number(kNumbers[r.Next() % std::size(kNumbers)]);
        break;
      case 3:
        a->set_yes_no(r.Next() & 1);
        break;
      default: {
        v1::ChoiceSelection* s = a->mutable_choices();
        for (int v = 0; v < r.Next() % 4; ++v) s->add_values(Pick(r, kValues));
      }
    }
  }
  v1::Organisation* org = app.mutable_organisation();
  constexpr const char* kInns[] = {"", "7707083893", "7707083894", "673212345620", "12345", "77070838 3"};
  constexpr const char* kOgrns[] = {"", "1027700132195", "304673200000122", "2027700132195", "x"};
  org->set_inn(Pick(r, kInns));
  org->set_ogrn(Pick(r, kOgrns));
  org->set_full_name(Pick(r, kTexts));
  org->set_region(Pick(r, kTexts));
  org->mutable_contact()->set_email(Pick(r, kTexts));
  org->mutable_contact()->set_website_uri(Pick(r, kTexts));
  constexpr const char* kZones[] = {"", "Europe/Moscow", "Europe/Smolensk", "/etc/passwd", "localtime", "UTC"};
  app.mutable_contact_person()->set_time_zone(Pick(r, kZones));
  app.mutable_contact_person()->mutable_contact()->set_phone(Pick(r, kTexts));
  // Whatever is left becomes free text, reaching the UTF-8 and format code with raw bytes.
  std::string rest;
  while (!r.Done()) rest += static_cast<char>(r.Next());
  if (app.answers_size() > 0) app.mutable_answers(0)->set_text(rest);
  app.mutable_contact_person()->set_full_name(rest);
}

void CheckDescriptions(const std::vector<etnik::FieldViolation>& violations) {
  for (const auto& v : violations) {
    // Field paths and descriptions go into google.rpc.BadRequest: never empty, always UTF-8.
    if (v.field.empty() || v.description.empty() || !reg::Utf8Length(v.description) || !reg::Utf8Length(v.field)) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0] % 3;
  ByteReader reader(data + 1, size - 1);
  v1::Form form;
  v1::Application app;
  if (mode == 2) {
    BuildFromBytes(reader, form, app);
  } else {
    if (size < 3) return 0;
    const size_t rest = size - 3;
    const size_t split = rest == 0 ? 0 : (static_cast<size_t>(data[1]) << 8 | data[2]) % (rest + 1);
    const char* form_bytes = reinterpret_cast<const char*>(data + 3);
    const char* app_bytes = form_bytes + split;
    const size_t app_size = rest - split;
    if (mode == 0) {
      if (!form.ParseFromArray(form_bytes, static_cast<int>(split))) form.Clear();
      if (!app.ParseFromArray(app_bytes, static_cast<int>(app_size))) app.Clear();
    } else {
      google::protobuf::TextFormat::Parser parser;
      parser.AllowPartialMessage(true);
      if (!parser.ParseFromString(std::string(form_bytes, split), &form)) form.Clear();
      if (!parser.ParseFromString(std::string(app_bytes, app_size), &app)) app.Clear();
    }
  }
  // Bound the work per input: quadratic corners are for benchmarks, not the fuzzer.
  if (form.questions_size() > 2000 || app.answers_size() > 2000) return 0;

  for (reg::Language lang : {reg::Language::kRussian, reg::Language::kEnglish}) {
    CheckDescriptions(reg::ValidateForm(form, lang));
    CheckDescriptions(reg::ValidateAnswers(form, app.answers(), lang, reg::AnswerCheck::kDraft));
    CheckDescriptions(reg::ValidateAnswers(form, app.answers(), lang, reg::AnswerCheck::kSubmit));
    CheckDescriptions(reg::ValidateOrganisation(app.organisation(), &app.contact_person(), "application", lang, true));
    CheckDescriptions(reg::ValidateOrganisation(app.organisation(), nullptr, "survey_response", lang, false));
  }
  for (const v1::Question& q : form.questions()) (void)reg::IsQuestionShown(form, q, app.answers());

  v1::SurveyResponse response;
  *response.mutable_answers() = app.answers();
  *response.mutable_organisation() = app.organisation();
  v1::SurveySummary summary = reg::SummariseSurvey(form, {response, response});
  if (summary.questions_size() != form.questions_size()) std::abort();
  for (const auto& q : summary.questions()) {
    if (q.answered() > 2) std::abort();
  }

  std::vector<std::string> cells = {app.organisation().full_name(), app.contact_person().full_name()};
  for (const v1::Answer& a : app.answers()) cells.push_back(a.text());
  std::string line = reg::CsvLine(cells);
  if (line.size() < 2 || line.compare(line.size() - 2, 2, "\r\n") != 0) std::abort();
  return 0;
}
