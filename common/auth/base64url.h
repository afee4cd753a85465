#ifndef ETNIK_COMMON_AUTH_BASE64URL_H_
#define ETNIK_COMMON_AUTH_BASE64URL_H_

// Base64url without padding (RFC 7515, section 2), the encoding of every JWS part.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace etnik::auth {

std::string Base64UrlEncode(absl::string_view data);

// Strict decoding: only the url-safe alphabet, no padding, no whitespace, and the unused low bits
// of the last character must be zero, so every byte string has exactly one accepted encoding.
// Returns nullopt on any bad input.
std::optional<std::string> Base64UrlDecode(absl::string_view encoded);

}  // namespace etnik::auth

#endif  // ETNIK_COMMON_AUTH_BASE64URL_H_
