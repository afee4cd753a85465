#include "tools/etnikctl/client.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/identity.h"
#include "common/auth/jwt_config.h"
#include "common/auth/token_minter.h"
#include "common/clock/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace etnik::ctl {

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

absl::StatusOr<std::string> MintDevToken(const std::string& key_file, absl::string_view role,
                                         absl::string_view subject, absl::string_view hub) {
  std::optional<auth::Role> parsed = auth::ParseRole(role);
  if (!parsed) return absl::InvalidArgumentError(absl::StrCat("unknown role '", role, "'"));
  auth::TokenClaims claims;
  claims.subject = std::string(subject);
  claims.roles.insert(*parsed);
  if (!hub.empty()) claims.hub_ids.insert(std::string(hub));
  claims.issued_at = SystemClock::Get().Now();
  claims.ttl = absl::Hours(24);
  absl::StatusOr<std::string> secret = auth::ReadSecretFile(key_file);
  if (!secret.ok()) return secret.status();
  return auth::MintHs256Token(*secret, claims);
}

std::string ErrorReason(const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

std::string Describe(const grpc::Status& status) {
  static const char* const kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                       "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
                                       "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  const int code = static_cast<int>(status.error_code());
  std::string out = absl::StrCat(code >= 0 && code <= 16 ? kNames[code] : "CODE", ": ", status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      google::rpc::BadRequest bad;
      google::rpc::ErrorInfo info;
      if (any.UnpackTo(&bad)) {
        for (const auto& v : bad.field_violations()) absl::StrAppend(&out, "\n    ", v.field(), ": ", v.description());
      } else if (any.UnpackTo(&info)) {
        absl::StrAppend(&out, " (", info.reason(), ")");
      }
    }
  }
  return out;
}

namespace {

bool Transient(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) return true;
  if (status.error_code() != grpc::StatusCode::FAILED_PRECONDITION) return false;
  const std::string reason = ErrorReason(status);
  return absl::EndsWith(reason, "_UNKNOWN") || absl::StrContains(status.error_message(), "(yet)");
}

}  // namespace

grpc::Status CallWithRetry(const std::string& token,
                           const std::function<grpc::Status(grpc::ClientContext&)>& call) {
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  absl::Duration pause = absl::Milliseconds(50);
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    auth::AttachBearerToken(context, token);
    grpc::Status status = call(context);
    if (status.ok() || !Transient(status) || absl::Now() + pause > give_up) return status;
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(500));
  }
}

}  // namespace etnik::ctl
