#include "services/registration/domain/org_ids.h"

#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

// Check digits used to build the synthetic values below:
//   INN-10: d10 = (2,4,10,3,5,9,4,6,8 · d1..d9) mod 11 mod 10
//   INN-12: d11 = (7,2,4,10,3,5,9,4,6,8 · d1..d10) mod 11 mod 10,
//           d12 = (3,7,2,4,10,3,5,9,4,6,8 · d1..d11) mod 11 mod 10
//   OGRN:   d13 = (d1..d12 as a number) mod 11 mod 10; OGRNIP: d15 = (d1..d14) mod 13 mod 10

TEST(InnTest, AcceptsRealAndComputedInns) {
  EXPECT_TRUE(IsValidInn("7707083893"));    // ПАО Сбербанк
  EXPECT_TRUE(IsValidInn("7736207543"));    // ООО «Яндекс»
  EXPECT_TRUE(IsValidInn("6730000011"));    // synthetic, Smolensk tax office prefix 67
  EXPECT_TRUE(IsValidInn("673212345620"));  // synthetic individual's INN
}

TEST(InnTest, RefusesBrokenChecksums) {
  EXPECT_FALSE(IsValidInn("7707083894"));
  EXPECT_FALSE(IsValidInn("7707083890"));
  EXPECT_FALSE(IsValidInn("673212345621"));  // 12th digit wrong
  EXPECT_FALSE(IsValidInn("673212345630"));  // 11th digit wrong
}

TEST(InnTest, RefusesWrongLengthAndNonDigits) {
  EXPECT_FALSE(IsValidInn(""));
  EXPECT_FALSE(IsValidInn("770708389"));
  EXPECT_FALSE(IsValidInn("77070838930"));
  EXPECT_FALSE(IsValidInn("6732123456200"));
  EXPECT_FALSE(IsValidInn("77070838 3"));
  EXPECT_FALSE(IsValidInn("770708389a"));
  EXPECT_FALSE(IsValidInn(" 7707083893"));
  EXPECT_FALSE(IsValidInn("７７０７０８３８９３"));  // full-width digits are not digits
  EXPECT_FALSE(IsValidInn("0000000000"));           // checksum holds, but 00 is no region
}

TEST(OgrnTest, AcceptsRealAndComputedOgrns) {
  EXPECT_TRUE(IsValidOgrn("1027700132195"));    // ПАО Сбербанк
  EXPECT_TRUE(IsValidOgrn("1027700229193"));    // ООО «Яндекс»
  EXPECT_TRUE(IsValidOgrn("1156700000126"));    // synthetic, Smolensk
  EXPECT_TRUE(IsValidOgrn("304673200000122"));  // synthetic OGRNIP
}

TEST(OgrnTest, RefusesBrokenChecksumsLengthsAndDigits) {
  EXPECT_FALSE(IsValidOgrn("1027700132196"));
  EXPECT_FALSE(IsValidOgrn("304673200000123"));
  EXPECT_FALSE(IsValidOgrn("102770013219"));
  EXPECT_FALSE(IsValidOgrn("10277001321950"));
  EXPECT_FALSE(IsValidOgrn(""));
  EXPECT_FALSE(IsValidOgrn("1027700l32195"));
  // Leading digit: OGRN starts with 1 or 5, OGRNIP with 3 (2xxx are record numbers).
  EXPECT_FALSE(IsValidOgrn("2027700132195"));
  EXPECT_FALSE(IsValidOgrn("104673200000122"));
}

}  // namespace
}  // namespace etnik::registration
