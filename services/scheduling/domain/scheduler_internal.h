#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_SCHEDULER_INTERNAL_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_SCHEDULER_INTERNAL_H_

// Helpers shared by the scheduler_*.cc files; not part of the domain's interface.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/scheduling/domain/actor.h"

namespace etnik::scheduling::internal {

// Idempotency key of a request: the method and the caller, so two callers never share a key.
std::string RequestKey(absl::string_view method, const Actor& actor, absl::string_view request_id);

// INVALID_ARGUMENT for an over-long request id.
absl::Status ValidateRequestId(absl::string_view request_id);

// INVALID_ARGUMENT unless `id` is empty or a valid resource id.
absl::Status ValidateChosenId(absl::string_view id, absl::string_view field);

// ABORTED when `etag` is given and differs from the current version's.
absl::Status CheckEtag(absl::string_view name, absl::string_view etag, int64_t version);

}  // namespace etnik::scheduling::internal

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_SCHEDULER_INTERNAL_H_
