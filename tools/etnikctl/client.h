#ifndef ETNIK_TOOLS_ETNIKCTL_CLIENT_H_
#define ETNIK_TOOLS_ETNIKCTL_CLIENT_H_

// What every etnikctl command shares: addresses, a bearer token, and calls that explain failures.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/client_token.h"
#include "grpcpp/grpcpp.h"

namespace etnik::ctl {

struct Endpoints {
  std::string registration;
  std::string hubs;
  std::string scheduling;
};

std::shared_ptr<grpc::Channel> Connect(const std::string& address);

// Mints a development HS256 token with the platform's secret (the etnik-token library).
absl::StatusOr<std::string> MintDevToken(const std::string& key_file, absl::string_view role,
                                         absl::string_view subject, absl::string_view hub);

// The google.rpc.ErrorInfo reason of a failed call, or "" when it carries none.
std::string ErrorReason(const grpc::Status& status);

// "CODE: message (reason)" for people.
std::string Describe(const grpc::Status& status);

// Runs `call` with a fresh context carrying `token` until it succeeds or fails for good. The
// services learn about each other through events, so FAILED_PRECONDITION about something
// "unknown (yet)" and UNAVAILABLE are retried for a bounded time.
grpc::Status CallWithRetry(const std::string& token,
                           const std::function<grpc::Status(grpc::ClientContext&)>& call);

}  // namespace etnik::ctl

#endif  // ETNIK_TOOLS_ETNIKCTL_CLIENT_H_
