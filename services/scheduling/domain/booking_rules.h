#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_BOOKING_RULES_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_BOOKING_RULES_H_

// The rules a booking must pass. Pure functions: the use cases feed them data read in the
// booking's transaction, so what they check still holds when the transaction commits.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/event.h"
#include "services/scheduling/domain/interval.h"
#include "services/scheduling/domain/read_models.h"
#include "services/scheduling/domain/session.h"
#include "services/scheduling/domain/venue.h"

namespace etnik::scheduling {

struct BookingPolicy {
  // Free time an expert needs after a session before the next one starts.
  absl::Duration expert_buffer = absl::ZeroDuration();
  // Sessions an expert may host per local week (Monday-Sunday in the expert's zone); 0: no limit.
  // An expert's own limit (ExpertProfile::weekly_session_limit) overrides it.
  int32_t weekly_limit = 0;
};

// A claim on one resource for a range: what the reservation table must hold without overlap.
struct Claim {
  std::string resource;  // experts/{expert} or venues/{venue}/rooms/{room_id}
  Interval range;
};

// Claims of a session: each host for [start, end + buffer) so back-to-back sessions of one expert
// keep the buffer between them, and the room for [start, end).
std::vector<Claim> ClaimsFor(const Session& session, const BookingPolicy& policy);

// INVALID_ARGUMENT listing every bad field of a session about to be booked in `event` (the room's
// venue, when the session has a room, is `venue`). `prefix` names the request field.
absl::Status ValidateSessionFields(const Session& session, const Event& event, const Venue* venue,
                                   absl::string_view prefix);

// FAILED_PRECONDITION OUTSIDE_STAGE_WINDOW unless the session lies inside the stage's window.
absl::Status CheckStageWindow(const Interval& session, const StageWindow& stage);

// FAILED_PRECONDITION EXPERT_UNAVAILABLE unless the expert is available for all of `range`.
absl::Status CheckAvailable(const ExpertProfile& expert, const Interval& range);

// The limit that applies to `expert` (0: none).
int32_t WeeklyLimitOf(const ExpertProfile& expert, const BookingPolicy& policy);

// The week, in the expert's zone, a session starting at `start` counts in.
Interval LimitWeek(const ExpertProfile& expert, absl::Time start);

// FAILED_PRECONDITION WEEKLY_LIMIT_EXCEEDED.
absl::Status WeeklyLimitError(absl::string_view expert, int32_t limit, const Interval& week);

// The booking conflict for a reservation refused on `resource` because `holder` (a session
// name) holds it; `holder_session` is that session when it could be read.
absl::Status ConflictError(absl::string_view resource, absl::string_view holder,
                           const Session* holder_session, const Interval& holder_range);

// The capacity a new session gets: its own, else the event's default, else the room's.
int32_t EffectiveCapacity(const Session& session, const Event& event, const Room* room);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_BOOKING_RULES_H_
