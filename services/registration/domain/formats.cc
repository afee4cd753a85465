#include "services/registration/domain/formats.h"

#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace etnik::registration {
namespace {

bool IsAlnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }
bool IsNonAscii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// A DNS label of a host name: letters, digits, '-' inside; non-ASCII bytes allowed for
// internationalised names such as "нко.рф" (UTF-8 validity is checked by the caller).
bool IsHostLabel(absl::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!IsAlnum(c) && c != '-' && !IsNonAscii(c)) return false;
  }
  return true;
}

bool IsDomain(absl::string_view domain, bool need_dot, bool allow_numeric_tld) {
  if (domain.empty() || domain.size() > 253) return false;
  std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (need_dot && labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (!IsHostLabel(label)) return false;
  }
  // A top-level domain is never all digits (that would be an IP address, not a mailbox domain).
  bool tld_digits = true;
  for (char c : labels.back()) tld_digits = tld_digits && absl::ascii_isdigit(static_cast<unsigned char>(c));
  return allow_numeric_tld || !tld_digits;
}

bool HasSpaceOrControl(absl::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return true;
  }
  return false;
}

}  // namespace

std::optional<size_t> Utf8Length(absl::string_view text) {
  size_t count = 0;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    auto b = static_cast<unsigned char>(text[i]);
    size_t len;
    uint32_t cp;
    if (b < 0x80) {
      ++i;
      ++count;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return std::nullopt;
    }
    if (n - i < len) return std::nullopt;
    for (size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += len;
    ++count;
  }
  return count;
}

std::string DisplayValue(absl::string_view value, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  size_t i = 0;
  while (i < value.size()) {
    if (chars == max_chars) {
      out += "\xE2\x80\xA6";
      break;
    }
    // Take the longest valid UTF-8 sequence at i (1-4 bytes); a byte that starts none is replaced.
    size_t taken = 0;
    for (size_t len = 1; len <= 4 && i + len <= value.size(); ++len) {
      std::optional<size_t> n = Utf8Length(value.substr(i, len));
      if (n && *n == 1) {
        taken = len;
        break;
      }
    }
    if (taken == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(value.data() + i, taken);
      i += taken;
    }
    ++chars;
  }
  return out;
}

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

bool IsValidEmail(absl::string_view email) {
  if (email.size() > 254 || HasSpaceOrControl(email) || !Utf8Length(email)) return false;
  size_t at = email.rfind('@');
  if (at == absl::string_view::npos) return false;
  absl::string_view local = email.substr(0, at);
  absl::string_view domain = email.substr(at + 1);
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.' || absl::StrContains(local, "..")) return false;
  static constexpr absl::string_view kLocalSpecials = "!#$%&'*+/=?^_`{|}~.-";
  for (char c : local) {
    if (!IsAlnum(c) && !IsNonAscii(c) && kLocalSpecials.find(c) == absl::string_view::npos) return false;
  }
  return IsDomain(domain, /*need_dot=*/true, /*allow_numeric_tld=*/false);
}

bool IsValidPhone(absl::string_view phone) {
  if (phone.empty() || phone.size() > 32) return false;
  bool plus = phone.front() == '+';
  absl::string_view rest = plus ? phone.substr(1) : phone;
  if (rest.empty() || !absl::ascii_isdigit(static_cast<unsigned char>(rest.front())) ||
      !absl::ascii_isdigit(static_cast<unsigned char>(rest.back()))) {
    return false;
  }
  std::string digits;
  int open_parens = 0;
  for (char c : rest) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == ' ' || c == '-') {
      continue;
    } else if (c == '(') {
      if (++open_parens > 1) return false;
    } else if (c == ')') {
      if (--open_parens < 0) return false;
    } else {
      return false;
    }
  }
  if (open_parens != 0) return false;
  if (plus) {
    // E.164: a country code never starts with 0; at most 15 digits. Russia (+7) has 10 more.
    if (digits[0] == '0' || digits.size() < 8 || digits.size() > 15) return false;
    if (digits[0] == '7') return digits.size() == 11;
    return true;
  }
  // Russian domestic form: 8 then ten digits.
  return digits.size() == 11 && digits[0] == '8';
}

bool IsValidHttpUrl(absl::string_view url) {
  if (url.size() > 2048 || HasSpaceOrControl(url) || !Utf8Length(url)) return false;
  absl::string_view rest;
  if (absl::StartsWithIgnoreCase(url, "https://")) {
    rest = url.substr(8);
  } else if (absl::StartsWithIgnoreCase(url, "http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  absl::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) authority = authority.substr(at + 1);
  absl::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    // IPv6 literal: [hex:...]; the port, if any, follows the bracket.
    size_t close = host.find(']');
    if (close == absl::string_view::npos || close == 1) return false;
    for (char c : host.substr(1, close - 1)) {
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    absl::string_view after = host.substr(close + 1);
    if (after.empty()) return true;
    if (after.front() != ':') return false;
    host = absl::string_view();
    authority = after;
  } else {
    size_t colon = host.rfind(':');
    if (colon != absl::string_view::npos) {
      authority = host.substr(colon);
      host = host.substr(0, colon);
    } else {
      authority = absl::string_view();
    }
    // Host names and IPv4 addresses (all-digit labels) are both fine for a web site.
    if (!IsDomain(host, /*need_dot=*/false, /*allow_numeric_tld=*/true)) return false;
  }
  if (!authority.empty()) {
    // ":port" with 1-5 digits.
    absl::string_view port = authority.substr(1);
    if (port.empty() || port.size() > 5) return false;
    for (char c : port) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

bool IsValidTimeZone(absl::string_view iana_zone) {
  // Only plain zone names: the loader would otherwise read absolute paths and accept
  // "localtime" or fixed-offset pseudo zones.
  if (iana_zone.empty() || iana_zone.size() > 64 || iana_zone.front() == '/' || absl::StrContains(iana_zone, "..") ||
      iana_zone == "localtime" || absl::StartsWith(iana_zone, "Fixed/")) {
    return false;
  }
  for (char c : iana_zone) {
    if (!IsAlnum(c) && c != '/' && c != '_' && c != '-' && c != '+') return false;
  }
  absl::TimeZone tz;
  return absl::LoadTimeZone(std::string(iana_zone), &tz);
}

}  // namespace etnik::registration
