#ifndef ETNIK_COMMON_AUTH_JWT_CONFIG_H_
#define ETNIK_COMMON_AUTH_JWT_CONFIG_H_

// How a service verifies bearer tokens: one pinned algorithm and its key, the expected issuer and
// audience, and the clock skew tolerated on `exp` / `nbf`.

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace etnik::auth {

enum class JwtAlgorithm {
  kHs256,  // HMAC-SHA256 with a shared secret (the platform's own tokens)
  kRs256,  // RSASSA-PKCS1-v1_5 SHA-256 with an identity provider's public key (e.g. Keycloak)
};

// "HS256" / "RS256", as written in a token header.
absl::string_view JwtAlgorithmName(JwtAlgorithm algorithm);
std::optional<JwtAlgorithm> ParseJwtAlgorithm(absl::string_view name);

// RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output.
inline constexpr size_t kMinHs256SecretBytes = 32;
// Tokens are headers: anything longer is refused before it is decoded.
inline constexpr size_t kDefaultMaxTokenBytes = 8 * 1024;

struct JwtConfig {
  JwtAlgorithm algorithm = JwtAlgorithm::kHs256;
  std::string hs256_secret;          // used when algorithm is HS256
  std::string rs256_public_key_pem;  // used when RS256: a PUBLIC KEY PEM, or its bare base64 body
  std::string issuer = "etnik";      // `iss` must equal this
  std::string audience = "etnik";    // `aud` must be, or contain, this
  absl::Duration leeway = absl::Seconds(30);
  size_t max_token_bytes = kDefaultMaxTokenBytes;
};

// Reads a secret (or key) from a file, dropping one trailing newline ("\n" or "\r\n") that
// editors add. A missing, unreadable or empty file is an error; the message names the path,
// never the content.
absl::StatusOr<std::string> ReadSecretFile(absl::string_view path);

// Builds a config from the usual service flags: the algorithm name, and the file holding its key
// (the secret for HS256, the public key PEM for RS256).
absl::StatusOr<JwtConfig> LoadJwtConfig(absl::string_view algorithm, absl::string_view key_file,
                                        absl::string_view issuer, absl::string_view audience,
                                        absl::Duration leeway);

}  // namespace etnik::auth

#endif  // ETNIK_COMMON_AUTH_JWT_CONFIG_H_
