#ifndef ETNIK_TESTS_GATEWAY_GATEWAY_TEST_ENV_H_
#define ETNIK_TESTS_GATEWAY_GATEWAY_TEST_ENV_H_

// The gateway in front of real services, all in one process: hubs, scheduling, registration and
// notifications on their own SQLite files, one private redis-server (catalogue cache, schedule
// cache, rate limits), HS256 tokens on a fixed clock, and an httplib::Client talking HTTP to the
// gateway. Events between the services do not flow here (no relays): tests seed what they need.

#include <memory>
#include <set>
#include <string>

#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/identity.h"
#include "common/clock/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "prometheus/registry.h"

namespace etnik::test {
class RedisServer;
}

namespace etnik::gateway::testing {

inline constexpr char kSecret[] = "gateway-test-secret-of-more-than-32-bytes";
inline constexpr char kProgramme[] = "programmes/etnik-2021";
inline constexpr char kUnsubscribeSecret[] = "gateway-test-unsubscribe-secret";

class GatewayTest : public ::testing::Test {
 protected:
  GatewayTest();
  ~GatewayTest() override;
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;
  void TearDown() override;

  // Options the next SetUp uses (a test may change them before calling Restart()).
  struct Limits {
    int64_t rate_limit = 100000;
    size_t max_body_bytes = 64 * 1024;
  };
  void RestartGateway(Limits limits);
  // Restarts the gateway with `service` at an address where nothing listens.
  void LoseBackend(const std::string& service);
  // The suite's redis-server, for outage tests (restart it before the test ends).
  static test::RedisServer& Redis();

  std::string Token(const std::string& subject, std::set<auth::Role> roles, std::set<std::string> hubs = {},
                    absl::Duration ttl = absl::Hours(24));
  // An organiser's token that expired an hour ago (well past the verifier's leeway).
  std::string Expired();
  std::string Organiser() { return Token("org-1", {auth::Role::kOrganiser}); }
  std::string Lead(const std::string& hub) { return Token("lead-" + hub, {auth::Role::kHubLead}, {hub}); }

  // One request with an optional bearer token; never null (a transport failure fails the test).
  httplib::Result Send(const std::string& method, const std::string& path, const std::string& token = "",
                       const std::string& body = "", httplib::Headers headers = {});

  // Seeds scheduling's read models (normally fed by registration's and hubs' events): the
  // programme's stages and experts always free, members of the given hubs.
  void SeedScheduling();

  absl::Time Msk(int y, int mo, int d, int h, int mi = 0);

  FakeClock clock_{absl::FromUnixSeconds(1618898400)};  // 20 April 2021 09:00 Moscow
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
};

// Pulls a JSON string field out of a proto3 JSON body, e.g. Field(body, "error", "status").
std::string JsonField(const std::string& json, std::initializer_list<std::string> path);

}  // namespace etnik::gateway::testing

#endif  // ETNIK_TESTS_GATEWAY_GATEWAY_TEST_ENV_H_
