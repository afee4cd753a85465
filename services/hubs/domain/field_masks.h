#ifndef ETNIK_SERVICES_HUBS_DOMAIN_FIELD_MASKS_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_FIELD_MASKS_H_

// AIP-134 partial updates: copies the fields named by an update mask (paths as in the API,
// e.g. "title.ru", "weekly_availability"; empty or "*" means every writable field).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/hubs/domain/model.h"

namespace etnik::hubs {

// INVALID_ARGUMENT (field "update_mask") for a path that is unknown, immutable or output only.
absl::Status ApplyHubMask(const std::vector<std::string>& paths, const Hub& from, Hub* to);
absl::Status ApplyExpertMask(const std::vector<std::string>& paths, const Expert& from, Expert* to);

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_FIELD_MASKS_H_
