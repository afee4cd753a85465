// Review, selection, offers and participants over gRPC.

#include "gtest/gtest.h"
#include "services/registration/api/test_env.h"

namespace etnik::registration {
namespace {

TEST(SelectionFlowTest, EnvironmentStarts) {
  absl::StatusOr<std::unique_ptr<testing::TestEnv>> env = testing::TestEnv::Create(db::Engine::kSqlite);
  ASSERT_TRUE(env.ok()) << env.status();
}

}  // namespace
}  // namespace etnik::registration
