#ifndef ETNIK_SERVICES_GATEWAY_HTTP_ERRORS_H_
#define ETNIK_SERVICES_GATEWAY_HTTP_ERRORS_H_

// gRPC status -> HTTP status and Google's JSON error format:
//   {"error": {"code": 404, "status": "NOT_FOUND", "message": "...", "details": [{"@type": ...}]}}
// with the google.rpc details (ErrorInfo, BadRequest, ...) the service attached.

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace etnik::gateway {

int HttpStatusFor(grpc::StatusCode code);
// "NOT_FOUND", "INVALID_ARGUMENT", ...
std::string CodeName(grpc::StatusCode code);

// The JSON error body of a backend's status (details decoded from its binary google.rpc.Status).
std::string ErrorJson(const grpc::Status& status);
// The same with another HTTP code in the body (405, 413: codes no gRPC status maps to).
std::string ErrorJson(const grpc::Status& status, int http_code);
// The same for an error made by the gateway itself (absl payloads become details).
std::string ErrorJson(const absl::Status& status);

// absl::Status -> grpc::Status with details, so both paths share one JSON writer.
grpc::Status ToGrpc(const absl::Status& status);

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_HTTP_ERRORS_H_
