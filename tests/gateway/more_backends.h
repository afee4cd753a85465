#ifndef ETNIK_TESTS_GATEWAY_MORE_BACKENDS_H_
#define ETNIK_TESTS_GATEWAY_MORE_BACKENDS_H_

// Registration and notifications served in-process on their own SQLite files, verifying tokens
// with the gateway test's authenticator, so every route of the gateway reaches a real service.

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/authenticator.h"
#include "common/clock/clock.h"
#include "common/server/server_runner.h"

namespace etnik::gateway::testing {

// A gRPC server on a free loopback port serving `service`, without metrics, quick to shut down.
absl::StatusOr<std::unique_ptr<server::ServerRunner>> ServeInProcess(const char* name, grpc::Service* service,
                                                                      const std::string& full_name);

class RegistrationBackend {
 public:
  RegistrationBackend();
  ~RegistrationBackend();
  absl::Status Start(const Clock& clock, const auth::Authenticator& authenticator);
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class NotificationsBackend {
 public:
  NotificationsBackend();
  ~NotificationsBackend();
  // Seeds the default templates; unsubscribe links are verified with `unsubscribe_secret`.
  absl::Status Start(const Clock& clock, const auth::Authenticator& authenticator, std::string unsubscribe_secret);
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace etnik::gateway::testing

#endif  // ETNIK_TESTS_GATEWAY_MORE_BACKENDS_H_
