#include "common/auth/token_minter.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/auth/base64url.h"
#include "common/auth/jwt_config.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "openssl/evp.h"
#include "openssl/hmac.h"

namespace etnik::auth {
namespace {

using google::protobuf::Struct;

void SetString(Struct& s, const std::string& key, absl::string_view value) {
  (*s.mutable_fields())[key].set_string_value(std::string(value));
}

// NumericDate: whole seconds since the epoch (exact in a double for any realistic date).
void SetTime(Struct& s, const std::string& key, absl::Time t) {
  (*s.mutable_fields())[key].set_number_value(static_cast<double>(absl::ToUnixSeconds(t)));
}

}  // namespace

absl::StatusOr<std::string> MintHs256Token(absl::string_view secret, const TokenClaims& claims) {
  if (secret.size() < kMinHs256SecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("HS256 secret must be at least ", kMinHs256SecretBytes, " bytes"));
  }
  if (claims.subject.empty()) return absl::InvalidArgumentError("token subject must not be empty");
  if (claims.ttl <= absl::ZeroDuration()) return absl::InvalidArgumentError("token lifetime must be positive");
  if (claims.issuer.empty() || claims.audience.empty()) {
    return absl::InvalidArgumentError("token issuer and audience must not be empty");
  }

  Struct payload;
  SetString(payload, "sub", claims.subject);
  if (!claims.name.empty()) SetString(payload, "name", claims.name);
  if (!claims.email.empty()) SetString(payload, "email", claims.email);
  SetString(payload, "iss", claims.issuer);
  SetString(payload, "aud", claims.audience);
  SetTime(payload, "iat", claims.issued_at);
  SetTime(payload, "nbf", claims.issued_at);
  SetTime(payload, "exp", claims.issued_at + claims.ttl);
  auto* roles = (*payload.mutable_fields())["roles"].mutable_list_value();
  for (Role r : claims.roles) roles->add_values()->set_string_value(std::string(RoleName(r)));
  if (!claims.hub_ids.empty()) {
    auto* hubs = (*payload.mutable_fields())["hubs"].mutable_list_value();
    for (const std::string& hub : claims.hub_ids) hubs->add_values()->set_string_value(hub);
  }

  std::string payload_json;
  if (!google::protobuf::util::MessageToJsonString(payload, &payload_json).ok()) {
    return absl::InternalError("cannot encode token claims as JSON");
  }
  std::string signing_input =
      absl::StrCat(Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})"), ".", Base64UrlEncode(payload_json));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
           &mac_len) == nullptr) {
    return absl::InternalError("HMAC-SHA256 failed");
  }
  return absl::StrCat(signing_input, ".",
                      Base64UrlEncode(absl::string_view(reinterpret_cast<const char*>(mac), mac_len)));
}

}  // namespace etnik::auth
