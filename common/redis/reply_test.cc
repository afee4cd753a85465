#include "common/redis/reply.h"

#include "gtest/gtest.h"

namespace etnik::redis {
namespace {

TEST(ReplyTest, DebugStringShowsEveryType) {
  Reply r =
      Reply::Array({Reply::Status("OK"), Reply::Integer(7), Reply::String(std::string("a\0b", 3)),
                    Reply::Nil(), Reply::Error("ERR x")});
  EXPECT_EQ(DebugString(r), "[+OK, :7, \"a\\000b\", (nil), -ERR x]");
}

TEST(ReplyTest, EqualityComparesContent) {
  EXPECT_EQ(Reply::String("x"), Reply::String("x"));
  EXPECT_NE(Reply::String("x"), Reply::Status("x"));
  EXPECT_NE(Reply::Array({Reply::Integer(1)}), Reply::Array({Reply::Integer(2)}));
}

}  // namespace
}  // namespace etnik::redis
