#ifndef ETNIK_SERVICES_REGISTRATION_SELECTION_SCORING_H_
#define ETNIK_SERVICES_REGISTRATION_SELECTION_SCORING_H_

// Review scores: one reviewer's weighted score and the per-application aggregate.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "etnik/registration/v1/programme.pb.h"
#include "etnik/registration/v1/review.pb.h"
#include "google/protobuf/repeated_field.h"
#include "services/registration/domain/messages.h"

namespace etnik::registration {

using CriteriaList = google::protobuf::RepeatedPtrField<etnik::registration::v1::ReviewCriterion>;
using ScoreList = google::protobuf::RepeatedPtrField<etnik::registration::v1::CriterionScore>;

// Checks that `scores` has exactly one score in 0..max_score per criterion and returns
// sum(weight * score / max_score) / sum(weight) * 100. Violations name `field` ("scores[2].score")
// and are described in `lang`.
absl::StatusOr<double> WeightedScore(const CriteriaList& criteria, const ScoreList& scores, Language lang,
                                     absl::string_view field = "scores");

// Mean (also for UNSPECIFIED) or median of the reviewers' weighted scores; 0 for none.
double AggregateScores(std::vector<double> scores, etnik::registration::v1::ScoreAggregation aggregation);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_SELECTION_SCORING_H_
