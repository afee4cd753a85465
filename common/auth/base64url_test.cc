#include "common/auth/base64url.h"

#include <string>

#include "gtest/gtest.h"

namespace etnik::auth {
namespace {

TEST(Base64UrlTest, EncodesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  // The url-safe alphabet: '-' and '_' instead of '+' and '/'.
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64UrlTest, RoundTripsEveryByteAndLength) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= all.size(); ++len) {
    std::string data = all.substr(0, len);
    std::optional<std::string> decoded = Base64UrlDecode(Base64UrlEncode(data));
    ASSERT_TRUE(decoded.has_value()) << len;
    EXPECT_EQ(*decoded, data);
  }
}

TEST(Base64UrlTest, RejectsBadInput) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").has_value());     // padding
  EXPECT_FALSE(Base64UrlDecode("+/8").has_value());      // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm9 v").has_value());    // whitespace
  EXPECT_FALSE(Base64UrlDecode("Zm9v\n").has_value());   // newline
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").has_value());    // a lone 6-bit character
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());       // non-zero unused bits ("Zg" is canonical)
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm\0v", 4)).has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm9v\xc3\xa9").has_value());
}

}  // namespace
}  // namespace etnik::auth
