#include "common/auth/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/status/errors.h"

namespace etnik::auth {
namespace {

absl::Status BadHeader(absl::string_view message) {
  return ErrorWithInfo(absl::StatusCode::kUnauthenticated, message, "INVALID_TOKEN");
}

}  // namespace

absl::StatusOr<absl::string_view> ParseBearerHeader(absl::string_view header) {
  constexpr absl::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || !absl::EqualsIgnoreCase(header.substr(0, kScheme.size()), kScheme) ||
      header[kScheme.size()] != ' ') {
    return BadHeader("authorization metadata must be 'Bearer <token>'");
  }
  absl::string_view token = absl::StripAsciiWhitespace(header.substr(kScheme.size() + 1));
  if (token.empty()) return BadHeader("authorization metadata has no token after 'Bearer'");
  for (char c : token) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return BadHeader("authorization metadata must be 'Bearer <token>'");
    }
  }
  return token;
}

absl::StatusOr<Authenticator> Authenticator::Create(JwtConfig config, const Clock& clock) {
  absl::StatusOr<JwtVerifier> verifier = JwtVerifier::Create(std::move(config), clock);
  if (!verifier.ok()) return verifier.status();
  return Authenticator(*std::move(verifier));
}

absl::StatusOr<Identity> Authenticator::Authenticate(const grpc::ServerContextBase& context) const {
  return AuthenticateMetadata(context.client_metadata());
}

absl::StatusOr<Identity> Authenticator::AuthenticateMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const {
  auto [begin, end] = metadata.equal_range(kAuthorizationMetadataKey);
  if (begin == end) return AuthenticateHeader(absl::nullopt);
  if (std::next(begin) != end) return BadHeader("more than one authorization metadata entry");
  return AuthenticateHeader(absl::string_view(begin->second.data(), begin->second.size()));
}

absl::StatusOr<Identity> Authenticator::AuthenticateHeader(absl::optional<absl::string_view> authorization) const {
  if (!authorization.has_value()) return Identity::Anonymous();
  absl::StatusOr<absl::string_view> token = ParseBearerHeader(*authorization);
  if (!token.ok()) return token.status();
  absl::StatusOr<google::protobuf::Struct> claims = verifier_.Verify(*token);
  if (!claims.ok()) return claims.status();
  return IdentityFromClaims(*claims);
}

}  // namespace etnik::auth
