#ifndef ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_INVITATION_H_
#define ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_INVITATION_H_

// An RFC 5545 / RFC 5546 (iTIP) invitation for one session, attached to booking and
// registration confirmations: METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED. CRLF line
// ends, lines folded at 75 octets (never inside a UTF-8 character), TEXT values escaped, and a
// VTIMEZONE for the session's zone built from its real transitions.

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace etnik::notifications {

struct SessionInfo {
  std::string uid;       // stable per session, e.g. "events.e1.sessions.s1@etnik"
  std::string title;
  std::string location;  // place in words; empty online
  std::string url;       // online join link; empty in person
  absl::Time start;
  absl::Time end;
  std::string zone;      // IANA zone the session was planned in; UTC when unknown
  int sequence = 0;      // grows with every reschedule so calendars replace the old copy
  bool cancelled = false;
};

// The VCALENDAR text. Addresses are "a@b" or "Name <a@b>" (the name becomes CN). The attendee
// registered themselves, so PARTSTAT is ACCEPTED and no reply is asked for (RSVP=FALSE).
std::string BuildInvitation(const SessionInfo& s, absl::string_view organizer_email,
                            absl::string_view attendee_email, absl::Time now);

// Content type of the attachment for `s` ("text/calendar; method=REQUEST; charset=UTF-8").
std::string InvitationContentType(const SessionInfo& s);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_INVITATION_H_
