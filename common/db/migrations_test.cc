// Contract tests of the schema migrations, on both engines.

#include "common/db/migrations.h"

#include <thread>
#include <vector>

#include "common/clock/clock.h"
#include "common/db/db_test_fixture.h"
#include "common/db/time_micros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "soci/soci.h"

namespace etnik::db {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1617235200);  // 1 April 2021 00:00 UTC

class MigrationsContractTest : public DbContractTest {
 protected:
  DatabaseOptions Options() const override {
    DatabaseOptions options;
    options.pool_size = 4;
    options.clock = &clock_;
    return options;
  }

  // Deliberately not idempotent: applying any of them twice fails.
  static std::vector<Migration> Schema(int up_to) {
    std::vector<Migration> all = {
        {1, "create_hubs", "CREATE TABLE hubs (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", "", ""},
        {2, "seed_hub", "INSERT INTO hubs (id, name) VALUES (1, 'Folk crafts and trades')", "", ""},
        {3, "add_hub_theme",
         "ALTER TABLE hubs ADD COLUMN theme TEXT;"
         " UPDATE hubs SET theme = 'crafts'", "", ""},
    };
    all.resize(up_to);
    return all;
  }

  int HubCount() {
    int count = -1;
    EXPECT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                     session << "SELECT COUNT(*) FROM hubs", soci::into(count);
                     return absl::OkStatus();
                   }).ok());
    return count;
  }

  FakeClock clock_{kStart};
};
ETNIK_INSTANTIATE_DB_CONTRACT(MigrationsContractTest);

TEST_P(MigrationsContractTest, EmptyDatabaseIsVersionZero) {
  EXPECT_EQ(*SchemaVersion(*db_), 0);
}

TEST_P(MigrationsContractTest, AppliesInOrderAndRecordsEach) {
  absl::StatusOr<int> version = ApplyMigrations(*db_, Schema(3));
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 3);
  std::vector<int> versions(10);
  std::vector<std::string> names(10);
  std::vector<long long> applied_at(10);
  ASSERT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                   session << "SELECT version, name, applied_at_us FROM schema_migrations"
                              " ORDER BY version",
                       soci::into(versions), soci::into(names), soci::into(applied_at);
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(versions, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(names, (std::vector<std::string>{"create_hubs", "seed_hub", "add_hub_theme"}));
  EXPECT_EQ(applied_at, std::vector<long long>(3, TimeToMicros(kStart)));
  EXPECT_EQ(HubCount(), 1);
}

TEST_P(MigrationsContractTest, ReapplyingIsANoOp) {
  ASSERT_TRUE(ApplyMigrations(*db_, Schema(3)).ok());
  absl::StatusOr<int> again = ApplyMigrations(*db_, Schema(3));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 3);
  EXPECT_EQ(HubCount(), 1);
}

TEST_P(MigrationsContractTest, ANewerBinaryAppliesOnlyTheNewMigrations) {
  ASSERT_EQ(*ApplyMigrations(*db_, Schema(2)), 2);
  absl::StatusOr<int> version = ApplyMigrations(*db_, Schema(3));
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 3);
  EXPECT_EQ(HubCount(), 1);
}

TEST_P(MigrationsContractTest, AnOlderBinaryRefusesANewerSchema) {
  ASSERT_EQ(*ApplyMigrations(*db_, Schema(3)), 3);
  absl::StatusOr<int> version = ApplyMigrations(*db_, Schema(2));
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(version.status().message()),
              AllOf(HasSubstr("version 3"), HasSubstr("newest migration is 2")));
}

TEST_P(MigrationsContractTest, ARenamedMigrationIsRefused) {
  ASSERT_EQ(*ApplyMigrations(*db_, Schema(2)), 2);
  std::vector<Migration> renamed = Schema(2);
  renamed[1].name = "seed_first_hub";
  absl::StatusOr<int> version = ApplyMigrations(*db_, renamed);
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(version.status().message()), HasSubstr("seed_first_hub"));
}

TEST_P(MigrationsContractTest, AMissingOlderMigrationIsRefused) {
  std::vector<Migration> skipping = Schema(3);
  skipping.erase(skipping.begin() + 1);  // 1 and 3 only
  ASSERT_EQ(*ApplyMigrations(*db_, skipping), 3);
  absl::StatusOr<int> version = ApplyMigrations(*db_, Schema(3));
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(MigrationsContractTest, AFailingMigrationLeavesNoTrace) {
  ASSERT_EQ(*ApplyMigrations(*db_, Schema(1)), 1);
  std::vector<Migration> broken = Schema(1);
  broken.push_back({2, "half_done",
                    "CREATE TABLE experts (id INTEGER PRIMARY KEY);"
                    " INSERT INTO no_such_table VALUES (1)",
                    "", ""});
  absl::StatusOr<int> version = ApplyMigrations(*db_, broken);
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(std::string(version.status().message()), HasSubstr("migration 2 (half_done)"));
  EXPECT_EQ(*SchemaVersion(*db_), 1);
  absl::StatusOr<bool> exists = false;
  ASSERT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                   exists = TableExists(session, "experts");
                   return exists.status();
                 }).ok());
  EXPECT_FALSE(*exists);
}

TEST_P(MigrationsContractTest, EngineSpecificSqlIsChosen) {
  std::vector<Migration> m = {{1, "engine_marker", "", "CREATE TABLE only_sqlite (id INTEGER)",
                               "CREATE TABLE only_postgres (id INTEGER)"}};
  ASSERT_TRUE(ApplyMigrations(*db_, m).ok());
  const std::string expected = GetParam() == Engine::kSqlite ? "only_sqlite" : "only_postgres";
  absl::StatusOr<bool> exists = false;
  ASSERT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                   exists = TableExists(session, expected);
                   return exists.status();
                 }).ok());
  EXPECT_TRUE(*exists);
}

TEST_P(MigrationsContractTest, MalformedListsAreRejected) {
  std::vector<Migration> unordered = Schema(3);
  std::swap(unordered[0], unordered[1]);
  EXPECT_EQ(ApplyMigrations(*db_, unordered).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<Migration> unnamed = Schema(1);
  unnamed[0].name.clear();
  EXPECT_EQ(ApplyMigrations(*db_, unnamed).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*SchemaVersion(*db_), 0);
}

// Several replicas starting at once: each migration runs exactly once, and all of them succeed.
TEST_P(MigrationsContractTest, ConcurrentReplicasApplyEachMigrationOnce) {
  constexpr int kReplicas = 6;
  std::vector<std::unique_ptr<Database>> replicas;
  for (int i = 0; i < kReplicas; ++i) replicas.push_back(OpenReplica(Options()));
  std::vector<absl::StatusOr<int>> results(kReplicas, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] { results[i] = ApplyMigrations(*replicas[i], Schema(3)); });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::StatusOr<int>& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(*r, 3);
  }
  EXPECT_EQ(HubCount(), 1);
}

}  // namespace
}  // namespace etnik::db
