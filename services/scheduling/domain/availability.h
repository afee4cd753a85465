#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_AVAILABILITY_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_AVAILABILITY_H_

// When an expert can host sessions: weekly windows plus dated exceptions, all in the expert's
// own IANA zone. Local times are turned into instants per date with absl::TimeZone, so a window
// "Monday 10:00-18:00 Europe/Berlin" is 08:00-16:00 UTC in summer and 09:00-17:00 UTC in winter.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/scheduling/domain/interval.h"
#include "services/scheduling/domain/types.h"

namespace etnik::scheduling {

// Minutes since local midnight, 0..1440 (1440 only as an exclusive end).
using LocalMinute = int32_t;

struct WeeklyWindow {
  absl::Weekday day = absl::Weekday::monday;
  LocalMinute start = 0;
  LocalMinute end = 0;
};

struct AvailabilityException {
  absl::CivilDay date;
  bool available = false;  // true adds time, false removes it
  // Both unset: the whole day.
  std::optional<LocalMinute> start;
  std::optional<LocalMinute> end;
  std::string note;
};

// What scheduling knows about an expert (a read model fed by the hubs service's events).
struct ExpertProfile {
  std::string expert;  // experts/{expert}
  LocalizedText full_name;
  std::string subject;
  std::string email;
  Language language = Language::kUnspecified;
  std::string time_zone;
  std::vector<WeeklyWindow> weekly;  // empty: never available (except added exceptions)
  std::vector<AvailabilityException> exceptions;
  std::vector<std::string> hubs;
  int32_t weekly_session_limit = 0;  // 0: the service-wide limit
};

// INVALID_ARGUMENT for a bad zone, reversed windows or minutes out of range.
absl::Status ValidateExpertProfile(const ExpertProfile& profile);

// The expert's available instants overlapping [range.start, range.end), normalized (touching
// windows, e.g. 22:00-24:00 and 00:00-02:00 next day, merge into one).
// INVALID_ARGUMENT when the zone cannot be loaded.
absl::StatusOr<std::vector<Interval>> AvailableIntervals(const ExpertProfile& profile,
                                                          const Interval& range);

// True when the expert is available for all of `range`.
absl::StatusOr<bool> IsAvailable(const ExpertProfile& profile, const Interval& range);

// The instant of local `day` + `minute` in `zone`. A local time skipped by a DST change maps
// to the instant it would have had before the change (absl's `pre`, i.e. later on the clock);
// a repeated local time maps to its first occurrence.
absl::Time LocalToInstant(absl::CivilDay day, LocalMinute minute, const absl::TimeZone& zone);

// The local week (Monday 00:00 to the next Monday 00:00 in `zone`) holding `t`.
Interval WeekOf(absl::Time t, const absl::TimeZone& zone);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_AVAILABILITY_H_
