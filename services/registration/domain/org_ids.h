#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_ORG_IDS_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_ORG_IDS_H_

// Russian state registration numbers of organisations, checked with the official check digits
// so that typos are caught before an application is submitted.

#include "absl/strings/string_view.h"

namespace etnik::registration {

// INN: 10 digits (legal entity) or 12 digits (individual), with the official checksums.
bool IsValidInn(absl::string_view inn);

// OGRN: 13 digits (check digit = first 12 mod 11, mod 10) or OGRNIP: 15 digits
// (check digit = first 14 mod 13, mod 10).
bool IsValidOgrn(absl::string_view ogrn);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_ORG_IDS_H_
