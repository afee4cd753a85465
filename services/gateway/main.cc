// The gateway: HTTP for people and other systems in front of the gRPC services.

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/auth/auth_flags.h"
#include "common/clock/clock.h"
#include "common/config/config.h"
#include "common/log/log.h"
#include "common/redis/redis_flags.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "services/gateway/clients/backends.h"
#include "services/gateway/http/http_server.h"
#include "services/gateway/http/rate_limiter.h"

ABSL_FLAG(std::string, http_address, "127.0.0.1:8080", "HTTP listen address host:port");
ABSL_FLAG(std::string, registration_target, "127.0.0.1:50051", "registration service gRPC address");
ABSL_FLAG(std::string, hubs_target, "127.0.0.1:50052", "hubs service gRPC address");
ABSL_FLAG(std::string, scheduling_target, "127.0.0.1:50053", "scheduling service gRPC address");
ABSL_FLAG(std::string, notifications_target, "127.0.0.1:50054", "notifications service gRPC address");
ABSL_FLAG(absl::Duration, backend_deadline, absl::Seconds(10), "deadline of every backend gRPC call");
ABSL_FLAG(int64_t, max_body_bytes, 1 << 20, "largest accepted request body; larger ones get 413");
ABSL_FLAG(std::string, cors_origin, "", "browser origin allowed to call the API (CORS); empty: none, * any");
ABSL_FLAG(int64_t, rate_limit, 600, "requests per caller (token subject, or IP) per window; 0: no limit");
ABSL_FLAG(absl::Duration, rate_limit_window, absl::Minutes(1), "the rate limit's fixed window");

namespace {

int Fail(const char* what, const absl::Status& status) {
  etnik::log::Error(what, {{"error", std::string(status.message())}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::log::SetServiceName("gateway");
  // The gateway's own gRPC port carries health and reflection, for probes.
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("gateway", 50055, 9105));
  const etnik::Clock& clock = etnik::SystemClock::Get();
  absl::StatusOr<etnik::auth::Authenticator> authenticator = etnik::auth::AuthenticatorFromFlags(clock);
  if (!authenticator.ok()) return Fail("cannot start", authenticator.status());
  absl::StatusOr<std::unique_ptr<etnik::redis::RedisPool>> redis =
      etnik::redis::RedisPoolFromFlags(clock, runner.registry());
  if (!redis.ok()) return Fail("cannot start", redis.status());
  etnik::gateway::RateLimitOptions limits;
  limits.limit = absl::GetFlag(FLAGS_rate_limit);
  limits.window = absl::GetFlag(FLAGS_rate_limit_window);
  etnik::gateway::RateLimiter limiter(redis->get(), clock, limits, runner.registry());
  etnik::gateway::Backends backends({{"registration", absl::GetFlag(FLAGS_registration_target)},
                                     {"hubs", absl::GetFlag(FLAGS_hubs_target)},
                                     {"scheduling", absl::GetFlag(FLAGS_scheduling_target)},
                                     {"notifications", absl::GetFlag(FLAGS_notifications_target)}});
  etnik::gateway::HttpOptions options;
  options.backend_deadline = absl::GetFlag(FLAGS_backend_deadline);
  options.max_body_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_body_bytes));
  options.cors_origin = absl::GetFlag(FLAGS_cors_origin);
  etnik::gateway::HttpServer http(backends, *authenticator, limiter, runner.registry(), options);
  absl::Status listening = http.Start(absl::GetFlag(FLAGS_http_address));
  if (!listening.ok()) return Fail("cannot start", listening);
  etnik::log::Info("HTTP listening", {{"http_port", absl::StrCat(http.port())}});
  int code = etnik::server::ServeUntilSignal(runner);
  http.Stop();
  return code;
}
