#include "common/auth/jwt_verifier.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/base64url.h"
#include "common/status/errors.h"
#include "google/protobuf/util/json_util.h"
#include "openssl/bio.h"
#include "openssl/crypto.h"
#include "openssl/err.h"
#include "openssl/evp.h"
#include "openssl/hmac.h"
#include "openssl/pem.h"

namespace etnik::auth {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr int kMinRsaBits = 2048;

absl::Status InvalidToken(absl::string_view message) {
  return ErrorWithInfo(absl::StatusCode::kUnauthenticated, message, "INVALID_TOKEN");
}

// Keycloak shows a realm key as the bare base64 body of the PEM; accept both forms.
std::string ToPem(absl::string_view key) {
  if (absl::StrContains(key, "-----BEGIN")) return std::string(key);
  std::string body;
  for (char c : key) {
    if (c != '\n' && c != '\r' && c != ' ') body.push_back(c);
  }
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t i = 0; i < body.size(); i += 64) absl::StrAppend(&pem, body.substr(i, 64), "\n");
  absl::StrAppend(&pem, "-----END PUBLIC KEY-----\n");
  return pem;
}

absl::StatusOr<std::shared_ptr<evp_pkey_st>> LoadRsaPublicKey(absl::string_view key) {
  std::string pem = ToPem(key);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                &BIO_free);
  if (!bio) return absl::ResourceExhaustedError("cannot allocate an OpenSSL buffer");
  EVP_PKEY* raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (raw == nullptr) {
    return absl::InvalidArgumentError("RS256 public key is not a PEM public key (BEGIN PUBLIC KEY)");
  }
  std::shared_ptr<evp_pkey_st> pkey(raw, &EVP_PKEY_free);
  if (!EVP_PKEY_is_a(raw, "RSA")) return absl::InvalidArgumentError("RS256 public key is not an RSA key");
  if (EVP_PKEY_get_bits(raw) < kMinRsaBits) {
    return absl::InvalidArgumentError(absl::StrCat("RS256 public key is shorter than ", kMinRsaBits, " bits"));
  }
  return pkey;
}

absl::StatusOr<Struct> ParseJsonObject(const std::string& json, absl::string_view what) {
  Struct out;
  if (!google::protobuf::util::JsonStringToMessage(json, &out).ok()) {
    return InvalidToken(absl::StrCat("token ", what, " is not a JSON object"));
  }
  return out;
}

// A NumericDate claim (seconds since the epoch). Absent -> nullopt; any other type -> error.
absl::StatusOr<std::optional<absl::Time>> ReadTime(const Struct& claims, const std::string& key) {
  auto it = claims.fields().find(key);
  if (it == claims.fields().end()) return std::optional<absl::Time>();
  if (it->second.kind_case() != Value::kNumberValue || !std::isfinite(it->second.number_value())) {
    return InvalidToken(absl::StrCat("token claim '", key, "' must be a number of seconds"));
  }
  return std::optional<absl::Time>(absl::UnixEpoch() + absl::Seconds(it->second.number_value()));
}

bool AudienceMatches(const Value& aud, const std::string& expected) {
  if (aud.kind_case() == Value::kStringValue) return aud.string_value() == expected;
  if (aud.kind_case() != Value::kListValue) return false;
  for (const Value& v : aud.list_value().values()) {
    if (v.kind_case() == Value::kStringValue && v.string_value() == expected) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<JwtVerifier> JwtVerifier::Create(JwtConfig config, const Clock& clock) {
  if (config.issuer.empty()) return absl::InvalidArgumentError("token issuer must be configured");
  if (config.audience.empty()) return absl::InvalidArgumentError("token audience must be configured");
  if (config.leeway < absl::ZeroDuration()) return absl::InvalidArgumentError("token leeway must not be negative");
  if (config.max_token_bytes == 0) return absl::InvalidArgumentError("maximum token size must be positive");
  std::shared_ptr<evp_pkey_st> key;
  switch (config.algorithm) {
    case JwtAlgorithm::kHs256:
      if (config.hs256_secret.size() < kMinHs256SecretBytes) {
        return absl::InvalidArgumentError(
            absl::StrCat("HS256 secret must be at least ", kMinHs256SecretBytes, " bytes"));
      }
      break;
    case JwtAlgorithm::kRs256: {
      absl::StatusOr<std::shared_ptr<evp_pkey_st>> loaded = LoadRsaPublicKey(config.rs256_public_key_pem);
      if (!loaded.ok()) return loaded.status();
      key = *std::move(loaded);
      break;
    }
  }
  return JwtVerifier(std::move(config), clock, std::move(key));
}

bool JwtVerifier::SignatureMatches(absl::string_view signing_input, absl::string_view signature) const {
  if (config_.algorithm == JwtAlgorithm::kHs256) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (HMAC(EVP_sha256(), config_.hs256_secret.data(), static_cast<int>(config_.hs256_secret.size()),
             reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
             &mac_len) == nullptr) {
      ERR_clear_error();
      return false;
    }
    // Constant time, so the comparison does not leak how many leading bytes were right.
    return signature.size() == mac_len && CRYPTO_memcmp(mac, signature.data(), mac_len) == 0;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  bool ok = ctx != nullptr &&
            EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, public_key_.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(signing_input.data()),
                             signing_input.size()) == 1;
  ERR_clear_error();
  return ok;
}

absl::StatusOr<Struct> JwtVerifier::Verify(absl::string_view token) const {
  if (token.size() > config_.max_token_bytes) {
    return InvalidToken(absl::StrCat("token is longer than ", config_.max_token_bytes, " bytes"));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return InvalidToken("token is not a compact JWS (header.payload.signature)");
  if (parts[0].empty()) return InvalidToken("token has no header");
  if (parts[1].empty()) return InvalidToken("token has no payload");
  if (parts[2].empty()) return InvalidToken("token has no signature");

  std::optional<std::string> header_json = Base64UrlDecode(parts[0]);
  if (!header_json) return InvalidToken("token header is not valid base64url");
  absl::StatusOr<Struct> header = ParseJsonObject(*header_json, "header");
  if (!header.ok()) return header.status();
  // The algorithm is pinned by configuration, never chosen by the token: this refuses "none"
  // and the RS256 -> HS256 swap where the public key is used as an HMAC secret.
  auto alg = header->fields().find("alg");
  if (alg == header->fields().end() || alg->second.kind_case() != Value::kStringValue) {
    return InvalidToken("token header has no algorithm");
  }
  if (alg->second.string_value() != JwtAlgorithmName(config_.algorithm)) {
    return InvalidToken(
        absl::StrCat("token algorithm is not accepted (expected ", JwtAlgorithmName(config_.algorithm), ")"));
  }
  // RFC 7515 section 4.1.11: critical extensions we do not understand must be refused.
  if (header->fields().count("crit") > 0) return InvalidToken("token header has critical extensions");

  std::optional<std::string> signature = Base64UrlDecode(parts[2]);
  if (!signature) return InvalidToken("token signature is not valid base64url");
  // The signature covers the encoded header and payload exactly as sent.
  absl::string_view signing_input = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!SignatureMatches(signing_input, *signature)) return InvalidToken("token signature is not valid");

  // Only signed content is parsed beyond this point.
  std::optional<std::string> payload_json = Base64UrlDecode(parts[1]);
  if (!payload_json) return InvalidToken("token payload is not valid base64url");
  absl::StatusOr<Struct> claims = ParseJsonObject(*payload_json, "payload");
  if (!claims.ok()) return claims.status();

  const absl::Time now = clock_->Now();
  absl::StatusOr<std::optional<absl::Time>> exp = ReadTime(*claims, "exp");
  if (!exp.ok()) return exp.status();
  if (!exp->has_value()) return InvalidToken("token has no expiry ('exp' claim)");
  if (now >= **exp + config_.leeway) {
    return ErrorWithInfo(absl::StatusCode::kUnauthenticated, "token has expired", "TOKEN_EXPIRED");
  }
  absl::StatusOr<std::optional<absl::Time>> nbf = ReadTime(*claims, "nbf");
  if (!nbf.ok()) return nbf.status();
  if (nbf->has_value() && now < **nbf - config_.leeway) return InvalidToken("token is not valid yet");

  auto iss = claims->fields().find("iss");
  if (iss == claims->fields().end() || iss->second.kind_case() != Value::kStringValue ||
      iss->second.string_value() != config_.issuer) {
    return InvalidToken(absl::StrCat("token issuer is not accepted (expected ", config_.issuer, ")"));
  }
  auto aud = claims->fields().find("aud");
  if (aud == claims->fields().end() || !AudienceMatches(aud->second, config_.audience)) {
    return InvalidToken(absl::StrCat("token audience is not accepted (expected ", config_.audience, ")"));
  }
  return claims;
}

}  // namespace etnik::auth
