// ListSessions answered from the Redis cache beside an empty gRPC call (grpc.health.v1 Check),
// in one run, on one in-process server: the cost of a cached listing over the bare RPC.
// A private redis-server, a SQLite store with --sessions sessions, 1 and 8 client threads;
// phases alternate for --rounds rounds and the median round of each is reported, as calls per
// second and as CPU per call (this process plus the redis-server), which depends much less on
// other load. With --near_cache (the service's default) a hit is answered from process memory
// (common/redis/near_cache.h) and makes no Redis call; --near_cache=false measures the Redis
// read per hit as before.
//
//   listing_bench [--sessions=200] [--page_size=50] [--rounds=7] [--seconds_per_phase=1]
//                 [--near_cache=true]

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_format.h"
#include "common/auth/authenticator.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/redis/cache.h"
#include "common/redis/redis_pool.h"
#include "common/server/server_runner.h"
#include "common/testing/redis_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/impl/rpc_method.h"
#include "prometheus/registry.h"
#include "services/scheduling/api/scheduling_api.h"
#include "services/scheduling/store/sql_store.h"

ABSL_FLAG(int, sessions, 200, "sessions in the store");
ABSL_FLAG(int, page_size, 50, "sessions per listed page");
ABSL_FLAG(int, rounds, 7, "rounds of both phases; the median is reported");
ABSL_FLAG(double, seconds_per_phase, 1.0, "length of each phase");
ABSL_FLAG(bool, near_cache, true, "keep cached listings in process memory too");

namespace {

namespace pb = etnik::scheduling::v1;
using Steady = std::chrono::steady_clock;

// The counter `name` with label result=`result` (summed), for the near cache's report.
double Counter(prometheus::Registry& registry, const std::string& name, const std::string& result) {
  double sum = 0;
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& m : family.metric) {
      for (const auto& l : m.label) {
        if (l.name == "result" && l.value == result) sum += m.counter.value;
      }
    }
  }
  return sum;
}

std::string LoadAverage() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (f == nullptr) return "?";
  double a = 0;
  const int n = std::fscanf(f, "%lf", &a);
  std::fclose(f);
  return n == 1 ? absl::StrFormat("%.2f", a) : "?";
}

// CPU seconds used so far by this process (client and server) and by the redis-server `pid`.
// Unlike calls per second, CPU per call barely depends on what else runs on the machine.
double CpuSeconds(long redis_pid) {
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  double s = self.ru_utime.tv_sec + self.ru_utime.tv_usec / 1e6 + self.ru_stime.tv_sec +
             self.ru_stime.tv_usec / 1e6;
  std::FILE* f = std::fopen(absl::StrCat("/proc/", redis_pid, "/stat").c_str(), "r");
  if (f != nullptr) {
    char buf[1024] = {};
    const size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
    std::fclose(f);
    // Fields after the command name (which ends with ')'): utime and stime are 12th and 13th.
    const char* rest = std::strrchr(buf, ')');
    std::vector<absl::string_view> fields =
        absl::StrSplit(absl::string_view(rest != nullptr ? rest + 2 : buf, n), ' ');
    double ticks = 0, t = 0;
    if (fields.size() > 13 && absl::SimpleAtod(fields[11], &t)) ticks += t;
    if (fields.size() > 13 && absl::SimpleAtod(fields[12], &t)) ticks += t;
    s += ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return s;
}

struct PhaseRate {
  double calls_per_s = -1;
  double cpu_us_per_call = 0;
};

// Calls per second of `call` from `threads` threads for `seconds` (-1 if any call failed), and
// the CPU (this process and Redis) per call.
template <typename Call>
PhaseRate Rate(int threads, double seconds, long redis_pid, const Call& call) {
  const double cpu_start = CpuSeconds(redis_pid);
  std::atomic<long> ops{0};
  std::atomic<bool> failed{false};
  const auto stop = Steady::now() + std::chrono::duration<double>(seconds);
  const auto start = Steady::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      long n = 0;
      while (Steady::now() < stop) {
        if (!call()) failed = true;
        ++n;
      }
      ops += n;
    });
  }
  for (std::thread& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Steady::now() - start).count();
  PhaseRate r;
  r.calls_per_s = failed ? -1 : ops / elapsed;
  r.cpu_us_per_call = ops > 0 ? (CpuSeconds(redis_pid) - cpu_start) * 1e6 / ops : 0;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace etnik;
  FakeClock clock(absl::FromUnixSeconds(1622505600));  // 2021-06-01 UTC
  auto temp = test::TempSqliteDatabase::Create();
  auto redis_server = test::RedisServer::Launch();
  if (!temp.ok() || !redis_server.ok()) {
    std::fprintf(stderr, "cannot start the store or redis\n");
    return 1;
  }
  db::DatabaseOptions dbo;
  dbo.clock = &clock;
  auto db = db::Database::Open((*temp)->url(), dbo);
  if (!db.ok() || !scheduling::store::SqlSchedulingStore::Migrate(**db).ok()) return 1;
  scheduling::store::SqlSchedulingStore store(**db, clock);
  scheduling::Scheduler scheduler(store, clock);

  scheduling::StageWindow stage;
  stage.stage = "programmes/p/stages/s";
  stage.programme = "programmes/p";
  stage.window = {clock.Now(), clock.Now() + absl::Hours(24 * 365)};
  stage.time_zone = "Europe/Moscow";
  scheduling::Actor organiser;
  organiser.anonymous = false;
  organiser.subject = "bench";
  organiser.organiser = true;
  scheduling::Event event;
  event.programme = "programmes/p";
  event.stage = stage.stage;
  event.kind = scheduling::EventKind::kWebinar;
  event.title.ru = "Вебинары";
  event.hub = "hubs/h";
  event.time_zone = "Europe/Moscow";
  if (!scheduler.ApplyStage(stage).ok() || !scheduler.CreateEvent(organiser, event, "w", "").ok()) return 1;
  for (int e = 0; e < 10; ++e) {
    scheduling::ExpertProfile p;
    p.expert = absl::StrCat("experts/e", e);
    p.time_zone = "Europe/Moscow";
    for (int d = 0; d < 7; ++d) p.weekly.push_back({static_cast<absl::Weekday>(d), 0, 24 * 60});
    if (!scheduler.ApplyExpert(p).ok()) return 1;
  }
  for (int i = 0; i < absl::GetFlag(FLAGS_sessions); ++i) {
    scheduling::BookSessionCommand c;
    c.event_id = "w";
    c.session.start = clock.Now() + absl::Hours(2) * (i / 10) + absl::Hours(1);
    c.session.end = c.session.start + absl::Hours(1);
    c.session.time_zone = "Europe/Moscow";
    c.session.hosts = {absl::StrCat("experts/e", i % 10)};
    c.session.online_room.join_uri = "https://meet.example/w";
    c.session.title.ru = "Вебинар о ресурсах некоммерческих организаций";
    if (!scheduler.BookSession(organiser, c).ok()) return 1;
  }

  prometheus::Registry registry;
  redis::RedisOptions ro;
  ro.port = (*redis_server)->port();
  redis::RedisPool pool(ro, SystemClock::Get(), registry);
  redis::Cache cache(pool, {"scheduling", "schedule"}, registry);
  auth::JwtConfig jwt;
  jwt.hs256_secret = "bench-secret-bench-secret-bench-secret!";
  auto authenticator = auth::Authenticator::Create(jwt, clock);
  if (!authenticator.ok()) return 1;
  scheduling::SchedulingApiOptions api_options;
  api_options.near_cache.enabled = absl::GetFlag(FLAGS_near_cache);
  scheduling::SchedulingApi api(scheduler, *authenticator, &cache, &registry, api_options);
  server::ServerOptions so;
  so.name = "scheduling";
  so.metrics_address = "";
  server::ServerRunner runner(so);
  runner.AddService(&api, pb::SchedulingService::service_full_name());
  if (!runner.Start().ok()) return 1;
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", runner.grpc_port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = pb::SchedulingService::NewStub(channel);
  auto health = grpc::health::v1::Health::NewStub(channel);

  pb::ListSessionsRequest list;
  list.set_parent("events/-");
  list.set_programme("programmes/p");
  list.set_page_size(absl::GetFlag(FLAGS_page_size));
  auto list_call = [&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    pb::ListSessionsResponse resp;
    return stub->ListSessions(&ctx, list, &resp).ok() &&
           resp.sessions_size() == std::min(absl::GetFlag(FLAGS_page_size), absl::GetFlag(FLAGS_sessions));
  };
  // The same call with the response left as bytes: the server's and transport's share, without
  // the client's parse (which this in-process benchmark otherwise charges to the same cores).
  const grpc::internal::RpcMethod list_method("/etnik.scheduling.v1.SchedulingService/ListSessions",
                                              grpc::internal::RpcMethod::NORMAL_RPC);
  const std::string list_bytes = list.SerializeAsString();
  const size_t page_bytes = [&] {
    pb::ListSessionsResponse sample;
    grpc::ClientContext ctx;
    return stub->ListSessions(&ctx, list, &sample).ok() ? sample.ByteSizeLong() : 0;
  }();
  auto list_unparsed_call = [&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Slice slice(list_bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
               channel.get(), list_method, &ctx, request, &response)
               .ok() &&
           response.Length() == page_bytes;
  };
  grpc::health::v1::HealthCheckRequest check;
  auto empty_call = [&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::health::v1::HealthCheckResponse resp;
    return health->Check(&ctx, check, &resp).ok();
  };
  if (!list_call() || !empty_call() || !list_unparsed_call()) {
    std::fprintf(stderr, "warm-up calls failed\n");
    return 1;
  }
  // The near cache serves from memory only once subscribed to invalidations: wait for a hit.
  if (absl::GetFlag(FLAGS_near_cache)) {
    const auto deadline = Steady::now() + std::chrono::seconds(5);
    while (Counter(registry, "etnik_cache_near_requests_total", "hit") == 0) {
      if (Steady::now() > deadline || !list_call()) {
        std::fprintf(stderr, "the near cache never answered\n");
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  pb::ListSessionsResponse sample;
  {
    grpc::ClientContext ctx;
    stub->ListSessions(&ctx, list, &sample);
  }
  std::printf(
      "listing_bench: %d sessions, page of %d (%zu bytes), %d rounds of %.1f s, near cache %s, "
      "load %s\n",
      absl::GetFlag(FLAGS_sessions), absl::GetFlag(FLAGS_page_size), sample.ByteSizeLong(),
      absl::GetFlag(FLAGS_rounds), absl::GetFlag(FLAGS_seconds_per_phase),
      absl::GetFlag(FLAGS_near_cache) ? "on" : "off", LoadAverage().c_str());
  long redis_pid = 0;
  if (auto info = (*redis_server)->Execute({"INFO", "server"}); info.ok()) {
    for (absl::string_view line : absl::StrSplit(*info, '\n')) {
      if (absl::ConsumePrefix(&line, "process_id:")) {
        (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &redis_pid);
      }
    }
  }
  std::printf(
      "| threads | empty Check calls/s | cached ListSessions calls/s | ratio | Check CPU us/call |"
      " ListSessions CPU us/call | CPU ratio | unparsed calls/s ratio | unparsed CPU ratio |\n"
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  const double seconds = absl::GetFlag(FLAGS_seconds_per_phase);
  for (int threads : {1, 8}) {
    std::vector<double> empty, listed, empty_cpu, listed_cpu, raw, raw_cpu;
    for (int r = 0; r < absl::GetFlag(FLAGS_rounds); ++r) {
      PhaseRate a = Rate(threads, seconds, redis_pid, empty_call);
      PhaseRate b = Rate(threads, seconds, redis_pid, list_call);
      PhaseRate c = Rate(threads, seconds, redis_pid, list_unparsed_call);
      raw.push_back(c.calls_per_s);
      raw_cpu.push_back(c.cpu_us_per_call);
      empty.push_back(a.calls_per_s);
      listed.push_back(b.calls_per_s);
      empty_cpu.push_back(a.cpu_us_per_call);
      listed_cpu.push_back(b.cpu_us_per_call);
    }
    for (auto* v : {&empty, &listed, &empty_cpu, &listed_cpu, &raw, &raw_cpu}) {
      std::sort(v->begin(), v->end());
    }
    const double u = raw[raw.size() / 2], uc = raw_cpu[raw_cpu.size() / 2];
    const double e = empty[empty.size() / 2], l = listed[listed.size() / 2];
    const double ec = empty_cpu[empty_cpu.size() / 2], lc = listed_cpu[listed_cpu.size() / 2];
    if (e <= 0 || l <= 0 || u <= 0) {
      std::fprintf(stderr, "calls failed\n");
      return 1;
    }
    // CPU ratio: the throughput ratio the two calls would have if CPU were the only limit.
    std::printf("| %d | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.2f | %.2f |\n", threads, e, l,
                l / e, ec, lc, lc > 0 ? ec / lc : 0, u / e, uc > 0 ? ec / uc : 0);
    std::fflush(stdout);
  }
  std::printf("load after: %s\n", LoadAverage().c_str());
  std::printf("reads: near hit %.0f, near miss %.0f, near bypass %.0f; redis hit %.0f, miss %.0f\n",
              Counter(registry, "etnik_cache_near_requests_total", "hit"),
              Counter(registry, "etnik_cache_near_requests_total", "miss"),
              Counter(registry, "etnik_cache_near_requests_total", "bypass"),
              Counter(registry, "etnik_cache_requests_total", "hit"),
              Counter(registry, "etnik_cache_requests_total", "miss"));
  runner.Shutdown();
  return 0;
}
