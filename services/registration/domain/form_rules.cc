#include "services/registration/domain/form_rules.h"

#include <cmath>
#include <set>
#include <string>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "services/registration/domain/formats.h"
#include "services/registration/domain/question_types.h"

namespace etnik::registration {
namespace {

bool IsValidQuestionId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  if (id[0] < 'a' || id[0] > 'z') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool HasText(const etnik::common::v1::LocalizedText& text) { return !IsBlank(text.ru()) || !IsBlank(text.en()); }

bool TimestampBefore(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() < b.seconds() || (a.seconds() == b.seconds() && a.nanos() < b.nanos());
}

class FormChecker {
 public:
  FormChecker(const v1::Form& form, Language lang) : form_(form), lang_(lang) {}

  std::vector<FieldViolation> Run() {
    if (form_.purpose() != v1::FORM_PURPOSE_APPLICATION && form_.purpose() != v1::FORM_PURPOSE_SURVEY) {
      Add("form.purpose", MessageKey::kPurposeRequired, {});
    }
    if (!HasText(form_.title())) Add("form.title", MessageKey::kTitleRequired, {});
    if (form_.has_open_time() && form_.has_close_time() && !TimestampBefore(form_.open_time(), form_.close_time())) {
      Add("form.close_time", MessageKey::kOpenNotBeforeClose, {});
    }
    // First index of every id, so show_if can tell "unknown" from "not earlier".
    for (int i = 0; i < form_.questions_size(); ++i) first_index_.emplace(form_.questions(i).question_id(), i);
    for (int i = 0; i < form_.questions_size(); ++i) CheckQuestion(i);
    return std::move(violations_);
  }

 private:
  void Add(std::string field, MessageKey key, std::map<std::string, std::string> args) {
    violations_.push_back({std::move(field), Message(key, lang_, args)});
  }

  void CheckQuestion(int i) {
    const v1::Question& q = form_.questions(i);
    const std::string path = absl::StrCat("form.questions[", i, "]");
    const std::string id = DisplayValue(q.question_id());
    if (!IsValidQuestionId(q.question_id())) {
      Add(path + ".question_id", MessageKey::kInvalidQuestionId, {{"question_id", id}});
    } else if (first_index_.at(q.question_id()) != i) {
      Add(path + ".question_id", MessageKey::kDuplicateQuestionId, {{"question_id", id}});
    }
    const bool typed = q.type() != v1::QUESTION_TYPE_UNSPECIFIED && v1::QuestionType_IsValid(q.type());
    if (!typed) Add(path + ".type", MessageKey::kQuestionTypeRequired, {{"question_id", id}});
    if (!HasText(q.text())) Add(path + ".text", MessageKey::kQuestionTextRequired, {{"question_id", id}});
    if (q.max_length() < 0) Add(path + ".max_length", MessageKey::kNegativeMaxLength, {{"question_id", id}});

    if (IsChoiceType(q.type())) {
      CheckChoices(q, path, id);
    } else if (typed && q.choices_size() > 0) {
      Add(path + ".choices", MessageKey::kChoicesNotAllowed, {{"question_id", id}});
    }

    if (typed && q.type() != v1::QUESTION_TYPE_NUMBER && (q.has_min_value() || q.has_max_value())) {
      Add(path + (q.has_min_value() ? ".min_value" : ".max_value"), MessageKey::kRangeOnlyForNumbers,
          {{"question_id", id}});
    } else if ((q.has_min_value() && std::isnan(q.min_value())) || (q.has_max_value() && std::isnan(q.max_value()))) {
      Add(path + (q.has_min_value() && std::isnan(q.min_value()) ? ".min_value" : ".max_value"),
          MessageKey::kRangeNotANumber, {{"question_id", id}});
    } else if (q.has_min_value() && q.has_max_value() && q.min_value() > q.max_value()) {
      Add(path + ".min_value", MessageKey::kMinAboveMax, {{"question_id", id}});
    }

    if (HasCondition(q)) CheckShowIf(i, q, path, id);
  }

  void CheckChoices(const v1::Question& q, const std::string& path, const std::string& id) {
    if (q.choices_size() == 0) {
      Add(path + ".choices", MessageKey::kChoicesRequired, {{"question_id", id}});
      return;
    }
    std::set<std::string> seen;
    for (int j = 0; j < q.choices_size(); ++j) {
      const std::string& value = q.choices(j).value();
      const std::string choice_path = absl::StrCat(path, ".choices[", j, "].value");
      if (IsBlank(value)) {
        Add(choice_path, MessageKey::kChoiceValueRequired, {{"question_id", id}});
      } else if (!seen.insert(value).second) {
        Add(choice_path, MessageKey::kDuplicateChoiceValue, {{"question_id", id}, {"value", DisplayValue(value)}});
      }
    }
  }

  void CheckShowIf(int i, const v1::Question& q, const std::string& path, const std::string& id) {
    const v1::ShowIf& show_if = q.show_if();
    const std::string target_id = DisplayValue(show_if.question_id());
    auto it = first_index_.find(show_if.question_id());
    if (it == first_index_.end()) {
      Add(path + ".show_if.question_id", MessageKey::kShowIfUnknownQuestion, {{"question_id", id}, {"target", target_id}});
      return;
    }
    if (it->second >= i) {
      Add(path + ".show_if.question_id", MessageKey::kShowIfNotEarlier, {{"question_id", id}, {"target", target_id}});
      return;
    }
    const v1::Question& target = form_.questions(it->second);
    if (!CanBeConditionTarget(target.type())) {
      Add(path + ".show_if.question_id", MessageKey::kShowIfWrongType, {{"question_id", id}, {"target", target_id}});
      return;
    }
    if (show_if.any_of().empty()) {
      Add(path + ".show_if.any_of", MessageKey::kShowIfValuesRequired, {{"question_id", id}});
      return;
    }
    std::set<std::string> allowed;
    if (target.type() == v1::QUESTION_TYPE_YES_NO) {
      allowed = {"yes", "no"};
    } else {
      for (const v1::Choice& c : target.choices()) allowed.insert(c.value());
    }
    for (int k = 0; k < show_if.any_of_size(); ++k) {
      if (allowed.count(show_if.any_of(k)) == 0) {
        Add(absl::StrCat(path, ".show_if.any_of[", k, "]"), MessageKey::kShowIfUnknownValue,
            {{"question_id", id}, {"target", target_id}, {"value", DisplayValue(show_if.any_of(k))}});
      }
    }
  }

  const v1::Form& form_;
  const Language lang_;
  std::unordered_map<std::string, int> first_index_;
  std::vector<FieldViolation> violations_;
};

}  // namespace

std::vector<etnik::FieldViolation> ValidateForm(const v1::Form& form, Language lang) {
  return FormChecker(form, lang).Run();
}

}  // namespace etnik::registration
