#include "common/auth/auth_flags.h"

#include "absl/flags/flag.h"
#include "common/auth/jwt_config.h"

ABSL_FLAG(std::string, jwt_algorithm, "HS256", "Bearer token algorithm: HS256 or RS256 (pinned)");
ABSL_FLAG(std::string, jwt_key_file, "", "File with the HS256 secret or the RS256 public key (PEM)");
ABSL_FLAG(std::string, jwt_issuer, "etnik", "Required token issuer (iss)");
ABSL_FLAG(std::string, jwt_audience, "etnik", "Required token audience (aud)");
ABSL_FLAG(absl::Duration, jwt_leeway, absl::Seconds(30), "Clock skew allowed for exp and nbf");

namespace etnik::auth {

absl::StatusOr<Authenticator> AuthenticatorFromFlags(const Clock& clock) {
  absl::StatusOr<JwtConfig> config =
      LoadJwtConfig(absl::GetFlag(FLAGS_jwt_algorithm), absl::GetFlag(FLAGS_jwt_key_file),
                    absl::GetFlag(FLAGS_jwt_issuer), absl::GetFlag(FLAGS_jwt_audience), absl::GetFlag(FLAGS_jwt_leeway));
  if (!config.ok()) return config.status();
  return Authenticator::Create(*std::move(config), clock);
}

}  // namespace etnik::auth
