#ifndef ETNIK_COMMON_REDIS_CIRCUIT_BREAKER_H_
#define ETNIK_COMMON_REDIS_CIRCUIT_BREAKER_H_

// Stops calling a dependency that keeps failing, so callers fall back at once instead of
// waiting for a timeout on every call, and lets one probe through after a cool-down.
//
//   closed --(failure_threshold consecutive failures)--> open
//   open   --(open_for elapsed, next Allow())----------> half-open (exactly one probe allowed)
//   half-open --probe succeeds--> closed;  --probe fails--> open (cool-down restarts)

#include <atomic>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace etnik::redis {

struct CircuitBreakerOptions {
  int failure_threshold = 5;
  absl::Duration open_for = absl::Seconds(5);
};

class CircuitBreaker {
 public:
  // Values of the etnik_redis_breaker_state gauge.
  enum class State { kClosed = 0, kHalfOpen = 1, kOpen = 2 };

  // The gauge etnik_redis_breaker_state{name} is registered on `registry` when given.
  CircuitBreaker(std::string name, CircuitBreakerOptions options, const Clock& clock,
                 prometheus::Registry* registry = nullptr);

  // True when the caller may make the call; the caller must then report RecordSuccess() or
  // RecordFailure(). A half-open probe that never reports is given up after another open_for.
  bool Allow();
  void RecordSuccess();
  void RecordFailure();

  State state() const;
  const std::string& name() const { return name_; }

 private:
  void SetState(State s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string name_;
  const CircuitBreakerOptions options_;
  const Clock& clock_;
  prometheus::Gauge* gauge_ = nullptr;

  // Lock-free fast path for the common case (closed, no recent failure); written under mu_.
  std::atomic<bool> closed_{true};
  std::atomic<int> consecutive_failures_{0};

  mutable absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_) = State::kClosed;
  absl::Time opened_at_ ABSL_GUARDED_BY(mu_);
  absl::Time probe_started_at_ ABSL_GUARDED_BY(mu_);
  bool probe_in_flight_ ABSL_GUARDED_BY(mu_) = false;
};

const char* StateName(CircuitBreaker::State state);

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_CIRCUIT_BREAKER_H_
