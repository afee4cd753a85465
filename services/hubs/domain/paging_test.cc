#include "services/hubs/domain/paging.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::hubs {
namespace {

TEST(PagingTest, DefaultsAndLimits) {
  absl::StatusOr<PageCursor> c = ParsePageRequest({0, ""}, "f");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->limit, kDefaultPageSize);
  EXPECT_FALSE(c->after.has_value());
  c = ParsePageRequest({5000, ""}, "f");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->limit, kMaxPageSize);
  c = ParsePageRequest({-1, ""}, "f");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(c.status()).at(0).field, "page_size");
}

TEST(PagingTest, TokenRoundTripsAnyTitle) {
  const std::string fp = FilterFingerprint({"programmes/etnik-2021", "media"});
  SortKey key{"Информационные\x1f и медиа-проекты", "media"};
  absl::StatusOr<PageCursor> c = ParsePageRequest({10, EncodePageToken(fp, key)}, fp);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(c->after.has_value());
  EXPECT_EQ(*c->after, key);
}

TEST(PagingTest, TokenOfOtherFiltersIsRefused) {
  std::string token = EncodePageToken(FilterFingerprint({"a"}), {"x", "y"});
  absl::StatusOr<PageCursor> c = ParsePageRequest({10, token}, FilterFingerprint({"b"}));
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(c.status()).at(0).field, "page_token");
}

TEST(PagingTest, GarbageTokenIsRefused) {
  for (const char* token : {"garbage!", "cDE", "AAAA"}) {
    absl::StatusOr<PageCursor> c = ParsePageRequest({10, token}, "f");
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << token;
  }
}

TEST(PagingTest, FingerprintSeparatesParts) {
  EXPECT_NE(FilterFingerprint({"ab", "c"}), FilterFingerprint({"a", "bc"}));
  EXPECT_EQ(FilterFingerprint({"a", "b"}), FilterFingerprint({"a", "b"}));
}

}  // namespace
}  // namespace etnik::hubs
