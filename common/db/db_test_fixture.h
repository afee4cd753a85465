#ifndef ETNIK_COMMON_DB_DB_TEST_FIXTURE_H_
#define ETNIK_COMMON_DB_DB_TEST_FIXTURE_H_

// The fixture of the repository contract suite: every test runs once per engine, each time on a
// fresh database (a temp SQLite file, or a new database on the test PostgreSQL).

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/database.h"
#include "common/testing/postgres_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "gtest/gtest.h"

namespace etnik::db {

class DbContractTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::kSqlite) {
      auto temp = etnik::test::TempSqliteDatabase::Create();
      ASSERT_TRUE(temp.ok()) << temp.status();
      sqlite_ = std::move(*temp);
      url_ = sqlite_->url();
    } else {
      auto temp = etnik::test::TempPostgresDatabase::Create();
      ASSERT_TRUE(temp.ok()) << temp.status();
      postgres_ = std::move(*temp);
      url_ = postgres_->url();
    }
    auto db = Database::Open(url_, Options());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
  }

  // What every Database of the test is opened with; tests may adjust before OpenReplica.
  virtual DatabaseOptions Options() const {
    DatabaseOptions options;
    options.pool_size = 8;
    return options;
  }

  // A second, independent Database on the same data: another replica / process.
  std::unique_ptr<Database> OpenReplica(DatabaseOptions options) {
    auto db = Database::Open(url_, options);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  // Runs a script in its own write transaction.
  absl::Status Exec(const std::string& sql) {
    return db_->InTransaction(TxMode::kWrite,
                              [&](soci::session& session) { return ExecScript(session, sql); });
  }

  std::unique_ptr<etnik::test::TempSqliteDatabase> sqlite_;
  std::unique_ptr<etnik::test::TempPostgresDatabase> postgres_;
  std::string url_;
  std::unique_ptr<Database> db_;  // declared last: closed before the database is removed

  void TearDown() override { db_.reset(); }
};

inline std::string EngineTestName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

#define ETNIK_INSTANTIATE_DB_CONTRACT(suite)                                                  \
  INSTANTIATE_TEST_SUITE_P(Engines, suite,                                                    \
                           ::testing::Values(::etnik::db::Engine::kSqlite,                    \
                                             ::etnik::db::Engine::kPostgres),                 \
                           ::etnik::db::EngineTestName)

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_DB_TEST_FIXTURE_H_
