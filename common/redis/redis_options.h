#ifndef ETNIK_COMMON_REDIS_REDIS_OPTIONS_H_
#define ETNIK_COMMON_REDIS_REDIS_OPTIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/circuit_breaker.h"

namespace etnik::redis {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;         // SELECTed on every new connection when not 0
  int pool_size = 8;  // at most this many connections, made on demand
  absl::Duration connect_timeout = absl::Milliseconds(250);
  // Bounds each command's round trip, and the wait for a free connection.
  absl::Duration command_timeout = absl::Milliseconds(250);
  std::string name = "redis";  // the breaker's metric label
  CircuitBreakerOptions breaker;
};

// Parses "redis://host[:port][/db]" (host may be "[::1]") into a copy of `base`, so
// timeouts and pool size set elsewhere are kept. INVALID_ARGUMENT on anything else.
absl::StatusOr<RedisOptions> ParseRedisUrl(absl::string_view url, RedisOptions base = {});

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_REDIS_OPTIONS_H_
