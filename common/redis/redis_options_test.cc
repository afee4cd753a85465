#include "common/redis/redis_options.h"

#include "gtest/gtest.h"

namespace etnik::redis {
namespace {

TEST(ParseRedisUrlTest, HostAndPort) {
  absl::StatusOr<RedisOptions> o = ParseRedisUrl("redis://cache.internal:6380");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->host, "cache.internal");
  EXPECT_EQ(o->port, 6380);
  EXPECT_EQ(o->db, 0);
}

TEST(ParseRedisUrlTest, DefaultPortAndDatabase) {
  absl::StatusOr<RedisOptions> o = ParseRedisUrl("redis://localhost/3");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->host, "localhost");
  EXPECT_EQ(o->port, 6379);
  EXPECT_EQ(o->db, 3);
  EXPECT_TRUE(ParseRedisUrl("redis://localhost/").ok());
}

TEST(ParseRedisUrlTest, Ipv6Literal) {
  absl::StatusOr<RedisOptions> o = ParseRedisUrl("redis://[::1]:7000");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->host, "::1");
  EXPECT_EQ(o->port, 7000);
}

TEST(ParseRedisUrlTest, KeepsTheOtherSettingsOfTheBase) {
  RedisOptions base;
  base.pool_size = 3;
  base.command_timeout = absl::Milliseconds(40);
  absl::StatusOr<RedisOptions> o = ParseRedisUrl("redis://h:1", base);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->pool_size, 3);
  EXPECT_EQ(o->command_timeout, absl::Milliseconds(40));
}

TEST(ParseRedisUrlTest, RefusesMalformedUrls) {
  for (const char* bad : {"", "localhost:6379", "http://h:1", "redis://", "redis://:6379",
                          "redis://h:0", "redis://h:65536", "redis://h:port", "redis://h/x",
                          "redis://user:pw@h:1", "redis://[::1", "redis://[::1]x"}) {
    absl::StatusOr<RedisOptions> o = ParseRedisUrl(bad);
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ParseRedisUrlTest, ErrorsDoNotRepeatCredentials) {
  for (const char* url : {"redis://user:s3cret-pw@h:1", "redis://:s3cret-pw@h:1/0", "rediss://u:s3cret-pw@h"}) {
    absl::StatusOr<RedisOptions> o = ParseRedisUrl(url);
    ASSERT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_EQ(o.status().message().find("s3cret-pw"), absl::string_view::npos) << o.status();
    EXPECT_NE(o.status().message().find("***@h"), absl::string_view::npos) << o.status();
  }
}

}  // namespace
}  // namespace etnik::redis
