// Raw Redis GET beside the Cache hit paths (GetOrLoad, and GetOrLoadScoped: one MGET of the
// scope token and the value), in one run on one machine: the same key, the
// same value size, 1 and 8 client threads. Each phase is bounded by an operation count and
// a time limit. Starts a private redis-server unless --redis_url is given.
//
//   cache_bench [--redis_url=redis://127.0.0.1:6379] [--value_bytes=512] [--rounds=7]
//               [--ops_per_thread=100000] [--seconds_per_phase=0.5]

#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "common/clock/clock.h"
#include "common/redis/cache.h"
#include "common/redis/redis_pool.h"
#include "common/testing/redis_server.h"
#include "prometheus/registry.h"

ABSL_FLAG(std::string, redis_url, "", "Redis to use; empty starts a private redis-server");
ABSL_FLAG(int, value_bytes, 512, "size of the cached value");
ABSL_FLAG(int, rounds, 7, "rounds of all phases; the median round is reported");
ABSL_FLAG(int, ops_per_thread, 100000, "at most this many GETs per thread per phase");
ABSL_FLAG(double, seconds_per_phase, 0.5, "at most this long per phase");

namespace {

using Clock = std::chrono::steady_clock;

// The first three fields of /proc/loadavg: other work on a shared machine skews the rates.
std::string LoadAverage() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (f == nullptr) return "?";
  double a = 0, b = 0, c = 0;
  const int n = std::fscanf(f, "%lf %lf %lf", &a, &b, &c);
  std::fclose(f);
  return n == 3 ? absl::StrFormat("%.2f %.2f %.2f", a, b, c) : "?";
}

struct PhaseResult {
  long ops = 0;
  double seconds = 0;
  long bad = 0;  // wrong or failed replies
  double rate() const { return seconds > 0 ? ops / seconds : 0; }
};

// Runs `body(stop)` on `threads` threads; each returns its op count and bad count.
template <typename Body>
PhaseResult RunPhase(int threads, Body body) {
  const auto limit = std::chrono::duration<double>(absl::GetFlag(FLAGS_seconds_per_phase));
  const long max_ops = absl::GetFlag(FLAGS_ops_per_thread);
  std::atomic<long> ops{0}, bad{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  Clock::time_point start;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto worker = body(t);  // per-thread setup (connections) outside the timing
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      long n = 0, b = 0;
      for (; n < max_ops; ++n) {
        if ((n & 255) == 0 && Clock::now() - start > limit) break;
        if (!worker()) ++b;
      }
      ops.fetch_add(n);
      bad.fetch_add(b);
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  start = Clock::now();
  go.store(true);
  for (auto& t : pool) t.join();
  PhaseResult r;
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.ops = ops.load();
  r.bad = bad.load();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::unique_ptr<etnik::test::RedisServer> server;
  std::string url = absl::GetFlag(FLAGS_redis_url);
  if (url.empty()) {
    auto launched = etnik::test::RedisServer::Launch();
    if (!launched.ok()) {
      std::fprintf(stderr, "cannot start redis-server: %s\n", launched.status().ToString().c_str());
      return 1;
    }
    server = std::move(*launched);
    url = server->url();
  }
  etnik::redis::RedisOptions base;
  base.pool_size = 8;
  auto options = etnik::redis::ParseRedisUrl(url, base);
  if (!options.ok()) {
    std::fprintf(stderr, "%s\n", options.status().ToString().c_str());
    return 1;
  }

  prometheus::Registry registry;
  etnik::redis::RedisPool pool(*options, etnik::SystemClock::Get(), registry);
  etnik::redis::CacheOptions cache_options;
  cache_options.service = "bench";
  cache_options.name = "hit_path";
  etnik::redis::Cache cache(pool, cache_options, registry);

  const std::string value(absl::GetFlag(FLAGS_value_bytes), 'x');
  std::atomic<int> loads{0};
  const etnik::redis::Cache::Loader loader = [&]() -> absl::StatusOr<std::string> {
    loads.fetch_add(1);
    return value;
  };
  const absl::Duration ttl = absl::Hours(1);
  if (auto warm = cache.GetOrLoad("item", ttl, loader); !warm.ok() || *warm != value) {
    std::fprintf(stderr, "warm-up failed\n");
    return 1;
  }
  if (auto warm = cache.GetOrLoadScoped("scope", ttl, "item", ttl, loader);
      !warm.ok() || *warm != value) {
    std::fprintf(stderr, "scoped warm-up failed\n");
    return 1;
  }
  const std::string redis_key = cache.RedisKey("item");

  auto raw = [&](int) {
    // One plain hiredis connection per thread, freed when the thread's closure goes.
    std::shared_ptr<redisContext> ctx(redisConnect(options->host.c_str(), options->port),
                                      [](redisContext* c) {
                                        if (c != nullptr) redisFree(c);
                                      });
    return [ctx, &redis_key, &value] {
      if (ctx == nullptr || ctx->err) return false;
      auto* r = static_cast<redisReply*>(
          redisCommand(ctx.get(), "GET %b", redis_key.data(), redis_key.size()));
      bool ok = r != nullptr && r->type == REDIS_REPLY_STRING && r->len == value.size();
      if (r != nullptr) freeReplyObject(r);
      return ok;
    };
  };
  auto ours = [&](int) {
    return [&] {
      absl::StatusOr<std::string> v = cache.GetOrLoad("item", ttl, loader);
      return v.ok() && v->size() == value.size();
    };
  };

  auto scoped = [&](int) {
    return [&] {
      absl::StatusOr<std::string> v = cache.GetOrLoadScoped("scope", ttl, "item", ttl, loader);
      return v.ok() && v->size() == value.size();
    };
  };

  const int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  std::printf("cache_bench: value %d bytes, %d rounds, <= %d GETs/thread and <= %.1f s per phase\n",
              absl::GetFlag(FLAGS_value_bytes), rounds, absl::GetFlag(FLAGS_ops_per_thread),
              absl::GetFlag(FLAGS_seconds_per_phase));
  std::printf("load average before: %s (%u hardware threads)\n", LoadAverage().c_str(),
              std::thread::hardware_concurrency());
  std::printf(
      "\n| threads | raw hiredis GET ops/s | Cache hit ops/s | ratio (cache/raw) |"
      " scoped hit (MGET) ops/s | ratio (scoped/raw) |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|\n");
  long bad = 0;
  for (int threads : {1, 8}) {
    std::vector<double> raw_rates, our_rates, scoped_rates;
    for (int r = 0; r < rounds; ++r) {
      // Alternate so drift on a shared machine hits both sides alike.
      PhaseResult a = RunPhase(threads, raw);
      PhaseResult b = RunPhase(threads, ours);
      PhaseResult c = RunPhase(threads, scoped);
      bad += a.bad + b.bad + c.bad;
      raw_rates.push_back(a.rate());
      our_rates.push_back(b.rate());
      scoped_rates.push_back(c.rate());
    }
    std::sort(raw_rates.begin(), raw_rates.end());
    std::sort(our_rates.begin(), our_rates.end());
    std::sort(scoped_rates.begin(), scoped_rates.end());
    const double raw_median = raw_rates[raw_rates.size() / 2];
    const double our_median = our_rates[our_rates.size() / 2];
    const double scoped_median = scoped_rates[scoped_rates.size() / 2];
    std::printf("| %d | %.0f | %.0f | %.2f | %.0f | %.2f |\n", threads, raw_median, our_median,
                raw_median > 0 ? our_median / raw_median : 0, scoped_median,
                raw_median > 0 ? scoped_median / raw_median : 0);
  }
  std::printf(
      "\nloader calls after warm-up: %d (0 means every timed read was a hit); bad replies: %ld\n",
      loads.load() - 2, bad);
  std::printf("load average after: %s\n", LoadAverage().c_str());
  return bad == 0 && loads.load() == 2 ? 0 : 1;
}
