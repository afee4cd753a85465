#ifndef ETNIK_COMMON_TESTING_POSTGRES_SERVER_H_
#define ETNIK_COMMON_TESTING_POSTGRES_SERVER_H_

// A real PostgreSQL for tests and benchmarks.
//
// If ETNIK_TEST_POSTGRES_URL is set (e.g. by scripts/postgres.sh in CI), it names an existing
// server: a URL whose user may CREATE DATABASE, such as postgresql://postgres@127.0.0.1:5432/postgres.
// Otherwise a private PostgreSQL 15 is started on first use, from a cached initdb template, on a
// free loopback port with its socket and data in a temporary directory, fsync off; it runs as the
// `postgres` system user when the test runs as root (PostgreSQL refuses root), and it is stopped
// and removed when the process exits. Every test gets its own database, so tests never interfere.

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace etnik::test {

class PostgresServer {
 public:
  // The server shared by this process (see above). Thread-safe; the first call may take about a
  // second (initdb once per machine, then about 0.2 s per process).
  static absl::StatusOr<PostgresServer*> Shared();

  // A private server owned by the caller, for tests that stop or restart it.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> StartPrivate();

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A superuser URL on the maintenance database.
  const std::string& admin_url() const { return admin_url_; }

  // Creates an empty database with a unique name and returns its URL
  // (postgresql://user@host:port/name).
  absl::StatusOr<std::string> CreateDatabase();

  // Drops a database made by CreateDatabase, ending its open connections first.
  absl::Status DropDatabase(absl::string_view url);

  // Fault tests on a private server: stop it (fast shutdown) and start it again on the same port
  // with the same data. FAILED_PRECONDITION on an external server.
  absl::Status Stop();
  absl::Status Restart();

 private:
  PostgresServer() = default;
  absl::Status Launch();

  bool external_ = false;
  std::string admin_url_;
  std::string bin_dir_;
  std::string dir_;  // private server: temp dir holding data/, the socket and postgres.log
  int port_ = 0;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool switch_user_ = false;
  pid_t pid_ = -1;
  pid_t owner_pid_ = -1;  // forked children must not stop the parent's server
  absl::Mutex mu_;
};

// A fresh database on the shared server, dropped when this object goes.
class TempPostgresDatabase {
 public:
  static absl::StatusOr<std::unique_ptr<TempPostgresDatabase>> Create();
  ~TempPostgresDatabase();

  const std::string& url() const { return url_; }

 private:
  TempPostgresDatabase(PostgresServer* server, std::string url)
      : server_(server), url_(std::move(url)) {}
  PostgresServer* server_;
  std::string url_;
};

}  // namespace etnik::test

#endif  // ETNIK_COMMON_TESTING_POSTGRES_SERVER_H_
