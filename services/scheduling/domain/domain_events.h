#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_DOMAIN_EVENTS_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_DOMAIN_EVENTS_H_

// Facts the scheduling domain publishes, in plain C++. The store maps them to
// etnik.events.v1.DomainEvent and writes them to the outbox in the transaction of the change.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/scheduling/domain/attendee.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/event.h"
#include "services/scheduling/domain/read_models.h"
#include "services/scheduling/domain/session.h"

namespace etnik::scheduling {

enum class FactType {
  kSessionBooked,
  kSessionRescheduled,
  kSessionCancelled,
  kAttendeeRegistered,
  kAttendeePromoted,
  kAttendeeCancelled,
  kAttendeeCheckedIn,
};

// What a message about a session needs besides the session itself.
struct SessionContext {
  Event event;
  std::optional<HubInfo> hub;
  std::vector<ExpertProfile> hosts;  // in the session's host order; unknown experts skipped
  std::string location;              // venue, room and address in words; empty online
};

struct Fact {
  FactType type = FactType::kSessionBooked;
  std::string event_id;   // unique; consumers deduplicate on it
  std::string aggregate;  // resource name of the changed session or attendee
  int64_t aggregate_version = 0;
  absl::Time occur_time;
  std::string actor;
  std::string request_id;
  Session session;  // as it is after the change
  SessionContext context;
  // Reschedule: where and when it was before.
  Interval previous;
  std::string previous_time_zone;
  std::string previous_location;
  std::string reason;               // cancellation
  std::vector<Attendee> attendees;  // reschedule / cancel: everyone registered or waiting
  Attendee attendee;                // attendee facts
  bool waitlisted = false;          // registered onto / cancelled from the waiting list
};

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_DOMAIN_EVENTS_H_
