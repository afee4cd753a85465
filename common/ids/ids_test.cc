#include "common/ids/ids.h"

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"

namespace etnik {
namespace {

using HubId = Id<struct HubTag>;

TEST(Ids, NewIdsAreValidAndDistinct) {
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewId();
    EXPECT_TRUE(IsValidResourceId(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
  }
}

TEST(Ids, ResourceIdRules) {
  EXPECT_TRUE(IsValidResourceId("hub-1"));
  EXPECT_FALSE(IsValidResourceId(""));
  EXPECT_FALSE(IsValidResourceId("1hub"));
  EXPECT_FALSE(IsValidResourceId("Hub"));
  EXPECT_FALSE(IsValidResourceId("hub-"));
  EXPECT_FALSE(IsValidResourceId("хаб"));
  EXPECT_FALSE(IsValidResourceId(std::string(64, 'a')));
}

TEST(Ids, TypedIdsCompareByValue) {
  EXPECT_EQ(HubId("a"), HubId("a"));
  EXPECT_LT(HubId("a"), HubId("b"));
  absl::flat_hash_set<HubId> set = {HubId("a"), HubId("a"), HubId("b")};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace etnik
