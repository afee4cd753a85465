#ifndef ETNIK_COMMON_CLOCK_CLOCK_H_
#define ETNIK_COMMON_CLOCK_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace etnik {

// The source of "now". Production code takes a Clock& so tests never read the wall clock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance for wiring in main().
  static SystemClock& Get() {
    static SystemClock clock;
    return clock;
  }
};

// A clock that moves only when a test moves it. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1617235200)) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_;
};

}  // namespace etnik

#endif  // ETNIK_COMMON_CLOCK_CLOCK_H_
