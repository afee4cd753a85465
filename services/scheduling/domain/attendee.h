#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_ATTENDEE_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_ATTENDEE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "services/scheduling/domain/session.h"
#include "services/scheduling/domain/types.h"

namespace etnik::scheduling {

// A person registered for a session: seated, waiting, or cancelled.
struct Attendee {
  SessionRef session;
  std::string id;
  std::string participant;  // programmes/{p}/participants/{x}; empty for the public
  std::string subject;      // account that registered, if any
  std::string full_name;
  std::string email;
  std::string time_zone;
  Language language = Language::kUnspecified;
  AttendeeState state = AttendeeState::kUnspecified;
  int64_t seq = 0;               // registration order within the session
  int32_t waitlist_position = 0; // computed on read: 1-based while waiting
  absl::Time register_time;
  std::optional<absl::Time> promote_time;
  std::optional<absl::Time> cancel_time;
  std::optional<absl::Time> check_in_time;
  int64_t version = 1;

  std::string name() const { return session.name() + "/attendees/" + id; }
};

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_ATTENDEE_H_
