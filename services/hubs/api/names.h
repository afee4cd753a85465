#ifndef ETNIK_SERVICES_HUBS_API_NAMES_H_
#define ETNIK_SERVICES_HUBS_API_NAMES_H_

// Resource names of the hubs API, parsed into ids. A malformed name is INVALID_ARGUMENT with a
// field violation on `field`.

#include <string>
#include <utility>

#include "absl/status/statusor.h"

namespace etnik::hubs::api {

// hubs/{hub}
absl::StatusOr<std::string> ParseHubName(const std::string& name, const std::string& field);
// experts/{expert}
absl::StatusOr<std::string> ParseExpertName(const std::string& name, const std::string& field);
// hubs/{hub}/{collection}/{id}, e.g. collection "leads" or "participants": {hub, id}.
absl::StatusOr<std::pair<std::string, std::string>> ParseHubChildName(const std::string& name,
                                                                      const std::string& collection,
                                                                      const std::string& field);

}  // namespace etnik::hubs::api

#endif  // ETNIK_SERVICES_HUBS_API_NAMES_H_
