// Storage benchmark: booking inserts with the overlap check at N concurrent writers, written
// directly against libsqlite3 / libpq beside the same work through common/db (Database +
// ReservationTable), for SQLite and PostgreSQL, in one run on one machine.
//
// Both paths run the same SQL on the same schema (created by ReservationTable's migration) with
// the same transaction design: SQLite serialises writers in the process and uses BEGIN IMMEDIATE;
// PostgreSQL runs SERIALIZABLE transactions, inserts with ON CONFLICT ON CONSTRAINT ... DO
// NOTHING against the exclusion constraint, and retries serialization failures. The raw path
// prepares its statements once per connection, which is the fastest way to use either API.
//
// Each writer books its own expert, one 45-minute slot per hour; every tenth attempt asks for an
// overlapping slot and must be refused, so the conflict path is measured too. Bounded by
// --ops per writer and --seconds per run; each of --repeat rounds runs both paths on an emptied
// table, alternating which goes first; the median rate of each path is reported.
//
//   storage_bench [--writers=8] [--ops=1500] [--seconds=5] [--repeat=3] [--engines=sqlite,postgres]
// PostgreSQL: ETNIK_TEST_POSTGRES_URL, or a private server started like the tests do.

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/substitute.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/db/database.h"
#include "common/db/database_url.h"
#include "common/db/db_errors.h"
#include "common/db/migrations.h"
#include "common/db/reservations.h"
#include "common/db/time_micros.h"
#include "common/testing/postgres_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "common/status/errors.h"

ABSL_FLAG(int, writers, 8, "concurrent writers");
ABSL_FLAG(int, ops, 1500, "booking attempts per writer and run");
ABSL_FLAG(double, seconds, 5, "time bound per run");
ABSL_FLAG(int, repeat, 3, "rounds, each running both paths (first path alternating); medians compared");
ABSL_FLAG(std::string, engines, "sqlite,postgres", "engines to measure");
ABSL_FLAG(bool, raw, true, "measure the raw path (turn off to profile the layer alone)");
ABSL_FLAG(bool, layer, true, "measure the common/db path (turn off to profile raw alone)");

namespace etnik::bench {
namespace {

constexpr char kTable[] = "bookings";

// The SQL of common/db/reservations.cc, for table "bookings".
constexpr char kOverlapSql[] =
    "SELECT id, holder, start_us, end_us FROM bookings"
    " WHERE resource = :resource AND start_us < :end AND end_us > :start"
    " AND start_us >= COALESCE((SELECT p.start_us FROM bookings p"
    " WHERE p.resource = :resource2 AND p.start_us < :start2"
    " ORDER BY p.start_us DESC LIMIT 1), :start3)"
    " ORDER BY start_us LIMIT 1";
constexpr char kSqliteInsert[] =
    "INSERT INTO bookings (resource, holder, start_us, end_us)"
    " VALUES (:resource, :holder, :start, :end) RETURNING id";
constexpr char kPgOverlapSql[] =
    "SELECT id, holder, start_us, end_us FROM bookings"
    " WHERE resource = $1 AND start_us < $2 AND end_us > $3"
    " AND start_us >= COALESCE((SELECT p.start_us FROM bookings p"
    " WHERE p.resource = $4 AND p.start_us < $5"
    " ORDER BY p.start_us DESC LIMIT 1), $6)"
    " ORDER BY start_us LIMIT 1";
constexpr char kPgInsert[] =
    "INSERT INTO bookings (resource, holder, start_us, end_us) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT ON CONSTRAINT bookings_no_overlap DO NOTHING RETURNING id";

const absl::Time kBase = absl::FromUnixSeconds(1620813600);  // 12 May 2021 10:00 UTC

// Attempt i of writer w: a fresh slot, or (every tenth) one overlapping the previous slot.
struct Attempt {
  std::string resource;
  int64_t start_us, end_us;
  bool expect_conflict;
};
Attempt MakeAttempt(int writer, int i) {
  bool conflict = i % 10 == 9;
  int slot = i - i / 10;  // slots used so far by successful attempts
  absl::Time start = conflict ? kBase + absl::Hours(slot - 1) + absl::Minutes(30)
                              : kBase + absl::Hours(slot);
  return {absl::StrCat("expert/", writer), db::TimeToMicros(start),
          db::TimeToMicros(start + absl::Minutes(45)), conflict};
}

struct Counters {
  std::atomic<int64_t> ok{0}, conflicts{0}, retries{0}, errors{0};
};

// Outcome of one attempt on any path.
enum class Outcome { kBooked, kConflict, kError };

struct RunResult {
  int64_t attempts = 0, ok = 0, conflicts = 0, retries = 0, errors = 0;
  double seconds = 0;
  double rate() const { return seconds > 0 ? attempts / seconds : 0; }
};

// Runs `writers` threads, each calling attempt(writer, i) until --ops or --seconds.
RunResult RunWriters(int writers, const std::function<std::function<Outcome(const Attempt&)>(int)>& make) {
  const int ops = absl::GetFlag(FLAGS_ops);
  const absl::Duration bound = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::vector<std::function<Outcome(const Attempt&)>> fns;
  for (int w = 0; w < writers; ++w) fns.push_back(make(w));
  Counters c;
  std::atomic<int64_t> attempts{0};
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + bound;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < ops && absl::Now() < deadline; ++i) {
        Attempt a = MakeAttempt(w, i);
        Outcome o = fns[w](a);
        ++attempts;
        if (o == Outcome::kBooked && !a.expect_conflict) {
          ++c.ok;
        } else if (o == Outcome::kConflict && a.expect_conflict) {
          ++c.conflicts;
        } else {
          ++c.errors;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  RunResult r;
  r.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  r.attempts = attempts;
  r.ok = c.ok;
  r.conflicts = c.conflicts;
  r.errors = c.errors;
  return r;
}

// ---- raw SQLite ------------------------------------------------------------------------------

class RawSqliteWriter {
 public:
  RawSqliteWriter(const std::string& path, std::mutex* writer_mu) : writer_mu_(writer_mu) {
    sqlite3_open(path.c_str(), &db_);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_exec(db_, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;", nullptr, nullptr,
                 nullptr);
    sqlite3_prepare_v2(db_, "BEGIN IMMEDIATE", -1, &begin_, nullptr);
    sqlite3_prepare_v2(db_, "COMMIT", -1, &commit_, nullptr);
    sqlite3_prepare_v2(db_, "ROLLBACK", -1, &rollback_, nullptr);
    sqlite3_prepare_v2(db_, kOverlapSql, -1, &check_, nullptr);
    sqlite3_prepare_v2(db_, kSqliteInsert, -1, &insert_, nullptr);
  }
  ~RawSqliteWriter() {
    for (sqlite3_stmt* s : {begin_, commit_, rollback_, check_, insert_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }

  Outcome Reserve(const Attempt& a, const std::string& holder) {
    std::lock_guard<std::mutex> lock(*writer_mu_);
    if (Step(begin_) != SQLITE_DONE) return Outcome::kError;
    sqlite3_bind_text(check_, 1, a.resource.data(), static_cast<int>(a.resource.size()), SQLITE_STATIC);
    sqlite3_bind_int64(check_, 2, a.end_us);
    sqlite3_bind_int64(check_, 3, a.start_us);
    sqlite3_bind_text(check_, 4, a.resource.data(), static_cast<int>(a.resource.size()), SQLITE_STATIC);
    sqlite3_bind_int64(check_, 5, a.start_us);
    sqlite3_bind_int64(check_, 6, a.start_us);
    int rc = Step(check_);
    if (rc == SQLITE_ROW) {
      std::string other = reinterpret_cast<const char*>(sqlite3_column_text(check_, 1));
      sqlite3_reset(check_);
      Step(rollback_);
      return other.empty() ? Outcome::kError : Outcome::kConflict;
    }
    sqlite3_bind_text(insert_, 1, a.resource.data(), static_cast<int>(a.resource.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert_, 2, holder.data(), static_cast<int>(holder.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert_, 3, a.start_us);
    sqlite3_bind_int64(insert_, 4, a.end_us);
    rc = Step(insert_);
    if (rc != SQLITE_ROW) {
      Step(rollback_);
      return Outcome::kError;
    }
    sqlite3_reset(insert_);  // a statement still stepping would keep COMMIT from finishing
    return Step(commit_) == SQLITE_DONE ? Outcome::kBooked : Outcome::kError;
  }

 private:
  static int Step(sqlite3_stmt* s) {
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) sqlite3_reset(s);
    return rc;
  }
  std::mutex* writer_mu_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt *begin_ = nullptr, *commit_ = nullptr, *rollback_ = nullptr, *check_ = nullptr,
               *insert_ = nullptr;
};

// ---- raw PostgreSQL --------------------------------------------------------------------------

class RawPostgresWriter {
 public:
  explicit RawPostgresWriter(const std::string& conninfo) {
    conn_ = PQconnectdb(conninfo.c_str());
    PQclear(PQprepare(conn_, "check", kPgOverlapSql, 6, nullptr));
    PQclear(PQprepare(conn_, "insert", kPgInsert, 4, nullptr));
  }
  ~RawPostgresWriter() { PQfinish(conn_); }
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }

  Outcome Reserve(const Attempt& a, const std::string& holder, std::atomic<int64_t>* retries) {
    for (int attempt = 1; attempt <= 12; ++attempt) {
      std::string sqlstate;
      Outcome o = Once(a, holder, &sqlstate);
      if (sqlstate != "40001" && sqlstate != "40P01") return o;
      ++*retries;
      absl::SleepFor(absl::Microseconds(500 << std::min(attempt, 7)));
    }
    return Outcome::kError;
  }

 private:
  Outcome Once(const Attempt& a, const std::string& holder, std::string* sqlstate) {
    if (!Exec("BEGIN ISOLATION LEVEL SERIALIZABLE", sqlstate)) return Outcome::kError;
    std::string start = absl::StrCat(a.start_us), end = absl::StrCat(a.end_us);
    const char* ins[] = {a.resource.c_str(), holder.c_str(), start.c_str(), end.c_str()};
    PGresult* r = PQexecPrepared(conn_, "insert", 4, ins, nullptr, nullptr, 0);
    Outcome outcome = Outcome::kError;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
      outcome = Outcome::kBooked;
    } else if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      const char* chk[] = {a.resource.c_str(), end.c_str(), start.c_str(),
                           a.resource.c_str(), start.c_str(), start.c_str()};
      PGresult* c = PQexecPrepared(conn_, "check", 6, chk, nullptr, nullptr, 0);
      if (PQresultStatus(c) == PGRES_TUPLES_OK && PQntuples(c) == 1) outcome = Outcome::kConflict;
      else if (const char* s = PQresultErrorField(c, PG_DIAG_SQLSTATE)) *sqlstate = s;
      PQclear(c);
    } else if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) {
      *sqlstate = s;
    }
    PQclear(r);
    if (outcome == Outcome::kBooked) {
      if (!Exec("COMMIT", sqlstate)) outcome = Outcome::kError;
    } else {
      Exec("ROLLBACK", nullptr);
    }
    return outcome;
  }

  bool Exec(const char* sql, std::string* sqlstate) {
    PGresult* r = PQexec(conn_, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok && sqlstate != nullptr) {
      if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) *sqlstate = s;
    }
    PQclear(r);
    return ok;
  }

  PGconn* conn_ = nullptr;
};

// ---- the engines -------------------------------------------------------------------------------

std::string Fmt(double v) { return absl::StrFormat("%.0f", v); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run() {
  const int writers = absl::GetFlag(FLAGS_writers);
  const int repeat = std::max(1, absl::GetFlag(FLAGS_repeat));
  std::vector<std::string> engines = absl::StrSplit(absl::GetFlag(FLAGS_engines), ',');
  std::printf("| engine | path | writers | attempts | booked | refused | retries | errors | seconds | attempts/s |\n");
  std::printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::vector<std::string> summary;
  for (const std::string& engine : engines) {
    std::unique_ptr<test::TempSqliteDatabase> sqlite;
    std::string url;
    if (engine == "sqlite") {
      auto temp = test::TempSqliteDatabase::Create();
      if (!temp.ok()) return std::fprintf(stderr, "%s\n", temp.status().ToString().c_str()), 1;
      sqlite = std::move(*temp);
      url = sqlite->url();
    } else {
      auto server = test::PostgresServer::Shared();
      if (!server.ok()) return std::fprintf(stderr, "%s\n", server.status().ToString().c_str()), 1;
      auto created = (*server)->CreateDatabase();
      if (!created.ok()) return std::fprintf(stderr, "%s\n", created.status().ToString().c_str()), 1;
      url = *created;
    }
    db::DatabaseOptions options;
    options.pool_size = writers;
    auto opened = db::Database::Open(url, options);
    if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.status().ToString().c_str()), 1;
    std::unique_ptr<db::Database> database = std::move(*opened);
    db::ReservationTable table(kTable);
    auto version = db::ApplyMigrations(*database, {table.CreateMigration(1)});
    if (!version.ok()) return std::fprintf(stderr, "%s\n", version.status().ToString().c_str()), 1;
    // Every run starts from an empty table (TRUNCATE on PostgreSQL also drops dead tuples).
    auto clean = [&] {
      database->InTransaction(db::TxMode::kWrite, [&](soci::session& session) {
        return db::ExecScript(session, engine == "sqlite" ? "DELETE FROM bookings"
                                                           : "TRUNCATE bookings");
      }).IgnoreError();
    };

    auto run_raw = [&]() -> RunResult {
      std::atomic<int64_t> retries{0};
      RunResult r;
      if (engine == "sqlite") {
        std::mutex writer_mu;
        std::vector<std::unique_ptr<RawSqliteWriter>> conns;
        for (int w = 0; w < writers; ++w) {
          conns.push_back(std::make_unique<RawSqliteWriter>(sqlite->path(), &writer_mu));
        }
        r = RunWriters(writers, [&](int w) {
          std::string holder = absl::StrCat("raw-", w);
          return [&conns, w, holder](const Attempt& a) { return conns[w]->Reserve(a, holder); };
        });
      } else {
        auto parsed = db::ParseDatabaseUrl(url);
        std::vector<std::unique_ptr<RawPostgresWriter>> conns;
        for (int w = 0; w < writers; ++w) {
          conns.push_back(std::make_unique<RawPostgresWriter>(parsed->target));
        }
        r = RunWriters(writers, [&](int w) {
          std::string holder = absl::StrCat("raw-", w);
          return [&conns, &retries, w, holder](const Attempt& a) {
            return conns[w]->Reserve(a, holder, &retries);
          };
        });
      }
      r.retries = retries;
      return r;
    };
    auto run_layer = [&]() -> RunResult {
      const int64_t retries_before = database->stats().retries;
      RunResult r = RunWriters(writers, [&](int w) {
        std::string holder = absl::StrCat("layer-", w);
        return [&database, &table, holder](const Attempt& a) {
          absl::Status s = database->InTransaction(db::TxMode::kWrite, [&](soci::session& session) {
            return table.Reserve(session, {a.resource, db::MicrosToTime(a.start_us),
                                           db::MicrosToTime(a.end_us), holder}).status();
          });
          if (s.ok()) return Outcome::kBooked;
          std::optional<ErrorInfo> info = GetErrorInfo(s);
          return info && info->reason == db::kReasonResourceConflict ? Outcome::kConflict
                                                                     : Outcome::kError;
        };
      });
      r.retries = database->stats().retries - retries_before;
      return r;
    };

    std::vector<double> raw_rates, layer_rates;
    for (int rep = 0; rep < repeat; ++rep) {
      // Alternate which path goes first, so neither always inherits the other's leftovers.
      for (int k = 0; k < 2; ++k) {
        const int path = (k + rep) % 2;
        if (!(path == 0 ? absl::GetFlag(FLAGS_raw) : absl::GetFlag(FLAGS_layer))) continue;
        clean();
        RunResult r = path == 0 ? run_raw() : run_layer();
        (path == 0 ? raw_rates : layer_rates).push_back(r.rate());
        std::printf("| %s | %s | %d | %lld | %lld | %lld | %lld | %lld | %.2f | %s |\n",
                    engine.c_str(), path == 0 ? "raw" : "common/db", writers,
                    static_cast<long long>(r.attempts), static_cast<long long>(r.ok),
                    static_cast<long long>(r.conflicts), static_cast<long long>(r.retries),
                    static_cast<long long>(r.errors), r.seconds, Fmt(r.rate()).c_str());
        std::fflush(stdout);
      }
    }
    if (raw_rates.empty() || layer_rates.empty()) continue;
    const double raw = Median(raw_rates), layer = Median(layer_rates);
    summary.push_back(absl::StrFormat("| %s | %d | %s | %s | %.2fx |", engine, writers, Fmt(raw),
                                      Fmt(layer), layer / raw));
    database.reset();
    if (engine != "sqlite") {
      auto server = test::PostgresServer::Shared();
      if (server.ok()) (*server)->DropDatabase(url).IgnoreError();
    }
  }
  std::printf("\n| engine | writers | raw attempts/s (median) | common/db attempts/s (median) | ratio (target >= 0.8x) |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  for (const std::string& line : summary) std::printf("%s\n", line.c_str());
  return 0;
}

}  // namespace
}  // namespace etnik::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return etnik::bench::Run();
}
