#ifndef ETNIK_COMMON_AUTH_TEST_KEYS_H_
#define ETNIK_COMMON_AUTH_TEST_KEYS_H_

// Test-only signing: RSA key pairs generated in-process and a raw token builder, so tests can
// craft any header (alg "none", swapped algorithms, crit ...) and any payload.

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

struct evp_pkey_st;

namespace etnik::auth::testkeys {

inline constexpr char kSecret[] = "etnik-test-secret-0123456789abcdefghij";
inline constexpr char kOtherSecret[] = "another-secret-9876543210zyxwvutsrqpo";

struct RsaKeyPair {
  std::shared_ptr<evp_pkey_st> key;  // private + public
  std::string public_pem;           // "-----BEGIN PUBLIC KEY-----..."
};

RsaKeyPair GenerateRsaKeyPair(int bits);
// Two distinct 2048-bit pairs, generated once per process.
const RsaKeyPair& KeyPairA();
const RsaKeyPair& KeyPairB();

using Signer = std::function<std::string(absl::string_view signing_input)>;
Signer Hs256Signer(absl::string_view secret);
Signer Rs256Signer(const RsaKeyPair& pair);

// base64url(header) "." base64url(payload) "." base64url(sign(...)).
std::string BuildToken(absl::string_view header_json, absl::string_view payload_json, const Signer& sign);

// A payload with the usual claims; `extra` is appended inside the object (e.g. R"(,"x":1)").
std::string Payload(absl::Time now, absl::string_view iss = "etnik", absl::string_view aud_json = R"("etnik")",
                    absl::Duration ttl = absl::Hours(1), absl::string_view extra = "");

}  // namespace etnik::auth::testkeys

#endif  // ETNIK_COMMON_AUTH_TEST_KEYS_H_
