#ifndef ETNIK_COMMON_AUTH_JWT_VERIFIER_H_
#define ETNIK_COMMON_AUTH_JWT_VERIFIER_H_

// Verifies compact JWS bearer tokens (RFC 7515 / 7519) with one pinned algorithm.

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/jwt_config.h"
#include "common/clock/clock.h"
#include "google/protobuf/struct.pb.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace etnik::auth {

// Thread-safe after construction; cheap to copy (the key is shared).
class JwtVerifier {
 public:
  // Checks the config: a secret of at least kMinHs256SecretBytes for HS256, a parseable RSA
  // public key of at least 2048 bits for RS256, a non-empty issuer and audience. `clock` must
  // outlive the verifier.
  static absl::StatusOr<JwtVerifier> Create(JwtConfig config, const Clock& clock);

  // Returns the verified claims, or UNAUTHENTICATED (ErrorInfo reason INVALID_TOKEN, or
  // TOKEN_EXPIRED) when the token is malformed, names another algorithm than the pinned one,
  // has a bad signature, is expired or not yet valid, or has another issuer or audience.
  // Messages never contain the token or the key.
  absl::StatusOr<google::protobuf::Struct> Verify(absl::string_view token) const;

  const JwtConfig& config() const { return config_; }

 private:
  JwtVerifier(JwtConfig config, const Clock& clock, std::shared_ptr<evp_pkey_st> public_key)
      : config_(std::move(config)), clock_(&clock), public_key_(std::move(public_key)) {}

  bool SignatureMatches(absl::string_view signing_input, absl::string_view signature) const;

  JwtConfig config_;
  const Clock* clock_;
  std::shared_ptr<evp_pkey_st> public_key_;  // RS256 only
};

}  // namespace etnik::auth

#endif  // ETNIK_COMMON_AUTH_JWT_VERIFIER_H_
