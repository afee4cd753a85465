// Booking latency beside the size of the calendar: the conflict checks must not grow with it.
//
// For each calendar size (default 1 000 and 1 000 000 existing sessions) a fresh database is
// filled in bulk (sessions, their host index and the experts' reservations, spread over 100
// experts, one hour every three hours each), then --bookings sessions are booked through the
// use case (Scheduler::BookSession: every rule, the reservations and the outbox, one write
// transaction each) into free gaps of the same experts, so every overlap check runs next to
// existing reservations. Reports p50/p90/p99 latency per size and the p50 ratio.
//
//   booking_bench [--sizes=1000,1000000] [--bookings=1000] [--engine=sqlite|postgres]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/db/time_micros.h"
#include "common/testing/postgres_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "services/scheduling/domain/scheduler.h"
#include "services/scheduling/store/sql_store.h"
#include "soci/soci.h"

ABSL_FLAG(std::string, sizes, "1000,1000000", "existing sessions per run, comma-separated");
ABSL_FLAG(int, bookings, 1000, "bookings measured per size (at most one per free gap)");
ABSL_FLAG(std::string, engine, "sqlite", "sqlite or postgres");

namespace {

using etnik::scheduling::Actor;
using etnik::scheduling::BookSessionCommand;
using etnik::scheduling::Event;
using etnik::scheduling::EventKind;
using etnik::scheduling::ExpertProfile;
using etnik::scheduling::Scheduler;
using etnik::scheduling::SchedulerOptions;
using etnik::scheduling::StageWindow;

constexpr int kExperts = 100;
constexpr absl::Duration kSlot = absl::Hours(3);
constexpr absl::Duration kBuffer = absl::Minutes(15);
const absl::Time kBase = absl::FromUnixSeconds(1577836800);  // 2020-01-01 UTC

std::string LoadAverage() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (f == nullptr) return "?";
  double a = 0;
  const int n = std::fscanf(f, "%lf", &a);
  std::fclose(f);
  return n == 1 ? absl::StrFormat("%.2f", a) : "?";
}

// Bulk rows: sessions, host index and reservations, in batches through SOCI vector binds.
absl::Status Fill(etnik::db::Database& db, long long count) {
  constexpr long long kBatch = 20000;
  for (long long from = 0; from < count; from += kBatch) {
    const long long to = std::min(count, from + kBatch);
    std::vector<std::string> names, ids, hosts;
    std::vector<long long> starts, ends, held_until;
    for (long long i = from; i < to; ++i) {
      const absl::Time start = kBase + kSlot * (i / kExperts);
      ids.push_back(absl::StrCat("s", i));
      names.push_back(absl::StrCat("events/bulk/sessions/s", i));
      hosts.push_back(absl::StrCat("experts/e", i % kExperts));
      starts.push_back(etnik::db::TimeToMicros(start));
      ends.push_back(etnik::db::TimeToMicros(start + absl::Hours(1)));
      held_until.push_back(etnik::db::TimeToMicros(start + absl::Hours(1) + kBuffer));
    }
    absl::Status s = db.InTransaction(etnik::db::TxMode::kWrite, [&](soci::session& sql) {
      sql << "INSERT INTO sched_sessions (name, event_id, session_id, programme, stage, event_kind,"
             " hub, title_ru, title_en, description_ru, description_en, start_us, end_us, time_zone,"
             " hosts, room, online_join_uri, online_platform, online_access_code, capacity, track,"
             " state, cancel_reason, sequence, registered_count, waitlisted_count, checked_in_count,"
             " attendee_seq, booked_by, create_us, update_us, version) VALUES (:name, 'bulk', :id,"
             " 'programmes/p', 'programmes/p/stages/s', 2, 'hubs/h', 'Сессия', '', '', '', :start,"
             " :end, 'UTC', :host, '', 'https://meet.example/x', '', '', 0, '', 1, '', 0, 0, 0, 0,"
             " 0, 'bench', 0, 0, 1)",
          soci::use(names), soci::use(ids), soci::use(starts), soci::use(ends), soci::use(hosts);
      sql << "INSERT INTO sched_session_hosts (session_name, expert, start_us, end_us, active)"
             " VALUES (:name, :host, :start, :end, 1)",
          soci::use(names), soci::use(hosts), soci::use(starts), soci::use(ends);
      sql << "INSERT INTO sched_reservations (resource, holder, start_us, end_us)"
             " VALUES (:host, :name, :start, :end)",
          soci::use(hosts), soci::use(names), soci::use(starts), soci::use(held_until);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

struct Result {
  long long size = 0;
  double fill_seconds = 0;
  double p50 = 0, p90 = 0, p99 = 0, mean = 0;
};

absl::StatusOr<Result> Run(long long size, int bookings, bool postgres) {
  std::unique_ptr<etnik::test::TempSqliteDatabase> sqlite;
  std::unique_ptr<etnik::test::TempPostgresDatabase> pg;
  std::string url;
  if (postgres) {
    auto temp = etnik::test::TempPostgresDatabase::Create();
    if (!temp.ok()) return temp.status();
    pg = std::move(*temp);
    url = pg->url();
  } else {
    auto temp = etnik::test::TempSqliteDatabase::Create();
    if (!temp.ok()) return temp.status();
    sqlite = std::move(*temp);
    url = sqlite->url();
  }
  etnik::FakeClock clock(kBase);
  etnik::db::DatabaseOptions options;
  options.clock = &clock;
  auto db = etnik::db::Database::Open(url, options);
  if (!db.ok()) return db.status();
  if (auto v = etnik::scheduling::store::SqlSchedulingStore::Migrate(**db); !v.ok()) return v.status();
  etnik::scheduling::store::SqlSchedulingStore store(**db, clock);
  SchedulerOptions so;
  so.policy.expert_buffer = kBuffer;
  Scheduler scheduler(store, clock, so);

  StageWindow stage;
  stage.stage = "programmes/p/stages/s";
  stage.programme = "programmes/p";
  stage.window = {kBase, kBase + absl::Hours(24 * 365 * 20)};
  stage.time_zone = "UTC";
  if (absl::Status s = scheduler.ApplyStage(stage); !s.ok()) return s;
  for (int e = 0; e < kExperts; ++e) {
    ExpertProfile p;
    p.expert = absl::StrCat("experts/e", e);
    p.time_zone = "UTC";
    for (int d = 0; d < 7; ++d) p.weekly.push_back({static_cast<absl::Weekday>(d), 0, 24 * 60});
    if (absl::Status s = scheduler.ApplyExpert(p); !s.ok()) return s;
  }
  Actor organiser;
  organiser.anonymous = false;
  organiser.subject = "bench";
  organiser.organiser = true;
  Event event;
  event.programme = "programmes/p";
  event.stage = stage.stage;
  event.kind = EventKind::kMasterClass;
  event.title.ru = "Мастер-классы";
  event.hub = "hubs/h";
  event.time_zone = "UTC";
  if (auto e = scheduler.CreateEvent(organiser, event, "bulk", ""); !e.ok()) return e.status();

  Result result;
  result.size = size;
  const auto fill_start = std::chrono::steady_clock::now();
  if (absl::Status s = Fill(**db, size); !s.ok()) return s;
  result.fill_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count();

  // Free gaps next to existing reservations: [slot + 1h30, slot + 2h30) of the same experts.
  std::mt19937_64 rng(42);
  const long long slots = std::max<long long>(1, size / kExperts);
  std::set<std::pair<int, long long>> used;
  bookings = static_cast<int>(std::min<long long>(bookings, kExperts * slots));
  std::vector<double> micros;
  for (int i = 0; i < bookings; ++i) {
    std::pair<int, long long> pick;
    do {
      pick = {static_cast<int>(rng() % kExperts), static_cast<long long>(rng() % slots)};
    } while (!used.insert(pick).second);
    BookSessionCommand c;
    c.event_id = "bulk";
    c.session.start = kBase + kSlot * pick.second + absl::Minutes(90);
    c.session.end = c.session.start + absl::Hours(1);
    c.session.time_zone = "UTC";
    c.session.hosts = {absl::StrCat("experts/e", pick.first)};
    c.session.online_room.join_uri = "https://meet.example/bench";
    c.request_id = absl::StrCat("bench-", i);
    const auto t0 = std::chrono::steady_clock::now();
    absl::StatusOr<etnik::scheduling::Session> booked = scheduler.BookSession(organiser, c);
    const auto t1 = std::chrono::steady_clock::now();
    if (!booked.ok()) return booked.status();
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::sort(micros.begin(), micros.end());
  auto pct = [&](double p) { return micros[std::min(micros.size() - 1, static_cast<size_t>(p * micros.size()))]; };
  result.p50 = pct(0.5);
  result.p90 = pct(0.9);
  result.p99 = pct(0.99);
  double sum = 0;
  for (double m : micros) sum += m;
  result.mean = sum / micros.size();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const bool postgres = absl::GetFlag(FLAGS_engine) == "postgres";
  std::vector<Result> results;
  std::printf("booking_bench: engine %s, %d bookings per size, load %s\n",
              postgres ? "postgres" : "sqlite", absl::GetFlag(FLAGS_bookings), LoadAverage().c_str());
  std::printf("| existing sessions | fill s | p50 us | p90 us | p99 us | mean us | load |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|\n");
  for (absl::string_view size_text : absl::StrSplit(absl::GetFlag(FLAGS_sizes), ',')) {
    long long size = 0;
    if (!absl::SimpleAtoi(size_text, &size)) {
      std::fprintf(stderr, "bad size %s\n", std::string(size_text).c_str());
      return 2;
    }
    absl::StatusOr<Result> r = Run(size, absl::GetFlag(FLAGS_bookings), postgres);
    if (!r.ok()) {
      std::fprintf(stderr, "size %lld: %s\n", size, r.status().ToString().c_str());
      return 1;
    }
    std::printf("| %lld | %.1f | %.0f | %.0f | %.0f | %.0f | %s |\n", r->size, r->fill_seconds,
                r->p50, r->p90, r->p99, r->mean, LoadAverage().c_str());
    std::fflush(stdout);
    results.push_back(*r);
  }
  if (results.size() >= 2) {
    std::printf("p50 ratio largest/smallest: %.2f (target <= 1.2)\n",
                results.back().p50 / results.front().p50);
  }
  return 0;
}
