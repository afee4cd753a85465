#include "services/registration/selection/selection.h"

#include <algorithm>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

namespace v1 = etnik::registration::v1;

Candidate C(std::string id, double score, std::string region = "RU-MOW", std::string theme = "",
            int minute = 0, int reviews = 3) {
  Candidate c;
  c.application = "programmes/p/applications/" + id;
  c.organisation_name = "АНО " + id;
  c.region = std::move(region);
  if (!theme.empty()) c.answers["theme"] = {theme};
  c.score = score;
  c.review_count = reviews;
  c.submit_time = absl::FromUnixSeconds(1700000000 + minute * 60);
  return c;
}

v1::Quota Q(std::string id, v1::QuotaDimension dim, std::string value, v1::QuotaBound bound, int count,
            std::string question = "") {
  v1::Quota q;
  q.set_quota_id(std::move(id));
  q.set_dimension(dim);
  q.set_value(std::move(value));
  q.set_bound(bound);
  q.set_count(count);
  q.set_question_id(std::move(question));
  return q;
}

// Decisions by application id (copies, so temporaries may be passed).
std::map<std::string, v1::SelectionDecision> ById(const SelectionResult& r) {
  std::map<std::string, v1::SelectionDecision> m;
  for (const auto& d : r.decisions) m[d.application().substr(d.application().rfind('/') + 1)] = d;
  return m;
}

TEST(SelectTest, RanksByScoreThenSubmitTimeThenName) {
  SelectionSettings s;
  s.seats = 2;
  auto r = Select({C("c", 80, "RU-MOW", "", 5), C("b", 80, "RU-MOW", "", 1), C("a", 80, "RU-MOW", "", 5),
                   C("d", 90)},
                  s);
  ASSERT_EQ(r.decisions.size(), 4u);
  EXPECT_THAT(r.decisions[0].application(), ::testing::EndsWith("/d"));
  EXPECT_THAT(r.decisions[1].application(), ::testing::EndsWith("/b"));  // earlier submit
  EXPECT_THAT(r.decisions[2].application(), ::testing::EndsWith("/a"));  // name
  EXPECT_THAT(r.decisions[3].application(), ::testing::EndsWith("/c"));
  EXPECT_EQ(r.decisions[0].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r.decisions[1].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r.decisions[2].outcome(), v1::SELECTION_OUTCOME_WAITLISTED);
  EXPECT_EQ(r.decisions[2].waitlist_position(), 1);
  EXPECT_EQ(r.decisions[3].waitlist_position(), 2);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(r.decisions[i].rank(), i + 1);
}

TEST(SelectTest, UnreviewedAndBelowMinimumAreRejectedAndWaitlistIsBounded) {
  SelectionSettings s;
  s.seats = 1;
  s.min_score = 50;
  s.waitlist_size = 1;
  auto r = ById(Select({C("top", 90), C("w1", 70), C("w2", 60), C("low", 40), C("none", 0, "RU-MOW", "", 0, 0)}, s));
  EXPECT_EQ(r["top"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r["w1"].outcome(), v1::SELECTION_OUTCOME_WAITLISTED);
  EXPECT_EQ(r["w2"].outcome(), v1::SELECTION_OUTCOME_REJECTED);
  EXPECT_THAT(r["w2"].explanation(), ::testing::HasSubstr("waiting list full"));
  EXPECT_EQ(r["low"].outcome(), v1::SELECTION_OUTCOME_REJECTED);
  EXPECT_THAT(r["low"].explanation(), ::testing::HasSubstr("below the minimum"));
  EXPECT_EQ(r["none"].outcome(), v1::SELECTION_OUTCOME_REJECTED);
  EXPECT_EQ(r["none"].explanation(), "not reviewed");
}

TEST(SelectTest, AtMostRegionSkipsToTheNextRegionAndNamesTheQuota) {
  SelectionSettings s;
  s.seats = 3;
  s.quotas = {Q("region-max", v1::QUOTA_DIMENSION_REGION, "", v1::QUOTA_BOUND_AT_MOST, 2)};
  auto r = ById(Select({C("a", 99, "RU-SMO"), C("b", 98, "RU-SMO"), C("c", 97, "RU-SMO"), C("d", 50, "RU-TVE")}, s));
  EXPECT_EQ(r["a"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r["b"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r["c"].outcome(), v1::SELECTION_OUTCOME_WAITLISTED);
  EXPECT_EQ(r["c"].binding_quota(), "region-max");
  EXPECT_THAT(r["c"].explanation(), ::testing::HasSubstr("region quota region-max RU-SMO full (2 of 2)"));
  EXPECT_EQ(r["d"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r["d"].binding_quota(), "");
}

TEST(SelectTest, AtLeastAnswerQuotaLiftsLowerRankedMembers) {
  SelectionSettings s;
  s.seats = 3;
  s.quotas = {Q("eco-min", v1::QUOTA_DIMENSION_ANSWER, "ecology", v1::QUOTA_BOUND_AT_LEAST, 2, "theme")};
  auto r = ById(Select({C("a", 99, "RU-MOW", "culture"), C("b", 98, "RU-MOW", "culture"),
                        C("c", 97, "RU-MOW", "ecology"), C("d", 60, "RU-MOW", "ecology"),
                        C("e", 96, "RU-MOW", "culture")},
                       s));
  EXPECT_EQ(r["a"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r["c"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r["c"].binding_quota(), "");  // its score alone seats it
  EXPECT_EQ(r["d"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(r["d"].binding_quota(), "eco-min");
  EXPECT_THAT(r["d"].explanation(), ::testing::HasSubstr("to meet answer quota eco-min theme=ecology"));
  EXPECT_EQ(r["b"].outcome(), v1::SELECTION_OUTCOME_WAITLISTED);
  EXPECT_EQ(r["e"].outcome(), v1::SELECTION_OUTCOME_WAITLISTED);
}

TEST(SelectTest, InfeasibleAtLeastIsExplainedNotFatal) {
  SelectionSettings s;
  s.seats = 3;
  s.quotas = {Q("eco-min", v1::QUOTA_DIMENSION_ANSWER, "ecology", v1::QUOTA_BOUND_AT_LEAST, 5, "theme"),
              Q("arctic-min", v1::QUOTA_DIMENSION_REGION, "RU-NEN", v1::QUOTA_BOUND_AT_LEAST, 1)};
  SelectionResult r = Select({C("a", 99, "RU-MOW", "culture"), C("b", 10, "RU-MOW", "ecology"),
                              C("c", 80, "RU-MOW", "culture"), C("d", 70, "RU-MOW", "culture")},
                             s);
  auto m = ById(r);
  EXPECT_EQ(m["b"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_THAT(m["b"].explanation(), ::testing::HasSubstr("eco-min theme=ecology cannot be met: 1 of 5"));
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_THAT(r.decisions[0].explanation(), ::testing::HasSubstr("arctic-min RU-NEN cannot be met: 0 of 1"));
  int selected = 0;
  for (const auto& d : r.decisions) selected += d.outcome() == v1::SELECTION_OUTCOME_SELECTED;
  EXPECT_EQ(selected, 3);
}

TEST(SelectTest, AtLeastNeverOverridesAtMost) {
  SelectionSettings s;
  s.seats = 4;
  s.quotas = {Q("eco-min", v1::QUOTA_DIMENSION_ANSWER, "ecology", v1::QUOTA_BOUND_AT_LEAST, 3, "theme"),
              Q("region-max", v1::QUOTA_DIMENSION_REGION, "", v1::QUOTA_BOUND_AT_MOST, 1)};
  SelectionResult r = Select({C("a", 90, "RU-SMO", "ecology"), C("b", 80, "RU-SMO", "ecology"),
                              C("c", 70, "RU-TVE", "ecology"), C("d", 60, "RU-KLU", "culture")},
                             s);
  auto m = ById(r);
  EXPECT_EQ(m["a"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(m["b"].outcome(), v1::SELECTION_OUTCOME_WAITLISTED);
  EXPECT_EQ(m["c"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_EQ(m["d"].outcome(), v1::SELECTION_OUTCOME_SELECTED);
  EXPECT_THAT(m["a"].explanation(), ::testing::HasSubstr("2 of 3 (the rest are refused by AT_MOST quotas)"));
}

TEST(ValidateSelectionRunTest, BadSettingsAreFieldViolations) {
  v1::SelectionRun run;
  run.set_seats(-1);
  run.set_min_score(120);
  run.set_waitlist_size(-2);
  *run.add_quotas() = Q("", v1::QUOTA_DIMENSION_ANSWER, "x", v1::QUOTA_BOUND_UNSPECIFIED, -1);
  *run.add_quotas() = Q("r", v1::QUOTA_DIMENSION_REGION, "", v1::QUOTA_BOUND_AT_MOST, 1);
  *run.add_quotas() = Q("r", v1::QUOTA_DIMENSION_UNSPECIFIED, "", v1::QUOTA_BOUND_AT_LEAST, 0);
  absl::Status st = ValidateSelectionRun(run, 40, Language::kRussian);
  ASSERT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : GetFieldViolations(st)) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre(
                          "selection_run.seats", "selection_run.min_score", "selection_run.waitlist_size",
                          "selection_run.quotas[0].quota_id", "selection_run.quotas[0].question_id",
                          "selection_run.quotas[0].bound", "selection_run.quotas[0].count",
                          "selection_run.quotas[2].quota_id", "selection_run.quotas[2].dimension",
                          "selection_run.quotas[2].count"));
  std::map<std::string, std::string> ru;
  for (const auto& v : GetFieldViolations(st)) ru[v.field] = v.description;
  EXPECT_EQ(ru["selection_run.min_score"], "min_score должен быть от 0 до 100");
  EXPECT_EQ(ru["selection_run.quotas[2].quota_id"], "quota_id «r» указан дважды");
  EXPECT_EQ(ru["selection_run.quotas[0].count"], "count не может быть отрицательным");
  std::map<std::string, std::string> en;
  for (const auto& v : GetFieldViolations(ValidateSelectionRun(run, 40, Language::kEnglish)))
    en[v.field] = v.description;
  EXPECT_EQ(en["selection_run.min_score"], "min_score must be between 0 and 100");
  EXPECT_EQ(en["selection_run.quotas[2].quota_id"], "quota_id \"r\" is used twice");
  EXPECT_EQ(en["selection_run.quotas[0].count"], "count must not be negative");
  v1::SelectionRun ok;
  EXPECT_TRUE(ValidateSelectionRun(ok, 40, Language::kRussian).ok());
  EXPECT_EQ(ValidateSelectionRun(ok, 0, Language::kEnglish).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SettingsOf(ok, 40).seats, 40);
}

TEST(PickRefillTest, FirstFittingWaitlistedPreferringUnmetAtLeast) {
  std::vector<v1::Quota> quotas = {Q("region-max", v1::QUOTA_DIMENSION_REGION, "", v1::QUOTA_BOUND_AT_MOST, 1),
                                   Q("eco-min", v1::QUOTA_DIMENSION_ANSWER, "ecology", v1::QUOTA_BOUND_AT_LEAST, 1,
                                     "theme")};
  std::vector<Candidate> holding = {C("h", 90, "RU-SMO", "culture")};
  std::vector<Candidate> waitlist = {C("w1", 80, "RU-SMO", "ecology"), C("w2", 70, "RU-TVE", "culture"),
                                     C("w3", 60, "RU-KLU", "ecology")};
  auto pick = PickRefill(holding, waitlist, quotas);
  ASSERT_TRUE(pick.has_value());
  EXPECT_EQ(pick->index, 2u);  // w1 breaks region-max, w3 meets eco-min
  EXPECT_EQ(pick->binding_quota, "eco-min");
  holding.push_back(waitlist[2]);
  pick = PickRefill(holding, {waitlist[0], waitlist[1]}, quotas);
  ASSERT_TRUE(pick.has_value());
  EXPECT_EQ(pick->index, 1u);
  EXPECT_EQ(pick->binding_quota, "");
  EXPECT_FALSE(PickRefill(holding, {waitlist[0]}, quotas).has_value());
  EXPECT_FALSE(PickRefill(holding, {}, quotas).has_value());
}

// Property checks over random programmes: seat and AT_MOST bounds hold, input order is irrelevant.
TEST(SelectPropertyTest, RandomInputsKeepTheInvariants) {
  std::mt19937 rng(20261126);
  const std::vector<std::string> regions = {"RU-MOW", "RU-SPE", "RU-SMO", "RU-TVE", "RU-KLU", "RU-NEN"};
  const std::vector<std::string> themes = {"ecology", "culture", "youth", "elderly"};
  for (int round = 0; round < 200; ++round) {
    std::vector<Candidate> cs;
    const int n = std::uniform_int_distribution<int>(0, 60)(rng);
    for (int i = 0; i < n; ++i) {
      cs.push_back(C(absl::StrCat("a", i), std::uniform_int_distribution<int>(0, 20)(rng) * 5.0,
                     regions[rng() % regions.size()], themes[rng() % themes.size()],
                     std::uniform_int_distribution<int>(0, 5)(rng), static_cast<int>(rng() % 4)));
    }
    SelectionSettings s;
    s.seats = std::uniform_int_distribution<int>(1, 25)(rng);
    s.min_score = (rng() % 3) * 20.0;
    s.waitlist_size = static_cast<int>(rng() % 10);
    const int region_max = std::uniform_int_distribution<int>(1, 6)(rng);
    const int theme_max = std::uniform_int_distribution<int>(1, 10)(rng);
    s.quotas = {Q("region-max", v1::QUOTA_DIMENSION_REGION, "", v1::QUOTA_BOUND_AT_MOST, region_max),
                Q("youth-max", v1::QUOTA_DIMENSION_ANSWER, "youth", v1::QUOTA_BOUND_AT_MOST, theme_max, "theme"),
                Q("eco-min", v1::QUOTA_DIMENSION_ANSWER, "ecology", v1::QUOTA_BOUND_AT_LEAST,
                  std::uniform_int_distribution<int>(1, 8)(rng), "theme")};
    SelectionResult r = Select(cs, s);
    ASSERT_EQ(r.decisions.size(), cs.size());
    std::map<std::string, const Candidate*> by_name;
    for (const auto& c : cs) by_name[c.application] = &c;
    int selected = 0, waitlisted = 0, eligible = 0;
    std::map<std::string, int> per_region;
    int youth = 0;
    for (const auto& d : r.decisions) {
      const Candidate& c = *by_name.at(d.application());
      const bool ok = c.review_count > 0 && (s.min_score <= 0 || c.score >= s.min_score);
      eligible += ok;
      if (d.outcome() == v1::SELECTION_OUTCOME_SELECTED) {
        ASSERT_TRUE(ok);
        ++selected;
        ++per_region[c.region];
        youth += c.answers.at("theme")[0] == "youth";
      }
      if (d.outcome() == v1::SELECTION_OUTCOME_WAITLISTED) {
        ASSERT_TRUE(ok);
        EXPECT_EQ(d.waitlist_position(), ++waitlisted);
      }
      EXPECT_FALSE(d.explanation().empty());
    }
    EXPECT_LE(selected, s.seats);
    EXPECT_LE(waitlisted, s.waitlist_size == 0 ? n : s.waitlist_size);
    for (const auto& [region, count] : per_region) EXPECT_LE(count, region_max) << region;
    EXPECT_LE(youth, theme_max);
    // Seats stay empty only when every eligible one is held back by an AT_MOST quota.
    if (selected < s.seats) {
      for (const auto& d : r.decisions) {
        if (d.outcome() == v1::SELECTION_OUTCOME_WAITLISTED) {
          EXPECT_FALSE(d.binding_quota().empty());
        }
      }
    }
    std::vector<Candidate> shuffled = cs;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    SelectionResult again = Select(shuffled, s);
    ASSERT_EQ(again.decisions.size(), r.decisions.size());
    for (size_t i = 0; i < r.decisions.size(); ++i) {
      EXPECT_EQ(again.decisions[i].SerializeAsString(), r.decisions[i].SerializeAsString());
    }
  }
}

}  // namespace
}  // namespace etnik::registration
