#include "services/gateway/http/rate_limiter.h"

#include "absl/strings/str_cat.h"

namespace etnik::gateway {

namespace {

// Counts and sets the expiry in one atomic step, so a key never outlives its window.
constexpr char kIncrScript[] =
    "local n = redis.call('INCR', KEYS[1]) "
    "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
    "return n";

}  // namespace

RateLimiter::RateLimiter(redis::RedisPool* redis, const Clock& clock, RateLimitOptions options,
                         prometheus::Registry& registry)
    : redis_(redis),
      clock_(clock),
      options_(options),
      fail_open_(prometheus::BuildCounter()
                     .Name("etnik_gateway_rate_limit_fail_open_total")
                     .Help("Requests let through unlimited because Redis could not be asked")
                     .Register(registry)
                     .Add({})),
      limited_(prometheus::BuildCounter()
                   .Name("etnik_gateway_rate_limited_total")
                   .Help("Requests refused with 429 by the per-caller limit")
                   .Register(registry)
                   .Add({})) {}

RateDecision RateLimiter::Check(const std::string& caller_key) {
  RateDecision decision;
  if (redis_ == nullptr || options_.limit <= 0) return decision;
  const int64_t window_ms = absl::ToInt64Milliseconds(options_.window);
  const int64_t now_ms = absl::ToUnixMillis(clock_.Now());
  const int64_t window_start = now_ms - now_ms % window_ms;
  const std::string key = absl::StrCat("etnik:gateway:ratelimit:", caller_key, ":", window_start);
  absl::StatusOr<redis::Reply> reply = redis_->Command("EVAL", kIncrScript, "1", key, window_ms + 1000);
  if (!reply.ok() || !reply->is_integer()) {
    fail_open_.Increment();
    return decision;
  }
  decision.remaining = std::max<int64_t>(0, options_.limit - reply->integer);
  if (reply->integer > options_.limit) {
    decision.allowed = false;
    decision.retry_after = absl::Milliseconds(window_start + window_ms - now_ms);
    limited_.Increment();
  }
  return decision;
}

}  // namespace etnik::gateway
