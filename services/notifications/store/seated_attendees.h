#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_SEATED_ATTENDEES_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_SEATED_ATTENDEES_H_

// Who holds a seat in a session, as scheduling's attendee events told it. A change of the
// session lists everyone registered or waiting; only the seated get reminders and invitations.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::notifications::store {

absl::Status MarkSeated(soci::session& s, const std::string& session, const std::string& recipient);
absl::Status UnmarkSeated(soci::session& s, const std::string& session, const std::string& recipient);
absl::StatusOr<bool> IsSeated(soci::session& s, const std::string& session, const std::string& recipient);

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_SEATED_ATTENDEES_H_
