#include "common/redis/circuit_breaker.h"

#include <algorithm>
#include <utility>

#include "prometheus/family.h"

namespace etnik::redis {

CircuitBreaker::CircuitBreaker(std::string name, CircuitBreakerOptions options, const Clock& clock,
                               prometheus::Registry* registry)
    : name_(std::move(name)), options_(options), clock_(clock) {
  if (registry != nullptr) {
    gauge_ = &prometheus::BuildGauge()
                  .Name("etnik_redis_breaker_state")
                  .Help("Redis circuit breaker state: 0 closed, 1 half-open, 2 open.")
                  .Register(*registry)
                  .Add({{"name", name_}});
    gauge_->Set(0);
  }
}

bool CircuitBreaker::Allow() {
  if (closed_.load(std::memory_order_acquire)) return true;
  absl::MutexLock lock(&mu_);
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (clock_.Now() - opened_at_ < options_.open_for) return false;
      SetState(State::kHalfOpen);
      probe_in_flight_ = true;
      probe_started_at_ = clock_.Now();
      return true;
    case State::kHalfOpen:
      // One probe at a time; a probe whose caller vanished must not wedge the breaker.
      if (probe_in_flight_ && clock_.Now() - probe_started_at_ < options_.open_for) return false;
      probe_in_flight_ = true;
      probe_started_at_ = clock_.Now();
      return true;
  }
  return false;
}

void CircuitBreaker::RecordSuccess() {
  if (closed_.load(std::memory_order_acquire) &&
      consecutive_failures_.load(std::memory_order_relaxed) == 0) {
    return;
  }
  absl::MutexLock lock(&mu_);
  consecutive_failures_.store(0, std::memory_order_relaxed);
  probe_in_flight_ = false;
  if (state_ != State::kClosed) SetState(State::kClosed);
}

void CircuitBreaker::RecordFailure() {
  absl::MutexLock lock(&mu_);
  probe_in_flight_ = false;
  switch (state_) {
    case State::kClosed:
      if (consecutive_failures_.fetch_add(1, std::memory_order_relaxed) + 1 >=
          std::max(1, options_.failure_threshold)) {
        opened_at_ = clock_.Now();
        SetState(State::kOpen);
      }
      break;
    case State::kHalfOpen:
      opened_at_ = clock_.Now();
      SetState(State::kOpen);
      break;
    case State::kOpen:
      // A call let through before the breaker opened; the cool-down already runs.
      break;
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

void CircuitBreaker::SetState(State s) {
  state_ = s;
  if (s == State::kClosed) consecutive_failures_.store(0, std::memory_order_relaxed);
  closed_.store(s == State::kClosed, std::memory_order_release);
  if (gauge_ != nullptr) gauge_->Set(static_cast<double>(s));
}

const char* StateName(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed:
      return "closed";
    case CircuitBreaker::State::kHalfOpen:
      return "half-open";
    case CircuitBreaker::State::kOpen:
      return "open";
  }
  return "?";
}

}  // namespace etnik::redis
