#include "services/registration/domain/org_ids.h"

#include <cstdint>

#include "absl/strings/ascii.h"

namespace etnik::registration {
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int Digit(absl::string_view s, size_t i) { return s[i] - '0'; }

// Weighted sum of the first `n` digits, mod 11, mod 10: the INN check digit rule.
int InnCheckDigit(absl::string_view s, const int* weights, size_t n) {
  int sum = 0;
  for (size_t i = 0; i < n; ++i) sum += weights[i] * Digit(s, i);
  return sum % 11 % 10;
}

// The number formed by the first `n` digits, mod `m` (streamed so no overflow).
int PrefixMod(absl::string_view s, size_t n, int m) {
  int64_t r = 0;
  for (size_t i = 0; i < n; ++i) r = (r * 10 + Digit(s, i)) % m;
  return static_cast<int>(r);
}

}  // namespace

bool IsValidInn(absl::string_view inn) {
  if ((inn.size() != 10 && inn.size() != 12) || !AllDigits(inn)) return false;
  // The first two digits are the code of the tax office's region; 00 is never issued.
  if (inn[0] == '0' && inn[1] == '0') return false;
  if (inn.size() == 10) {
    static constexpr int kW10[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
    return InnCheckDigit(inn, kW10, 9) == Digit(inn, 9);
  }
  static constexpr int kW11[] = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
  static constexpr int kW12[] = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
  return InnCheckDigit(inn, kW11, 10) == Digit(inn, 10) && InnCheckDigit(inn, kW12, 11) == Digit(inn, 11);
}

bool IsValidOgrn(absl::string_view ogrn) {
  if (!AllDigits(ogrn)) return false;
  if (ogrn.size() == 13) {
    // Legal entities' OGRN starts with 1 or 5 (other leading digits are record numbers, not OGRN).
    if (ogrn[0] != '1' && ogrn[0] != '5') return false;
    return PrefixMod(ogrn, 12, 11) % 10 == Digit(ogrn, 12);
  }
  if (ogrn.size() == 15) {
    // OGRNIP (individual entrepreneurs) starts with 3.
    if (ogrn[0] != '3') return false;
    return PrefixMod(ogrn, 14, 13) % 10 == Digit(ogrn, 14);
  }
  return false;
}

}  // namespace etnik::registration
