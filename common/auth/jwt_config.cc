#include "common/auth/jwt_config.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace etnik::auth {
namespace {

// A secret or a PEM key is small; a larger file is a wrong path, not a key.
constexpr std::streamoff kMaxSecretFileBytes = 64 * 1024;

}  // namespace

absl::string_view JwtAlgorithmName(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::kHs256: return "HS256";
    case JwtAlgorithm::kRs256: return "RS256";
  }
  return "unknown";
}

std::optional<JwtAlgorithm> ParseJwtAlgorithm(absl::string_view name) {
  if (name == "HS256") return JwtAlgorithm::kHs256;
  if (name == "RS256") return JwtAlgorithm::kRs256;
  return std::nullopt;
}

absl::StatusOr<std::string> ReadSecretFile(absl::string_view path) {
  if (path.empty()) return absl::InvalidArgumentError("no secret file given");
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open secret file ", path));
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) return absl::FailedPreconditionError(absl::StrCat("cannot read secret file ", path));
  if (size > kMaxSecretFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("secret file ", path, " is larger than ", kMaxSecretFileBytes, " bytes"));
  }
  in.seekg(0, std::ios::beg);
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::FailedPreconditionError(absl::StrCat("cannot read secret file ", path));
  std::string secret = std::move(content).str();
  if (!secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) return absl::InvalidArgumentError(absl::StrCat("secret file ", path, " is empty"));
  return secret;
}

absl::StatusOr<JwtConfig> LoadJwtConfig(absl::string_view algorithm, absl::string_view key_file,
                                        absl::string_view issuer, absl::string_view audience,
                                        absl::Duration leeway) {
  std::optional<JwtAlgorithm> alg = ParseJwtAlgorithm(algorithm);
  if (!alg) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown token algorithm '", algorithm, "' (expected HS256 or RS256)"));
  }
  absl::StatusOr<std::string> key = ReadSecretFile(key_file);
  if (!key.ok()) return key.status();
  JwtConfig config;
  config.algorithm = *alg;
  if (*alg == JwtAlgorithm::kHs256) {
    config.hs256_secret = *std::move(key);
  } else {
    config.rs256_public_key_pem = *std::move(key);
  }
  config.issuer = std::string(issuer);
  config.audience = std::string(audience);
  config.leeway = leeway;
  return config;
}

}  // namespace etnik::auth
