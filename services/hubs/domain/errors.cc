#include "services/hubs/domain/errors.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace etnik::hubs {

absl::Status NotFound(absl::string_view resource) {
  return ErrorWithInfo(absl::StatusCode::kNotFound, absl::StrCat(resource, " does not exist"), kReasonNotFound,
                       {{"resource", std::string(resource)}});
}

absl::Status AlreadyExists(absl::string_view message, absl::string_view reason, absl::string_view field,
                           std::map<std::string, std::string> metadata) {
  absl::Status status = ErrorWithInfo(absl::StatusCode::kAlreadyExists, message, reason, std::move(metadata));
  // The field violation travels as a BadRequest detail beside the ErrorInfo.
  absl::Status details = InvalidArgumentError(message, {{std::string(field), std::string(message)}});
  details.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) { status.SetPayload(url, payload); });
  return status;
}

absl::Status FailedPrecondition(absl::string_view message, absl::string_view reason,
                                std::map<std::string, std::string> metadata) {
  return ErrorWithInfo(absl::StatusCode::kFailedPrecondition, message, reason, std::move(metadata));
}

}  // namespace etnik::hubs
