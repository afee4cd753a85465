#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_ICALENDAR_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_ICALENDAR_H_

// RFC 5545 calendar feeds of sessions: CRLF line ends, lines folded at 75 octets (never inside
// a UTF-8 character), TEXT values escaped, every TZID defined by a VTIMEZONE built from the
// zone's real transitions over the sessions' span, a stable UID per session, DTSTAMP and
// LAST-MODIFIED from the session's last change (so an unchanged feed is byte-identical), and
// SEQUENCE / STATUS:CANCELLED from the session.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/scheduling/domain/interval.h"
#include "services/scheduling/domain/session.h"
#include "services/scheduling/domain/types.h"

namespace etnik::scheduling {

struct CalendarEntry {
  Session session;
  LocalizedText event_title;  // used when the session has no title
  std::string location;       // place in words; empty online
};

struct CalendarOptions {
  std::string name;  // X-WR-CALNAME
  Language language = Language::kRu;
  std::string uid_domain = "etnik";
};

// The VCALENDAR document. INVALID_ARGUMENT when a session's zone cannot be loaded.
absl::StatusOr<std::string> RenderCalendar(const std::vector<CalendarEntry>& entries,
                                           const CalendarOptions& options);

// TEXT escaping: backslash, semicolon, comma and newlines (CR dropped).
std::string EscapeText(absl::string_view text);

// One content line folded at 75 octets, ending in CRLF.
std::string FoldLine(absl::string_view line);

// The VTIMEZONE component of `zone_name` valid for instants in `span`.
absl::StatusOr<std::string> RenderVTimezone(absl::string_view zone_name, const Interval& span);

// The stable UID of a session.
std::string SessionUid(const Session& session, absl::string_view domain);

// A strong HTTP etag of a byte string (FNV-1a 64, hex, quoted).
std::string ContentEtag(absl::string_view bytes);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_ICALENDAR_H_
