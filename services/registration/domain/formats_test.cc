#include "services/registration/domain/formats.h"

#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

TEST(Utf8LengthTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("Смоленск"), 8u);  // 16 bytes
  EXPECT_EQ(std::string("Смоленск").size(), 16u);
  EXPECT_EQ(Utf8Length("ЭтНик — 2021"), 12u);  // em dash is 3 bytes
  EXPECT_EQ(Utf8Length("\xF0\x9F\x99\x82"), 1u);  // emoji, 4 bytes
}

TEST(Utf8LengthTest, RefusesInvalidUtf8) {
  EXPECT_FALSE(Utf8Length("\xD0"));              // truncated Cyrillic letter
  EXPECT_FALSE(Utf8Length("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(Utf8Length("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(Utf8Length("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(Utf8Length("\xFF"));
  EXPECT_FALSE(Utf8Length("ok\x80"));
}

TEST(DisplayValueTest, ReplacesBadBytesAndCuts) {
  EXPECT_EQ(DisplayValue("Смоленск"), "Смоленск");
  EXPECT_EQ(DisplayValue("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(DisplayValue("Смоленск", 3), "Смо\xE2\x80\xA6");
  EXPECT_TRUE(Utf8Length(DisplayValue("\xD0\xD0\xD0")).has_value());
}

TEST(EmailTest, AcceptsAndRefuses) {
  EXPECT_TRUE(IsValidEmail("info@etnik-smolensk.ru"));
  EXPECT_TRUE(IsValidEmail("maria.ivanova+nko@mail.ru"));
  EXPECT_TRUE(IsValidEmail("nko@центр.рф"));
  EXPECT_FALSE(IsValidEmail(""));
  EXPECT_FALSE(IsValidEmail("info"));
  EXPECT_FALSE(IsValidEmail("info@"));
  EXPECT_FALSE(IsValidEmail("@mail.ru"));
  EXPECT_FALSE(IsValidEmail("info@localhost"));
  EXPECT_FALSE(IsValidEmail("in fo@mail.ru"));
  EXPECT_FALSE(IsValidEmail("info@mail..ru"));
  EXPECT_FALSE(IsValidEmail(".info@mail.ru"));
  EXPECT_FALSE(IsValidEmail("info@-mail.ru"));
  EXPECT_FALSE(IsValidEmail("info@10.0.0.1"));
  EXPECT_FALSE(IsValidEmail("a@b@mail.ru"));
}

TEST(PhoneTest, AcceptsRussianAndE164) {
  EXPECT_TRUE(IsValidPhone("+74812000000"));
  EXPECT_TRUE(IsValidPhone("+7 (4812) 00-00-00"));
  EXPECT_TRUE(IsValidPhone("8 (4812) 00-00-00"));
  EXPECT_TRUE(IsValidPhone("89161234567"));
  EXPECT_TRUE(IsValidPhone("+375291234567"));  // Belarus
  EXPECT_TRUE(IsValidPhone("+4930123456"));
}

TEST(PhoneTest, RefusesOthers) {
  EXPECT_FALSE(IsValidPhone(""));
  EXPECT_FALSE(IsValidPhone("+7481200000"));    // +7 needs 10 more digits
  EXPECT_FALSE(IsValidPhone("+748120000000"));
  EXPECT_FALSE(IsValidPhone("74812000000"));    // no plus, not 8
  EXPECT_FALSE(IsValidPhone("8481200000"));     // 10 digits
  EXPECT_FALSE(IsValidPhone("+0123456789"));
  EXPECT_FALSE(IsValidPhone("+1234567890123456"));
  EXPECT_FALSE(IsValidPhone("+7 481 200 00 0x"));
  EXPECT_FALSE(IsValidPhone("+7 (4812 000000"));
  EXPECT_FALSE(IsValidPhone("-74812000000"));
  EXPECT_FALSE(IsValidPhone("+"));
}

TEST(UrlTest, AcceptsHttpAndHttps) {
  EXPECT_TRUE(IsValidHttpUrl("https://etnik-smolensk.ru"));
  EXPECT_TRUE(IsValidHttpUrl("http://etnik-smolensk.ru/hubs?page=2#media"));
  EXPECT_TRUE(IsValidHttpUrl("HTTPS://Example.org:8443/path"));
  EXPECT_TRUE(IsValidHttpUrl("https://центр-нко.рф/о-нас"));
  EXPECT_TRUE(IsValidHttpUrl("http://192.168.0.1/"));
  EXPECT_TRUE(IsValidHttpUrl("http://[::1]:8080/"));
}

TEST(UrlTest, RefusesOthers) {
  EXPECT_FALSE(IsValidHttpUrl(""));
  EXPECT_FALSE(IsValidHttpUrl("etnik-smolensk.ru"));
  EXPECT_FALSE(IsValidHttpUrl("ftp://etnik-smolensk.ru"));
  EXPECT_FALSE(IsValidHttpUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsValidHttpUrl("https://"));
  EXPECT_FALSE(IsValidHttpUrl("https:///path"));
  EXPECT_FALSE(IsValidHttpUrl("https://exa mple.org"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.org:port"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.org:123456"));
  EXPECT_FALSE(IsValidHttpUrl("https://-bad.org"));
}

TEST(TimeZoneTest, KnownZonesOnly) {
  EXPECT_TRUE(IsValidTimeZone("Europe/Moscow"));
  EXPECT_TRUE(IsValidTimeZone("Asia/Vladivostok"));
  EXPECT_TRUE(IsValidTimeZone("UTC"));
  EXPECT_FALSE(IsValidTimeZone(""));
  EXPECT_FALSE(IsValidTimeZone("Europe/Smolensk"));
  EXPECT_FALSE(IsValidTimeZone("MSK+1"));
  EXPECT_FALSE(IsValidTimeZone("/etc/passwd"));
  EXPECT_FALSE(IsValidTimeZone("../../etc/passwd"));
  EXPECT_FALSE(IsValidTimeZone("localtime"));
  EXPECT_FALSE(IsValidTimeZone("Fixed/UTC+03:00"));
}

}  // namespace
}  // namespace etnik::registration
