#ifndef ETNIK_SERVICES_REGISTRATION_API_TEST_ENV_H_
#define ETNIK_SERVICES_REGISTRATION_API_TEST_ENV_H_

// The registration service in one process for API tests: a real gRPC server on a free port,
// real HS256 tokens, a real database (SQLite file or a fresh PostgreSQL database via
// common/testing) with the service's migrations, a private redis-server for the cache, and a
// settable FakeClock.

#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/identity.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/db/engine.h"
#include "common/redis/cache.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "services/registration/api/service_context.h"

namespace etnik::registration::testing {

class TestEnv {
 public:
  // 1 April 2021 00:00 UTC, before the 2021 competition's deadline.
  static constexpr int64_t kDefaultStartUnix = 1617235200;

  static absl::StatusOr<std::unique_ptr<TestEnv>> Create(db::Engine engine,
                                                         absl::Time start = absl::FromUnixSeconds(kDefaultStartUnix));
  ~TestEnv();

  FakeClock& clock() { return clock_; }
  db::Database& database();
  ServiceContext& context();
  redis::Cache& cache();
  // Runs a command on the test's redis-server (FLUSHALL, KEYS, ...).
  absl::StatusOr<std::string> Redis(std::initializer_list<std::string> args);
  // Events enqueued so far (pending in the outbox; the relay is not running).
  absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> PendingEvents();

  v1::RegistrationService::Stub& stub() { return *stub_; }

  // Tokens signed with the test secret.
  static std::string Token(const std::string& subject, std::set<auth::Role> roles);
  static std::string OrganiserToken() { return Token("organiser-1", {auth::Role::kOrganiser}); }
  static std::string ReviewerToken(const std::string& subject) { return Token(subject, {auth::Role::kReviewer}); }
  static std::string ApplicantToken(const std::string& subject) {
    return Token(subject, {auth::Role::kParticipant});
  }

  // A client context with a 20 s deadline, the token (none when empty) and, when not empty,
  // an `accept-language` header.
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token, const std::string& language = "");

 private:
  struct Parts;
  TestEnv();
  FakeClock clock_;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<v1::RegistrationService::Stub> stub_;
};

}  // namespace etnik::registration::testing

#endif  // ETNIK_SERVICES_REGISTRATION_API_TEST_ENV_H_
