#ifndef ETNIK_SERVICES_HUBS_DOMAIN_USE_CASE_SUPPORT_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_USE_CASE_SUPPORT_H_

// Helpers shared by the use case files: etags, idempotency records, state errors, cache keys.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/hubs/domain/model.h"
#include "services/hubs/domain/ports.h"

namespace etnik::hubs::internal {

inline std::string HubName(const std::string& id) { return absl::StrCat("hubs/", id); }
inline std::string ExpertName(const std::string& id) { return absl::StrCat("experts/", id); }

// ABORTED (reason ETAG_MISMATCH) when `sent` is set and is not the resource's etag.
absl::Status CheckEtag(const std::string& sent, const std::string& resource, int64_t version,
                       absl::Time create_time);

// INVALID_ARGUMENT for a request_id that is too long or has spaces or control characters.
absl::Status CheckRequestId(const std::string& request_id);
absl::Status CheckResourceId(const std::string& id, const std::string& field);

// The result of an earlier call with the same key, if there was one. A reused key with a
// different fingerprint is INVALID_ARGUMENT (reason REQUEST_ID_REUSED).
absl::StatusOr<std::optional<std::string>> Replay(HubsTransaction& tx, const std::string& method,
                                                  const std::string& request_id, const std::string& fingerprint);
// Records the result of this call (no-op without a request_id).
absl::Status Remember(HubsTransaction& tx, const std::string& method, const std::string& request_id,
                      const std::string& fingerprint, const std::string& result, absl::Time now);

// FAILED_PRECONDITION (reason HUB_WRONG_STATE) for an operation the hub's state forbids.
absl::Status WrongState(const Hub& hub, const std::string& what);
std::string StateName(HubState state);

// The hub, or NOT_FOUND.
absl::StatusOr<Hub> LoadHub(HubsTransaction& tx, const std::string& id);
absl::StatusOr<Expert> LoadExpert(HubsTransaction& tx, const std::string& id);

// Catalogue keys a change of this hub makes stale.
void AddHubKeys(const Hub& hub, std::vector<std::string>& keys);

}  // namespace etnik::hubs::internal

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_USE_CASE_SUPPORT_H_
