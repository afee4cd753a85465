#include "services/notifications/domain/invitation.h"

namespace etnik::notifications {

std::string BuildInvitation(const SessionInfo&, absl::string_view, absl::string_view, absl::Time) { return ""; }
std::string InvitationContentType(const SessionInfo&) { return ""; }

}  // namespace etnik::notifications
