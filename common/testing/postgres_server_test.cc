#include "common/testing/postgres_server.h"

#include <libpq-fe.h>

#include <string>

#include "gtest/gtest.h"

namespace etnik::test {
namespace {

// Runs one statement; returns the first value of the first row, or "ERROR: ...".
std::string Query(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string error = std::string("ERROR: ") + PQerrorMessage(conn);
    PQfinish(conn);
    return error;
  }
  PGresult* result = PQexec(conn, sql.c_str());
  std::string out;
  if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0) {
    out = PQgetvalue(result, 0, 0);
  } else if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK) {
    out = std::string("ERROR: ") + PQresultErrorMessage(result);
  }
  PQclear(result);
  PQfinish(conn);
  return out;
}

TEST(PostgresServerTest, EachTestDatabaseIsSeparate) {
  absl::StatusOr<PostgresServer*> server = PostgresServer::Shared();
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::string> a = (*server)->CreateDatabase();
  absl::StatusOr<std::string> b = (*server)->CreateDatabase();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(Query(*a, "SELECT current_setting('server_version_num')::int / 10000"), "15");
  EXPECT_EQ(Query(*a, "CREATE TABLE t (id INTEGER)"), "");
  EXPECT_EQ(Query(*a, "SELECT COUNT(*) FROM t"), "0");
  EXPECT_NE(Query(*b, "SELECT COUNT(*) FROM t").rfind("ERROR", 0), std::string::npos);
  ASSERT_TRUE((*server)->DropDatabase(*a).ok());
  EXPECT_EQ(Query(*a, "SELECT 1").rfind("ERROR", 0), 0u);
  EXPECT_FALSE((*server)->DropDatabase((*server)->admin_url()).ok()) << "refuses non-test names";
  ASSERT_TRUE((*server)->DropDatabase(*b).ok());
}

TEST(PostgresServerTest, TempDatabaseIsDroppedWithItsObject) {
  std::string url;
  {
    absl::StatusOr<std::unique_ptr<TempPostgresDatabase>> db = TempPostgresDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    url = (*db)->url();
    EXPECT_EQ(Query(url, "SELECT 1"), "1");
  }
  EXPECT_EQ(Query(url, "SELECT 1").rfind("ERROR", 0), 0u);
}

TEST(PostgresServerTest, PrivateServerKeepsItsDataAcrossARestart) {
  absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::StartPrivate();
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::string> url = (*server)->CreateDatabase();
  ASSERT_TRUE(url.ok()) << url.status();
  ASSERT_EQ(Query(*url, "CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (7)"), "");
  ASSERT_TRUE((*server)->Stop().ok());
  EXPECT_EQ(Query(*url, "SELECT id FROM t").rfind("ERROR", 0), 0u);
  ASSERT_TRUE((*server)->Restart().ok());
  EXPECT_EQ(Query(*url, "SELECT id FROM t"), "7");
}

}  // namespace
}  // namespace etnik::test
