#ifndef ETNIK_COMMON_AUTH_TOKEN_MINTER_H_
#define ETNIK_COMMON_AUTH_TOKEN_MINTER_H_

// Issues the platform's own HS256 tokens: for development, the run command and tests.

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/identity.h"

namespace etnik::auth {

struct TokenClaims {
  std::string subject;  // `sub`, required
  std::string name;     // optional
  std::string email;    // optional
  std::set<Role> roles;
  std::set<std::string> hub_ids;  // `hubs`
  std::string issuer = "etnik";
  std::string audience = "etnik";
  absl::Time issued_at;  // `iat` and `nbf`
  absl::Duration ttl = absl::Hours(24);  // `exp` = issued_at + ttl
};

// Returns a compact JWS signed with HMAC-SHA256. The secret must be at least
// kMinHs256SecretBytes long, the subject non-empty and the ttl positive.
absl::StatusOr<std::string> MintHs256Token(absl::string_view secret, const TokenClaims& claims);

}  // namespace etnik::auth

#endif  // ETNIK_COMMON_AUTH_TOKEN_MINTER_H_
