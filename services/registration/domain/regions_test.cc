#include "services/registration/domain/regions.h"

#include <set>

#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

TEST(RegionsTest, ListsAllSubjectsWithUniqueCodesAndBothNames) {
  const auto& regions = RussianRegions();
  EXPECT_EQ(regions.size(), 85u);  // 83 ISO 3166-2:RU codes + RU-CR + RU-SEV
  std::set<std::string> codes;
  for (const Region& r : regions) {
    EXPECT_TRUE(codes.insert(r.code).second) << r.code;
    EXPECT_EQ(r.code.rfind("RU-", 0), 0u) << r.code;
    EXPECT_FALSE(r.name_ru.empty()) << r.code;
    EXPECT_FALSE(r.name_en.empty()) << r.code;
    EXPECT_EQ(FindRegion(r.code), &r);
  }
}

TEST(RegionsTest, FindsKnownCodes) {
  ASSERT_NE(FindRegion("RU-SMO"), nullptr);
  EXPECT_EQ(FindRegion("RU-SMO")->name_ru, "Смоленская область");
  EXPECT_EQ(FindRegion("RU-MOW")->name_en, "Moscow");
  EXPECT_EQ(FindRegion("RU-SPE")->name_ru, "Санкт-Петербург");
  EXPECT_EQ(FindRegion("RU-TA")->name_ru, "Республика Татарстан");
  EXPECT_EQ(FindRegion("RU-CR")->name_ru, "Республика Крым");
  EXPECT_EQ(FindRegion("RU-SEV")->name_ru, "Севастополь");
}

TEST(RegionsTest, UnknownCodesAreNull) {
  EXPECT_EQ(FindRegion(""), nullptr);
  EXPECT_EQ(FindRegion("RU-smo"), nullptr);
  EXPECT_EQ(FindRegion("SMO"), nullptr);
  EXPECT_EQ(FindRegion("RU-SMO "), nullptr);
  EXPECT_EQ(FindRegion("UA-30"), nullptr);
  EXPECT_EQ(FindRegion("RU-ZZZ"), nullptr);
}

}  // namespace
}  // namespace etnik::registration
