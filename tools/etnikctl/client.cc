#include "tools/etnikctl/client.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/identity.h"
#include "common/auth/jwt_config.h"
#include "common/auth/token_minter.h"
#include "common/clock/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
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

std::string TokenRoles(const std::string& token) {
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string json;
  if (parts.size() != 3 || !absl::WebSafeBase64Unescape(parts[1], &json)) return "";
  google::protobuf::Struct claims;
  if (!google::protobuf::util::JsonStringToMessage(json, &claims).ok()) return "";
  auto it = claims.fields().find("roles");
  if (it == claims.fields().end()) return "";
  std::vector<std::string> roles;
  for (const auto& v : it->second.list_value().values()) roles.push_back(v.string_value());
  return absl::StrJoin(roles, ",");
}

std::string HumanError(const Target& target, absl::string_view action, const grpc::Status& status,
                       const std::string& token) {
  const std::string message = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      // A service that answers but is itself cut off (its database, Redis) says so in the message.
      if (absl::StrContains(message, "failed to connect") || absl::StrContains(message, "onnection refused") ||
          message.empty()) {
        return absl::StrCat("cannot reach ", target.service, " at ", target.address, " (unavailable)");
      }
      return absl::StrCat(target.service, " at ", target.address, " is unavailable: ", message);
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrCat(target.service, " at ", target.address, " did not answer in time (deadline exceeded)");
    case grpc::StatusCode::PERMISSION_DENIED: {
      std::string roles = TokenRoles(token);
      return absl::StrCat("permission denied: the token's role (", roles.empty() ? "none" : roles, ") cannot ",
                          action, ": ", message);
    }
    case grpc::StatusCode::UNAUTHENTICATED:
      return absl::StrCat("not authenticated: ", target.service, " refused the token (", message,
                          "); pass a valid --token or --jwt_key_file");
    default:
      // Field violations go on the same line: a message per failure.
      return absl::StrCat(action, " failed: ", absl::StrReplaceAll(Describe(status), {{"\n    ", "; "}}));
  }
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
  // The stack is healthy before commands run, so an unreachable service is not waited for long;
  // facts the services still exchange are.
  const absl::Time started = absl::Now();
  const absl::Time give_up = started + absl::Seconds(30);
  absl::Duration pause = absl::Milliseconds(50);
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    auth::AttachBearerToken(context, token);
    grpc::Status status = call(context);
    if (status.ok() || !Transient(status) || absl::Now() + pause > give_up) return status;
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE && absl::Now() - started > absl::Seconds(3)) return status;
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(500));
  }
}

}  // namespace etnik::ctl
