#ifndef ETNIK_COMMON_STATUS_ERRORS_H_
#define ETNIK_COMMON_STATUS_ERRORS_H_

// Rich errors for the domain, without protobuf: details ride on absl::Status payloads
// (keyed by the google.rpc type URLs) and grpc_status.h turns them into google.rpc details.

#include <map>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"

namespace etnik {

// The error domain reported in every ErrorInfo.
inline constexpr char kErrorDomain[] = "etnik.dev";

// One bad field of a request: `field` is a path such as "session.start_time".
struct FieldViolation {
  std::string field;
  std::string description;
};

// Why an operation failed, in machine-readable form (google.rpc.ErrorInfo).
struct ErrorInfo {
  std::string reason;  // UPPER_SNAKE_CASE, e.g. "EXPERT_DOUBLE_BOOKED"
  std::map<std::string, std::string> metadata;
};

// INVALID_ARGUMENT carrying one violation per bad field.
absl::Status InvalidArgumentError(absl::string_view message, std::vector<FieldViolation> violations);

// Any code with an ErrorInfo reason and metadata (e.g. the id of a conflicting session).
absl::Status ErrorWithInfo(absl::StatusCode code, absl::string_view message, absl::string_view reason,
                           std::map<std::string, std::string> metadata = {});

// Reads the details back (tests, logging, the gRPC mapping).
std::optional<ErrorInfo> GetErrorInfo(const absl::Status& status);
std::vector<FieldViolation> GetFieldViolations(const absl::Status& status);

}  // namespace etnik

#endif  // ETNIK_COMMON_STATUS_ERRORS_H_
