#ifndef ETNIK_COMMON_AUTH_AUTH_FLAGS_H_
#define ETNIK_COMMON_AUTH_AUTH_FLAGS_H_

#include "absl/status/statusor.h"
#include "common/auth/authenticator.h"
#include "common/clock/clock.h"

namespace etnik::auth {

// The authenticator every service builds from the common flags: --jwt_algorithm (HS256|RS256),
// --jwt_key_file (the HS256 secret or the RS256 public key PEM), --jwt_issuer, --jwt_audience,
// --jwt_leeway (each also ETNIK_*). A missing key file is a clear error at start-up.
absl::StatusOr<Authenticator> AuthenticatorFromFlags(const Clock& clock);

}  // namespace etnik::auth

#endif  // ETNIK_COMMON_AUTH_AUTH_FLAGS_H_
