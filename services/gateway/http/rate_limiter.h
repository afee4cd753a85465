#ifndef ETNIK_SERVICES_GATEWAY_HTTP_RATE_LIMITER_H_
#define ETNIK_SERVICES_GATEWAY_HTTP_RATE_LIMITER_H_

// A fixed-window request limit per caller (token subject, or client IP for anonymous callers)
// kept in the shared Redis, so every gateway replica counts together. When Redis cannot be
// asked the request goes through (fail open) and the outage is counted.

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/redis/redis_pool.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace etnik::gateway {

struct RateLimitOptions {
  int64_t limit = 600;  // requests per window; 0 turns the limit off
  absl::Duration window = absl::Minutes(1);
};

struct RateDecision {
  bool allowed = true;
  int64_t remaining = 0;
  absl::Duration retry_after;  // until the window ends, when refused
};

class RateLimiter {
 public:
  // `redis` may be null (no Redis configured): everything is allowed.
  RateLimiter(redis::RedisPool* redis, const Clock& clock, RateLimitOptions options, prometheus::Registry& registry);

  RateDecision Check(const std::string& caller_key);
  const RateLimitOptions& options() const { return options_; }

 private:
  redis::RedisPool* redis_;
  const Clock& clock_;
  RateLimitOptions options_;
  prometheus::Counter& fail_open_;
  prometheus::Counter& limited_;
};

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_HTTP_RATE_LIMITER_H_
