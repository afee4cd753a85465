#include "common/status/errors.h"

#include "google/rpc/error_details.pb.h"

namespace etnik {
namespace {

constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";
constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";

}  // namespace

absl::Status InvalidArgumentError(absl::string_view message, std::vector<FieldViolation> violations) {
  absl::Status status(absl::StatusCode::kInvalidArgument, message);
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& v : violations) {
    auto* out = bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
  }
  status.SetPayload(kBadRequestUrl, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status ErrorWithInfo(absl::StatusCode code, absl::string_view message, absl::string_view reason,
                           std::map<std::string, std::string> metadata) {
  absl::Status status(code, message);
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  status.SetPayload(kErrorInfoUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<ErrorInfo> GetErrorInfo(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoUrl);
  google::rpc::ErrorInfo info;
  if (!payload || !info.ParseFromString(std::string(*payload))) return std::nullopt;
  ErrorInfo out{info.reason(), {}};
  for (const auto& [key, value] : info.metadata()) out.metadata[key] = value;
  return out;
}

std::vector<FieldViolation> GetFieldViolations(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kBadRequestUrl);
  google::rpc::BadRequest bad_request;
  std::vector<FieldViolation> out;
  if (!payload || !bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& v : bad_request.field_violations()) out.push_back({v.field(), v.description()});
  return out;
}

}  // namespace etnik
