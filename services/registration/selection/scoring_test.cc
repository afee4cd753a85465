#include "services/registration/selection/scoring.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

namespace v1 = etnik::registration::v1;
using ::testing::ElementsAre;
using ::testing::Field;

CriteriaList Criteria() {
  CriteriaList list;
  auto* a = list.Add();
  a->set_criterion_id("relevance");
  a->set_weight(2);
  a->set_max_score(10);
  auto* b = list.Add();
  b->set_criterion_id("capacity");
  b->set_weight(1);
  b->set_max_score(5);
  return list;
}

ScoreList Scores(std::vector<std::pair<std::string, int>> items) {
  ScoreList list;
  for (auto& [id, s] : items) {
    auto* x = list.Add();
    x->set_criterion_id(id);
    x->set_score(s);
  }
  return list;
}

TEST(WeightedScoreTest, WeightsAndNormalisesTo100) {
  // (2 * 8/10 + 1 * 5/5) / 3 * 100 = 86.67
  auto s = WeightedScore(Criteria(), Scores({{"relevance", 8}, {"capacity", 5}}), Language::kRussian);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_NEAR(*s, 86.6667, 1e-3);
  EXPECT_DOUBLE_EQ(*WeightedScore(Criteria(), Scores({{"capacity", 0}, {"relevance", 0}}), Language::kRussian), 0);
  EXPECT_DOUBLE_EQ(*WeightedScore(Criteria(), Scores({{"capacity", 5}, {"relevance", 10}}), Language::kEnglish), 100);
}

TEST(WeightedScoreTest, EveryBadScoreIsAFieldViolation) {
  auto s = WeightedScore(Criteria(), Scores({{"relevance", 11}, {"relevance", 3}, {"budget", 1}, {"capacity", -1}}),
                         Language::kRussian);
  ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(GetFieldViolations(s.status()),
              ElementsAre(Field(&FieldViolation::field, "scores[0].score"),
                          Field(&FieldViolation::field, "scores[1].criterion_id"),
                          Field(&FieldViolation::field, "scores[2].criterion_id"),
                          Field(&FieldViolation::field, "scores[3].score")));
  const auto v = GetFieldViolations(s.status());
  EXPECT_EQ(v[0].description, "оценка должна быть от 0 до 10");
  EXPECT_EQ(v[1].description, "критерий «relevance» оценён дважды");
  EXPECT_EQ(v[2].description, "неизвестный критерий «budget»");

  auto en = WeightedScore(Criteria(), Scores({{"relevance", 11}, {"capacity", 3}}), Language::kEnglish);
  ASSERT_EQ(en.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(GetFieldViolations(en.status()).size(), 1u);
  EXPECT_EQ(GetFieldViolations(en.status())[0].description, "score must be between 0 and 10");
}

TEST(WeightedScoreTest, MissingCriterionIsReported) {
  auto s = WeightedScore(Criteria(), Scores({{"relevance", 5}}), Language::kRussian);
  ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  auto v = GetFieldViolations(s.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "scores");
  EXPECT_EQ(v[0].description, "критерий «capacity» не оценён");
  auto en = WeightedScore(Criteria(), Scores({{"relevance", 5}}), Language::kEnglish);
  ASSERT_EQ(GetFieldViolations(en.status()).size(), 1u);
  EXPECT_EQ(GetFieldViolations(en.status())[0].description, "criterion \"capacity\" is not scored");
}

TEST(WeightedScoreTest, ProgrammeWithoutCriteriaIsAPrecondition) {
  EXPECT_EQ(WeightedScore(CriteriaList(), Scores({}), Language::kRussian).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(AggregateScoresTest, MeanMedianAndUnspecified) {
  EXPECT_DOUBLE_EQ(AggregateScores({}, v1::SCORE_AGGREGATION_MEAN), 0);
  EXPECT_DOUBLE_EQ(AggregateScores({10, 20, 90}, v1::SCORE_AGGREGATION_MEAN), 40);
  EXPECT_DOUBLE_EQ(AggregateScores({10, 20, 90}, v1::SCORE_AGGREGATION_UNSPECIFIED), 40);
  EXPECT_DOUBLE_EQ(AggregateScores({90, 10, 20}, v1::SCORE_AGGREGATION_MEDIAN), 20);
  EXPECT_DOUBLE_EQ(AggregateScores({90, 10, 20, 40}, v1::SCORE_AGGREGATION_MEDIAN), 30);
}

}  // namespace
}  // namespace etnik::registration
