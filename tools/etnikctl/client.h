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

// A service a command talks to, named as people know it, for error messages.
struct Target {
  std::string service;  // "registration", "hubs" or "scheduling"
  std::string address;
};

std::shared_ptr<grpc::Channel> Connect(const std::string& address);

// Mints a development HS256 token with the platform's secret (the etnik-token library).
absl::StatusOr<std::string> MintDevToken(const std::string& key_file, absl::string_view role,
                                         absl::string_view subject, absl::string_view hub);

// The google.rpc.ErrorInfo reason of a failed call, or "" when it carries none.
std::string ErrorReason(const grpc::Status& status);

// "CODE: message (reason)" for people.
std::string Describe(const grpc::Status& status);

// One line for people: `action` ("export events/x") failed at `target`, and why. Unreachable
// services, refused roles and bad tokens get their own wording.
std::string HumanError(const Target& target, absl::string_view action, const grpc::Status& status,
                       const std::string& token);

// The roles a bearer token claims ("organiser", ...), read without verifying it; "" when unreadable.
std::string TokenRoles(const std::string& token);

// Runs `call` with a fresh context carrying `token` until it succeeds or fails for good. The
// services learn about each other through events, so FAILED_PRECONDITION about something
// "unknown (yet)" and UNAVAILABLE are retried for a bounded time.
grpc::Status CallWithRetry(const std::string& token,
                           const std::function<grpc::Status(grpc::ClientContext&)>& call);

// Calls a List RPC page by page until the last page: `call(context, request, &response)` and
// `each(response)` per page. Returns the first failure.
template <typename Request, typename Response, typename Call, typename Each>
grpc::Status ListAll(const std::string& token, Request request, Call call, Each each) {
  request.set_page_size(1000);
  do {
    Response response;
    grpc::Status status = CallWithRetry(token, [&](grpc::ClientContext& c) { return call(c, request, &response); });
    if (!status.ok()) return status;
    each(response);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return grpc::Status::OK;
}

}  // namespace etnik::ctl

#endif  // ETNIK_TOOLS_ETNIKCTL_CLIENT_H_
