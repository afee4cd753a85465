#ifndef ETNIK_COMMON_AUTH_AUTHENTICATOR_H_
#define ETNIK_COMMON_AUTH_AUTHENTICATOR_H_

// Gives a gRPC handler the caller's identity from the `authorization: Bearer <token>` metadata.

#include <map>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "common/auth/identity.h"
#include "common/auth/jwt_verifier.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/string_ref.h"

namespace etnik::auth {

inline constexpr char kAuthorizationMetadataKey[] = "authorization";

// Extracts the token from an `authorization` value "Bearer <token>" (scheme case-insensitive).
// Anything else is UNAUTHENTICATED.
absl::StatusOr<absl::string_view> ParseBearerHeader(absl::string_view header);

class Authenticator {
 public:
  explicit Authenticator(JwtVerifier verifier) : verifier_(std::move(verifier)) {}
  static absl::StatusOr<Authenticator> Create(JwtConfig config, const Clock& clock);

  // No `authorization` metadata -> an anonymous identity (each handler decides whether anonymous
  // callers may proceed). A malformed header, several of them, or a bad token -> UNAUTHENTICATED.
  absl::StatusOr<Identity> Authenticate(const grpc::ServerContextBase& context) const;
  absl::StatusOr<Identity> AuthenticateMetadata(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const;
  // `authorization` is the header value, or nullopt when the call carried none.
  absl::StatusOr<Identity> AuthenticateHeader(absl::optional<absl::string_view> authorization) const;

  const JwtVerifier& verifier() const { return verifier_; }

 private:
  JwtVerifier verifier_;
};

}  // namespace etnik::auth

#endif  // ETNIK_COMMON_AUTH_AUTHENTICATOR_H_
