#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_SESSION_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_SESSION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/scheduling/domain/interval.h"
#include "services/scheduling/domain/types.h"

namespace etnik::scheduling {

struct OnlineRoom {
  std::string join_uri;
  std::string platform;
  std::string access_code;
  bool empty() const { return join_uri.empty() && platform.empty() && access_code.empty(); }
};

// One session of an event. Instants are absolute; `time_zone` is the zone it was planned in and
// only changes how it is shown, never when it happens. Resource name
// events/{event_id}/sessions/{id}.
struct Session {
  std::string event_id;
  std::string id;
  LocalizedText title;
  LocalizedText description;
  absl::Time start;
  absl::Time end;
  std::string time_zone;
  std::vector<std::string> hosts;  // experts/{expert}
  std::string hub;                 // hubs/{hub}
  std::string room;                // venues/{venue}/rooms/{room_id}; empty online
  OnlineRoom online_room;
  int32_t capacity = 0;  // 0: the room's capacity, or unlimited online
  std::string track;
  SessionState state = SessionState::kScheduled;
  std::string cancel_reason;
  // Copied from the event so listings filter without a join.
  EventKind event_kind = EventKind::kUnspecified;
  std::string programme;
  std::string stage;
  int32_t sequence = 0;  // raised on each change of time, place or state (iCalendar SEQUENCE)
  int32_t registered_count = 0;
  int32_t waitlisted_count = 0;
  int32_t checked_in_count = 0;
  int64_t attendee_seq = 0;  // last registration number handed out; orders the waiting list
  std::string booked_by;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;

  std::string name() const { return "events/" + event_id + "/sessions/" + id; }
  Interval interval() const { return {start, end}; }
  // Seats, 0 meaning unlimited.
  int32_t seat_limit() const { return capacity; }
};

// events/{event}/sessions/{session}, split.
struct SessionRef {
  std::string event_id;
  std::string session_id;
  std::string name() const { return "events/" + event_id + "/sessions/" + session_id; }
};
std::optional<SessionRef> ParseSessionName(absl::string_view name);

// events/{event}/sessions/{session}/attendees/{attendee}, split.
struct AttendeeRef {
  SessionRef session;
  std::string attendee_id;
  std::string name() const { return session.name() + "/attendees/" + attendee_id; }
};
std::optional<AttendeeRef> ParseAttendeeName(absl::string_view name);

// Longest session accepted (a seminar day, a marathon-fair day).
inline constexpr absl::Duration kMaxSessionLength = absl::Hours(24);

// The etag of a versioned resource; opaque to clients.
std::string EtagOf(int64_t version);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_SESSION_H_
