#include "services/registration/selection/quota_groups.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/registration/selection/text.h"

namespace etnik::registration {

std::vector<std::string> AnswerValues(const v1::Answer& answer) {
  switch (answer.value_case()) {
    case v1::Answer::kText:
      return {answer.text()};
    case v1::Answer::kNumber:
      return {absl::StrCat(answer.number())};
    case v1::Answer::kYesNo:
      return {answer.yes_no() ? "true" : "false"};
    case v1::Answer::kChoices:
      return {answer.choices().values().begin(), answer.choices().values().end()};
    case v1::Answer::VALUE_NOT_SET:
      break;
  }
  return {};
}

std::vector<std::string> QuotaGroups(const v1::Quota& quota, const Candidate& candidate) {
  std::vector<std::string> own;
  if (quota.dimension() == v1::QUOTA_DIMENSION_REGION) {
    if (!candidate.region.empty()) own.push_back(candidate.region);
  } else if (quota.dimension() == v1::QUOTA_DIMENSION_ANSWER) {
    auto it = candidate.answers.find(quota.question_id());
    if (it != candidate.answers.end()) {
      std::set<std::string> unique(it->second.begin(), it->second.end());
      own.assign(unique.begin(), unique.end());
    }
  }
  if (quota.value().empty()) return own;
  for (const std::string& v : own) {
    if (v == quota.value()) return {v};
  }
  return {};
}

void ValidateQuotas(const std::vector<v1::Quota>& quotas, const std::string& field, Language lang,
                    std::vector<FieldViolation>* violations) {
  std::set<std::string> ids;
  for (size_t i = 0; i < quotas.size(); ++i) {
    const v1::Quota& q = quotas[i];
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (q.quota_id().empty()) {
      violations->push_back({at + ".quota_id", RuEn(lang, "нужно указать quota_id", "quota_id is required")});
    } else if (!ids.insert(q.quota_id()).second) {
      violations->push_back({at + ".quota_id", RuEn(lang, absl::StrCat("quota_id «", q.quota_id(), "» указан дважды"),
                                                    absl::StrCat("quota_id \"", q.quota_id(), "\" is used twice"))});
    }
    if (q.dimension() != v1::QUOTA_DIMENSION_REGION && q.dimension() != v1::QUOTA_DIMENSION_ANSWER) {
      violations->push_back({at + ".dimension", RuEn(lang, "dimension должен быть REGION или ANSWER",
                                                     "dimension must be REGION or ANSWER")});
    }
    if (q.dimension() == v1::QUOTA_DIMENSION_ANSWER && q.question_id().empty()) {
      violations->push_back({at + ".question_id", RuEn(lang, "для квоты по ответу (ANSWER) нужно указать question_id",
                                                       "question_id is required for ANSWER quotas")});
    }
    if (q.dimension() == v1::QUOTA_DIMENSION_REGION && !q.question_id().empty()) {
      violations->push_back(
          {at + ".question_id", RuEn(lang, "question_id указывается только для квот по ответу (ANSWER)",
                                     "question_id is only for ANSWER quotas")});
    }
    if (q.bound() != v1::QUOTA_BOUND_AT_MOST && q.bound() != v1::QUOTA_BOUND_AT_LEAST) {
      violations->push_back(
          {at + ".bound", RuEn(lang, "bound должен быть AT_MOST или AT_LEAST", "bound must be AT_MOST or AT_LEAST")});
    }
    if (q.count() < 0 || (q.bound() == v1::QUOTA_BOUND_AT_LEAST && q.count() == 0)) {
      violations->push_back(
          {at + ".count",
           q.bound() == v1::QUOTA_BOUND_AT_LEAST
               ? RuEn(lang, "для AT_LEAST count должен быть больше нуля", "count must be positive for AT_LEAST")
               : RuEn(lang, "count не может быть отрицательным", "count must not be negative")});
    }
  }
}

void QuotaCounts::Add(const Candidate& c) {
  for (size_t i = 0; i < quotas_->size(); ++i) {
    for (const std::string& v : QuotaGroups((*quotas_)[i], c)) ++counts_[{i, v}];
  }
}

int QuotaCounts::Count(size_t quota, const std::string& value) const {
  auto it = counts_.find({quota, value});
  return it == counts_.end() ? 0 : it->second;
}

bool QuotaCounts::BreaksAtMost(const Candidate& c, size_t* quota, std::string* value) const {
  for (size_t i = 0; i < quotas_->size(); ++i) {
    const v1::Quota& q = (*quotas_)[i];
    if (q.bound() != v1::QUOTA_BOUND_AT_MOST) continue;
    for (const std::string& v : QuotaGroups(q, c)) {
      if (Count(i, v) + 1 > q.count()) {
        *quota = i;
        *value = v;
        return true;
      }
    }
  }
  return false;
}

bool QuotaCounts::FillsUnmetAtLeast(const Candidate& c, size_t* quota, std::string* value) const {
  for (size_t i = 0; i < quotas_->size(); ++i) {
    const v1::Quota& q = (*quotas_)[i];
    if (q.bound() != v1::QUOTA_BOUND_AT_LEAST) continue;
    for (const std::string& v : QuotaGroups(q, c)) {
      if (Count(i, v) < q.count()) {
        *quota = i;
        *value = v;
        return true;
      }
    }
  }
  return false;
}

std::string DescribeQuota(const v1::Quota& quota, const std::string& value) {
  if (quota.dimension() == v1::QUOTA_DIMENSION_REGION) {
    return absl::StrCat("region quota ", quota.quota_id(), " ", value);
  }
  return absl::StrCat("answer quota ", quota.quota_id(), " ", quota.question_id(), "=", value);
}

}  // namespace etnik::registration
