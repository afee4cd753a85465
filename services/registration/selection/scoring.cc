#include "services/registration/selection/scoring.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/registration/selection/text.h"

namespace etnik::registration {

absl::StatusOr<double> WeightedScore(const CriteriaList& criteria, const ScoreList& scores, Language lang,
                                     absl::string_view field) {
  std::vector<FieldViolation> violations;
  std::map<std::string, const v1::ReviewCriterion*> by_id;
  for (const v1::ReviewCriterion& c : criteria) by_id.emplace(c.criterion_id(), &c);
  if (by_id.empty()) {
    return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                         RuEn(lang, "у программы нет критериев оценки", "the programme has no review criteria"),
                         "NO_REVIEW_CRITERIA");
  }
  std::map<std::string, int> seen;
  double weighted = 0;
  for (int i = 0; i < scores.size(); ++i) {
    const v1::CriterionScore& s = scores.Get(i);
    const std::string at = absl::StrCat(field, "[", i, "]");
    auto it = by_id.find(s.criterion_id());
    if (it == by_id.end()) {
      violations.push_back(
          {at + ".criterion_id", RuEn(lang, absl::StrCat("неизвестный критерий «", s.criterion_id(), "»"),
                                      absl::StrCat("unknown criterion \"", s.criterion_id(), "\""))});
      continue;
    }
    if (!seen.emplace(s.criterion_id(), i).second) {
      violations.push_back(
          {at + ".criterion_id", RuEn(lang, absl::StrCat("критерий «", s.criterion_id(), "» оценён дважды"),
                                      absl::StrCat("criterion \"", s.criterion_id(), "\" scored twice"))});
      continue;
    }
    const v1::ReviewCriterion& c = *it->second;
    if (s.score() < 0 || s.score() > c.max_score()) {
      violations.push_back({at + ".score", RuEn(lang, absl::StrCat("оценка должна быть от 0 до ", c.max_score()),
                                                absl::StrCat("score must be between 0 and ", c.max_score()))});
      continue;
    }
    if (c.max_score() > 0) weighted += c.weight() * s.score() / c.max_score();
  }
  double total_weight = 0;
  for (const auto& [id, c] : by_id) {
    total_weight += c->weight();
    if (seen.count(id) == 0) {
      violations.push_back({std::string(field), RuEn(lang, absl::StrCat("критерий «", id, "» не оценён"),
                                                     absl::StrCat("criterion \"", id, "\" is not scored"))});
    }
  }
  if (!violations.empty()) {
    return InvalidArgumentError(RuEn(lang, "оценки заполнены с ошибками", "invalid review scores"),
                                std::move(violations));
  }
  if (total_weight <= 0) return 0.0;
  return weighted / total_weight * 100.0;
}

double AggregateScores(std::vector<double> scores, v1::ScoreAggregation aggregation) {
  if (scores.empty()) return 0;
  if (aggregation == v1::SCORE_AGGREGATION_MEDIAN) {
    std::sort(scores.begin(), scores.end());
    const size_t n = scores.size();
    return n % 2 == 1 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2.0;
  }
  return std::accumulate(scores.begin(), scores.end(), 0.0) / static_cast<double>(scores.size());
}

}  // namespace etnik::registration
