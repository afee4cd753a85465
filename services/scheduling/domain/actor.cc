#include "services/scheduling/domain/actor.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/domain/event.h"

namespace etnik::scheduling {

bool Actor::CanManageHub(absl::string_view hub) const {
  if (staff()) return true;
  if (anonymous || hub.empty() || !manages_hub) return false;
  return manages_hub(HubIdOf(hub));
}

absl::Status Denied(const Actor& actor, absl::string_view what) {
  if (actor.anonymous) {
    return ErrorWithInfo(absl::StatusCode::kUnauthenticated,
                         absl::StrCat("sign in to ", what), "UNAUTHENTICATED");
  }
  return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                       absl::StrCat(actor.subject, " may not ", what), kReasonPermissionDenied,
                       {{"subject", actor.subject}});
}

}  // namespace etnik::scheduling
