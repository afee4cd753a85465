#ifndef ETNIK_COMMON_REDIS_REDIS_POOL_H_
#define ETNIK_COMMON_REDIS_REDIS_POOL_H_

// A small pool of blocking hiredis connections shared by every thread of a process.
// hiredis contexts are not thread-safe, so each command borrows one context for its round
// trip. Every command is bounded by the command timeout; a connection that failed in any
// way is dropped (with the other idle ones, which are likely dead too) and a new one is
// made next time. A circuit breaker in front fails calls fast while Redis keeps failing.
//
// Errors: UNAVAILABLE (cannot connect, connection broken, breaker open),
// DEADLINE_EXCEEDED (no answer within the command timeout, or no free connection in time),
// INTERNAL (Redis answered with an error reply; the message is Redis' own).
//
// Note: the first pool in a process sets SIGPIPE to "ignore" if it still has its default
// action, because hiredis writes to sockets with write(2) and a dead server must not kill
// the process.

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/clock/clock.h"
#include "common/redis/circuit_breaker.h"
#include "common/redis/redis_options.h"
#include "common/redis/reply.h"
#include "prometheus/registry.h"

struct redisContext;

namespace etnik::redis {

// One binary-safe command argument; views the caller's bytes, owns formatted integers.
class Arg {
 public:
  Arg(const std::string& s) : data_(s.data()), size_(s.size()) {}  // NOLINT
  Arg(std::string_view s) : data_(s.data()), size_(s.size()) {}    // NOLINT
#ifndef ABSL_USES_STD_STRING_VIEW
  Arg(absl::string_view s) : data_(s.data()), size_(s.size()) {}  // NOLINT
#endif
  Arg(const char* s) : Arg(std::string_view(s)) {}  // NOLINT
  template <std::integral T>
  Arg(T v) : owned_(std::to_string(v)), owns_(true) {}  // NOLINT

  const char* data() const { return owns_ ? owned_.data() : data_; }
  size_t size() const { return owns_ ? owned_.size() : size_; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  std::string owned_;
  bool owns_ = false;
};

// True for the UNAVAILABLE that a breaker returns without touching the network.
bool IsCircuitOpen(const absl::Status& status);

class RedisPool {
 public:
  // Metrics go to `registry`: etnik_redis_errors_total{kind},
  // etnik_redis_command_duration_seconds, etnik_redis_breaker_state{name}.
  // No connection is made here; the first command connects.
  RedisPool(RedisOptions options, const Clock& clock, prometheus::Registry& registry);
  ~RedisPool();
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // Command("SET", key, value, "PX", 1500). Arguments are sent as-is (binary-safe).
  template <typename... Args>
  absl::StatusOr<Reply> Command(const Args&... args) {
    static_assert(sizeof...(Args) > 0, "a command needs a name");
    const Arg argv[] = {Arg(args)...};
    return CommandArgv(absl::MakeConstSpan(argv));
  }
  absl::StatusOr<Reply> CommandArgv(absl::Span<const Arg> args);
  absl::StatusOr<Reply> CommandArgv(absl::Span<const std::string> args);

  CircuitBreaker& breaker() { return breaker_; }
  const RedisOptions& options() const { return options_; }

 private:
  struct Conn {
    redisContext* ctx = nullptr;
    uint64_t generation = 0;
  };
  struct Metrics;

  absl::StatusOr<Conn> Borrow();
  void Return(Conn conn, bool healthy);
  absl::StatusOr<redisContext*> Connect();
  absl::StatusOr<Reply> Run(int argc, const char** argv, const size_t* lens);
  void CountError(const char* kind);

  const RedisOptions options_;
  CircuitBreaker breaker_;
  std::unique_ptr<Metrics> metrics_;

  absl::Mutex mu_;
  std::vector<Conn> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle + borrowed + being connected
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_REDIS_POOL_H_
