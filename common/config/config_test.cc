#include "common/config/config.h"

#include <map>
#include <string>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

ABSL_FLAG(std::string, test_grpc_address, "127.0.0.1:50051", "test flag");
ABSL_FLAG(int, test_pool_size, 4, "test flag");
ABSL_FLAG(absl::Duration, test_timeout, absl::Seconds(1), "test flag");

namespace etnik::config {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::SetFlag(&FLAGS_test_grpc_address, "127.0.0.1:50051");
    absl::SetFlag(&FLAGS_test_pool_size, 4);
    absl::SetFlag(&FLAGS_test_timeout, absl::Seconds(1));
  }
  static EnvLookup Env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

TEST_F(ConfigTest, EnvVarNameIsPrefixedAndUpperCase) {
  EXPECT_EQ(EnvVarFor("grpc_address"), "ETNIK_GRPC_ADDRESS");
}

TEST_F(ConfigTest, EnvironmentOverridesDefaults) {
  ASSERT_TRUE(ApplyEnvOverrides(Env({{"ETNIK_TEST_GRPC_ADDRESS", "0.0.0.0:6000"},
                                     {"ETNIK_TEST_POOL_SIZE", "16"},
                                     {"ETNIK_TEST_TIMEOUT", "250ms"}}))
                  .ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_test_grpc_address), "0.0.0.0:6000");
  EXPECT_EQ(absl::GetFlag(FLAGS_test_pool_size), 16);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_timeout), absl::Milliseconds(250));
}

TEST_F(ConfigTest, AbsentVariablesLeaveDefaults) {
  ASSERT_TRUE(ApplyEnvOverrides(Env({{"UNRELATED", "x"}})).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_test_pool_size), 4);
}

TEST_F(ConfigTest, BadValueIsAClearErrorAndChangesNothing) {
  absl::Status s = ApplyEnvOverrides(Env({{"ETNIK_TEST_POOL_SIZE", "many"}}));
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("ETNIK_TEST_POOL_SIZE"), absl::string_view::npos);
  EXPECT_NE(s.message().find("--test_pool_size"), absl::string_view::npos);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_pool_size), 4);
}

TEST_F(ConfigTest, CommandLineWinsOverEnvironment) {
  setenv("ETNIK_TEST_POOL_SIZE", "16", 1);
  char arg0[] = "prog";
  char arg1[] = "--test_pool_size=32";
  char* argv[] = {arg0, arg1};
  ParseFlags(2, argv);
  unsetenv("ETNIK_TEST_POOL_SIZE");
  EXPECT_EQ(absl::GetFlag(FLAGS_test_pool_size), 32);
}

}  // namespace
}  // namespace etnik::config
