#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_FORMATS_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_FORMATS_H_

// Format checks shared by answers, organisations and contact people.

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace etnik::registration {

// Number of code points when `text` is valid UTF-8 (no overlongs, surrogates or > U+10FFFF);
// nullopt otherwise. Lengths shown to people count characters, not bytes.
std::optional<size_t> Utf8Length(absl::string_view text);

// A user-supplied value made fit for a message: bytes that are not UTF-8 become U+FFFD and the
// text is cut to `max_chars` code points (with "…"), so descriptions always serialise.
std::string DisplayValue(absl::string_view value, size_t max_chars = 80);

// True when the text is empty or only ASCII whitespace (an unanswered text question).
bool IsBlank(absl::string_view text);

// A plain mailbox address: local@domain.tld, no spaces, at most 254 bytes.
bool IsValidEmail(absl::string_view email);

// A Russian number (+7XXXXXXXXXX or 8XXXXXXXXXX) or any E.164 number (+ and 8..15 digits);
// spaces, hyphens and parentheses between digits are allowed.
bool IsValidPhone(absl::string_view phone);

// An absolute http:// or https:// URL with a host and no spaces.
bool IsValidHttpUrl(absl::string_view url);

// A zone the time zone database knows, such as "Europe/Moscow".
bool IsValidTimeZone(absl::string_view iana_zone);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_FORMATS_H_
