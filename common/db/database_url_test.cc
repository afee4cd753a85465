#include "common/db/database_url.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::db {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(DatabaseUrlTest, SqliteAbsoluteAndRelativePaths) {
  absl::StatusOr<DatabaseUrl> abs = ParseDatabaseUrl("sqlite:///var/lib/etnik/hubs.db");
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ(abs->engine, Engine::kSqlite);
  EXPECT_EQ(abs->target, "/var/lib/etnik/hubs.db");
  absl::StatusOr<DatabaseUrl> rel = ParseDatabaseUrl("sqlite://data/hubs.db");
  ASSERT_TRUE(rel.ok());
  EXPECT_EQ(rel->target, "data/hubs.db");
}

TEST(DatabaseUrlTest, PostgresUrlsBecomeKeyValueConnectionStrings) {
  absl::StatusOr<DatabaseUrl> plain = ParseDatabaseUrl("postgresql://etnik@db.internal:5432/scheduling");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->engine, Engine::kPostgres);
  EXPECT_EQ(plain->target,
            "user=etnik dbname=scheduling host=db.internal port=5432 connect_timeout=5");
  absl::StatusOr<DatabaseUrl> quoted =
      ParseDatabaseUrl("postgres://etnik:it%27s%20me@%2Fvar%2Frun%2Fpostgresql/hubs"
                       "?sslmode=disable&connect_timeout=1");
  ASSERT_TRUE(quoted.ok()) << quoted.status();
  EXPECT_EQ(quoted->target,
            "user=etnik password='it\\'s me' connect_timeout=1 dbname=hubs"
            " host=/var/run/postgresql sslmode=disable");
}

TEST(DatabaseUrlTest, BadUrlsAreInvalidArgument) {
  for (const char* url : {"", "sqlite://", "sqlite://:memory:", "sqlite:///tmp/a b.db",
                          "sqlite:///tmp/x=1.db", "mysql://root@localhost/db", "/tmp/x.db",
                          "postgresql://etnik@db/x?no_such_option=1"}) {
    EXPECT_EQ(ParseDatabaseUrl(url).status().code(), absl::StatusCode::kInvalidArgument) << url;
  }
}

TEST(DatabaseUrlTest, ErrorsDoNotEchoCredentials) {
  absl::Status status = ParseDatabaseUrl("postgresq://etnik:hunter2@db/x").status();
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("hunter2")));
}

}  // namespace
}  // namespace etnik::db
