#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_REGIONS_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_REGIONS_H_

// The subjects of the Russian Federation with ISO 3166-2 style codes ("RU-MOW", "RU-SPE",
// "RU-TA", ..., including "RU-CR" and "RU-SEV"), named in Russian and English.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace etnik::registration {

struct Region {
  std::string code;
  std::string name_ru;
  std::string name_en;
};

// All subjects, in the order of the ISO code.
const std::vector<Region>& RussianRegions();

// The region with exactly this code, or nullptr when unknown.
const Region* FindRegion(absl::string_view code);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_REGIONS_H_
