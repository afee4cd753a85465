#include "common/auth/jwt_config.h"

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace etnik::auth {
namespace {

std::string WriteFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(ReadSecretFileTest, DropsOneTrailingNewline) {
  EXPECT_EQ(*ReadSecretFile(WriteFile("s1", "abc\n")), "abc");
  EXPECT_EQ(*ReadSecretFile(WriteFile("s2", "abc\r\n")), "abc");
  EXPECT_EQ(*ReadSecretFile(WriteFile("s3", "abc")), "abc");
  EXPECT_EQ(*ReadSecretFile(WriteFile("s4", "abc\n\n")), "abc\n");
  EXPECT_EQ(*ReadSecretFile(WriteFile("s5", " a b ")), " a b ");
}

TEST(ReadSecretFileTest, RefusesMissingOrEmptyFile) {
  EXPECT_EQ(ReadSecretFile(::testing::TempDir() + "/no-such-secret").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadSecretFile(WriteFile("empty", "")).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadSecretFile(WriteFile("newline", "\n")).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadSecretFile("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ReadSecretFileTest, ErrorNamesThePathNotTheContent) {
  std::string path = WriteFile("big", std::string(70 * 1024, 'k'));
  absl::StatusOr<std::string> s = ReadSecretFile(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find(path), absl::string_view::npos);
  EXPECT_EQ(s.status().message().find("kkkk"), absl::string_view::npos);
}

TEST(LoadJwtConfigTest, ReadsTheKeyOfThePinnedAlgorithm) {
  std::string path = WriteFile("hs", "0123456789abcdef0123456789abcdef\n");
  absl::StatusOr<JwtConfig> hs = LoadJwtConfig("HS256", path, "etnik", "etnik", absl::Seconds(5));
  ASSERT_TRUE(hs.ok()) << hs.status();
  EXPECT_EQ(hs->algorithm, JwtAlgorithm::kHs256);
  EXPECT_EQ(hs->hs256_secret, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(hs->leeway, absl::Seconds(5));

  absl::StatusOr<JwtConfig> rs = LoadJwtConfig("RS256", path, "kc", "etnik-api", absl::ZeroDuration());
  ASSERT_TRUE(rs.ok()) << rs.status();
  EXPECT_EQ(rs->algorithm, JwtAlgorithm::kRs256);
  EXPECT_TRUE(rs->hs256_secret.empty());
  EXPECT_EQ(rs->issuer, "kc");

  EXPECT_EQ(LoadJwtConfig("none", path, "i", "a", absl::ZeroDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadJwtConfig("hs256", path, "i", "a", absl::ZeroDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace etnik::auth
