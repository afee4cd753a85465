#include "services/registration/domain/answer_rules.h"

#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/registration/domain/formats.h"
#include "services/registration/domain/question_types.h"
#include "services/registration/domain/regions.h"

namespace etnik::registration {
namespace {

using AnswerList = google::protobuf::RepeatedPtrField<v1::Answer>;

// The first answer to every question id (later duplicates are reported, not used).
std::unordered_map<std::string, const v1::Answer*> FirstAnswers(const AnswerList& answers) {
  std::unordered_map<std::string, const v1::Answer*> first;
  for (const v1::Answer& a : answers) first.emplace(a.question_id(), &a);
  return first;
}

// Whether the answer holds the value of a condition: "yes"/"no" for yes/no, chosen values for choices.
bool AnswerMatches(const v1::Question& target, const v1::Answer* answer, const v1::ShowIf& show_if) {
  if (answer == nullptr) return false;
  std::set<absl::string_view> wanted(show_if.any_of().begin(), show_if.any_of().end());
  if (target.type() == v1::QUESTION_TYPE_YES_NO) {
    return answer->value_case() == v1::Answer::kYesNo && wanted.count(answer->yes_no() ? "yes" : "no") > 0;
  }
  if (IsChoiceType(target.type()) && answer->value_case() == v1::Answer::kChoices) {
    for (const std::string& v : answer->choices().values()) {
      if (wanted.count(v) > 0) return true;
    }
  }
  return false;
}

// shown[i] for every question, in one pass in form order: a condition may only look back, and a
// question that depends on a hidden one is hidden too. Broken conditions (unknown or later
// target) hide the question; ValidateForm refuses such forms anyway.
std::vector<bool> ShownQuestions(const v1::Form& form,
                                 const std::unordered_map<std::string, const v1::Answer*>& answers) {
  std::unordered_map<std::string, int> index;
  std::vector<bool> shown(form.questions_size(), true);
  for (int i = 0; i < form.questions_size(); ++i) {
    const v1::Question& q = form.questions(i);
    if (HasCondition(q)) {
      auto t = index.find(q.show_if().question_id());
      if (t == index.end()) {
        shown[i] = false;
      } else {
        auto a = answers.find(q.show_if().question_id());
        shown[i] = shown[t->second] &&
                   AnswerMatches(form.questions(t->second), a == answers.end() ? nullptr : a->second, q.show_if());
      }
    }
    index.emplace(q.question_id(), i);
  }
  return shown;
}

// An answer that carries no value counts as not given (a cleared draft field).
bool IsEmptyAnswer(const v1::Answer& a) {
  switch (a.value_case()) {
    case v1::Answer::kText:
      return IsBlank(a.text());
    case v1::Answer::kChoices:
      return a.choices().values().empty();
    case v1::Answer::kNumber:
    case v1::Answer::kYesNo:
      return false;
    case v1::Answer::VALUE_NOT_SET:
      return true;
  }
  return true;
}

std::string FormatNumber(double v) { return absl::StrFormat("%g", v); }

class AnswerChecker {
 public:
  AnswerChecker(const v1::Form& form, const AnswerList& answers, Language lang, AnswerCheck check)
      : form_(form), answers_(answers), lang_(lang), check_(check) {}

  std::vector<FieldViolation> Run() {
    std::unordered_map<std::string, int> index;
    for (int i = 0; i < form_.questions_size(); ++i) index.emplace(form_.questions(i).question_id(), i);
    const auto first = FirstAnswers(answers_);
    const std::vector<bool> shown = ShownQuestions(form_, first);

    std::unordered_set<std::string> seen;
    std::unordered_set<std::string> faulty;  // questions already reported; no "required" on top
    for (const v1::Answer& a : answers_) {
      const std::string path = absl::StrCat("answers[", DisplayValue(a.question_id(), 63), "]");
      auto it = index.find(a.question_id());
      if (it == index.end()) {
        Add(path, MessageKey::kUnknownQuestion, {{"question_id", DisplayValue(a.question_id())}});
        continue;
      }
      const v1::Question& q = form_.questions(it->second);
      if (!seen.insert(a.question_id()).second) {
        Add(path, MessageKey::kDuplicateAnswer, {{"question", QuestionName(q)}});
        faulty.insert(a.question_id());
        continue;
      }
      if (!shown[it->second] && !IsEmptyAnswer(a)) {
        Add(path, MessageKey::kQuestionNotShown, {{"question", QuestionName(q)}});
        faulty.insert(a.question_id());
        continue;
      }
      size_t before = violations_.size();
      CheckValue(q, a, path);
      if (violations_.size() != before) faulty.insert(a.question_id());
    }

    if (check_ == AnswerCheck::kSubmit) {
      for (int i = 0; i < form_.questions_size(); ++i) {
        const v1::Question& q = form_.questions(i);
        if (!q.required() || !shown[i] || faulty.count(q.question_id()) > 0) continue;
        auto a = first.find(q.question_id());
        if (a == first.end() || IsEmptyAnswer(*a->second)) {
          Add(absl::StrCat("answers[", DisplayValue(q.question_id(), 63), "]"), MessageKey::kAnswerRequired, {{"question", QuestionName(q)}});
        }
      }
    }
    return std::move(violations_);
  }

 private:
  void Add(std::string field, MessageKey key, std::map<std::string, std::string> args) {
    violations_.push_back({std::move(field), Message(key, lang_, args)});
  }

  std::string QuestionName(const v1::Question& q) const {
    std::string text = Localized(q.text(), lang_);
    return DisplayValue(text.empty() ? q.question_id() : text, 200);
  }

  void CheckValue(const v1::Question& q, const v1::Answer& a, const std::string& path) {
    if (a.value_case() == v1::Answer::VALUE_NOT_SET) return;  // not answered
    const std::string name = QuestionName(q);
    if (IsTextType(q.type())) {
      if (a.value_case() != v1::Answer::kText) return Add(path, MessageKey::kExpectedText, {{"question", name}});
      CheckText(q, a.text(), path, name);
    } else if (q.type() == v1::QUESTION_TYPE_NUMBER) {
      if (a.value_case() != v1::Answer::kNumber) return Add(path, MessageKey::kExpectedNumber, {{"question", name}});
      CheckNumber(q, a.number(), path, name);
    } else if (q.type() == v1::QUESTION_TYPE_YES_NO) {
      if (a.value_case() != v1::Answer::kYesNo) Add(path, MessageKey::kExpectedYesNo, {{"question", name}});
    } else if (IsChoiceType(q.type())) {
      if (a.value_case() != v1::Answer::kChoices) return Add(path, MessageKey::kExpectedChoices, {{"question", name}});
      CheckChoices(q, a.choices(), path, name);
    }
    // Questions of an unknown type accept nothing more specific; ValidateForm refuses them.
  }

  void CheckText(const v1::Question& q, const std::string& text, const std::string& path, const std::string& name) {
    std::optional<size_t> length = Utf8Length(text);
    if (!length) return Add(path, MessageKey::kInvalidUtf8, {{"field", name}});
    size_t max = q.max_length() > 0                          ? static_cast<size_t>(q.max_length())
                 : q.type() == v1::QUESTION_TYPE_LONG_TEXT ? kDefaultLongTextMaxLength
                                                           : kDefaultTextMaxLength;
    if (*length > max) {
      return Add(path, MessageKey::kAnswerTooLong,
                 {{"question", name}, {"max", absl::StrCat(max)}, {"length", absl::StrCat(*length)}});
    }
    if (IsBlank(text)) return;  // not answered; "required" is checked on submit
    switch (q.type()) {
      case v1::QUESTION_TYPE_EMAIL:
        if (!IsValidEmail(text)) Add(path, MessageKey::kInvalidEmail, {{"field", name}});
        break;
      case v1::QUESTION_TYPE_PHONE:
        if (!IsValidPhone(text)) Add(path, MessageKey::kInvalidPhone, {{"field", name}});
        break;
      case v1::QUESTION_TYPE_URL:
        if (!IsValidHttpUrl(text)) Add(path, MessageKey::kInvalidUrl, {{"field", name}});
        break;
      case v1::QUESTION_TYPE_REGION:
        if (FindRegion(text) == nullptr) {
          Add(path, MessageKey::kUnknownRegion, {{"field", name}, {"value", DisplayValue(text)}});
        }
        break;
      default:
        break;
    }
  }

  void CheckNumber(const v1::Question& q, double v, const std::string& path, const std::string& name) {
    if (!std::isfinite(v)) return Add(path, MessageKey::kNumberNotFinite, {{"question", name}});
    if (q.has_min_value() && v < q.min_value()) {
      Add(path, MessageKey::kNumberBelowMin, {{"question", name}, {"min", FormatNumber(q.min_value())}});
    } else if (q.has_max_value() && v > q.max_value()) {
      Add(path, MessageKey::kNumberAboveMax, {{"question", name}, {"max", FormatNumber(q.max_value())}});
    }
  }

  void CheckChoices(const v1::Question& q, const v1::ChoiceSelection& selection, const std::string& path,
                    const std::string& name) {
    if (q.type() == v1::QUESTION_TYPE_SINGLE_CHOICE && selection.values_size() > 1) {
      return Add(path, MessageKey::kSingleChoiceNeedsOne, {{"question", name}});
    }
    std::set<absl::string_view> allowed;
    for (const v1::Choice& c : q.choices()) allowed.insert(c.value());
    std::set<absl::string_view> chosen;
    for (const std::string& v : selection.values()) {
      if (allowed.count(v) == 0) {
        Add(path, MessageKey::kNotAChoice, {{"question", name}, {"value", DisplayValue(v)}});
      } else if (!chosen.insert(v).second) {
        Add(path, MessageKey::kDuplicateChoice, {{"question", name}, {"value", DisplayValue(v)}});
      }
    }
  }

  const v1::Form& form_;
  const AnswerList& answers_;
  const Language lang_;
  const AnswerCheck check_;
  std::vector<FieldViolation> violations_;
};

}  // namespace

std::vector<etnik::FieldViolation> ValidateAnswers(const v1::Form& form, const AnswerList& answers, Language lang,
                                                   AnswerCheck check) {
  return AnswerChecker(form, answers, lang, check).Run();
}

bool IsQuestionShown(const v1::Form& form, const v1::Question& question, const AnswerList& answers) {
  const std::vector<bool> shown = ShownQuestions(form, FirstAnswers(answers));
  for (int i = 0; i < form.questions_size(); ++i) {
    if (&form.questions(i) == &question) return shown[i];
  }
  // A question passed by value: find it by id.
  for (int i = 0; i < form.questions_size(); ++i) {
    if (form.questions(i).question_id() == question.question_id()) return shown[i];
  }
  return false;
}

}  // namespace etnik::registration
