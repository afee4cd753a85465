#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_SLOTS_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_SLOTS_H_

// Earliest free slots where every given expert (and the room) could host a session.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/interval.h"

namespace etnik::scheduling {

struct SlotHost {
  ExpertProfile profile;
  std::vector<Interval> busy;              // reserved ranges (already including the buffer)
  int32_t weekly_limit = 0;                // 0: none
  std::vector<absl::Time> hosted_starts;   // starts of sessions the expert hosts near the range
};

struct SlotSearch {
  Interval range;  // where slots may lie (search range within the stage window)
  absl::Duration duration;
  absl::Duration granularity = absl::Minutes(15);
  absl::TimeZone zone;  // candidate starts fall on multiples of granularity of this zone's clock
  int max_results = 10;
  absl::Duration expert_buffer;
  std::vector<SlotHost> hosts;
  std::vector<Interval> room_busy;
};

// At most max_results slots, earliest first. INVALID_ARGUMENT for a non-positive duration or
// granularity, or an expert whose zone cannot be loaded.
absl::StatusOr<std::vector<Interval>> SuggestSlots(const SlotSearch& search);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_SLOTS_H_
