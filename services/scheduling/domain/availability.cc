#include "services/scheduling/domain/availability.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace etnik::scheduling {
namespace {

bool ValidMinute(LocalMinute m) { return m >= 0 && m <= 24 * 60; }

}  // namespace

absl::Time LocalToInstant(absl::CivilDay day, LocalMinute minute, const absl::TimeZone& zone) {
  absl::CivilMinute cm = absl::CivilMinute(day) + minute;
  absl::TimeZone::TimeInfo info = zone.At(cm);
  // REPEATED: `pre` is the first occurrence; SKIPPED: `pre` uses the offset before the change.
  return info.pre;
}

Interval WeekOf(absl::Time t, const absl::TimeZone& zone) {
  absl::CivilDay day = absl::ToCivilDay(t, zone);
  absl::CivilDay monday = day;
  if (absl::GetWeekday(day) != absl::Weekday::monday) {
    monday = absl::PrevWeekday(day, absl::Weekday::monday);
  }
  return {LocalToInstant(monday, 0, zone), LocalToInstant(monday + 7, 0, zone)};
}

absl::Status ValidateExpertProfile(const ExpertProfile& profile) {
  std::vector<FieldViolation> violations;
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(profile.time_zone, &zone) || profile.time_zone.empty()) {
    violations.push_back({"expert.time_zone", "must be an IANA time zone"});
  }
  for (size_t i = 0; i < profile.weekly.size(); ++i) {
    const WeeklyWindow& w = profile.weekly[i];
    if (!ValidMinute(w.start) || !ValidMinute(w.end) || w.start >= w.end) {
      violations.push_back({absl::StrCat("expert.weekly_availability[", i, "]"),
                            "start must be before end, both within the day"});
    }
  }
  for (size_t i = 0; i < profile.exceptions.size(); ++i) {
    const AvailabilityException& e = profile.exceptions[i];
    if (e.start.has_value() != e.end.has_value() ||
        (e.start.has_value() && (!ValidMinute(*e.start) || !ValidMinute(*e.end) || *e.start >= *e.end))) {
      violations.push_back({absl::StrCat("expert.availability_exceptions[", i, "]"),
                            "give both start and end (start before end) or neither"});
    }
  }
  if (!violations.empty()) return InvalidArgumentError("invalid expert availability", violations);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Interval>> AvailableIntervals(const ExpertProfile& profile,
                                                          const Interval& range) {
  absl::TimeZone zone;
  if (profile.time_zone.empty() || !absl::LoadTimeZone(profile.time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("expert ", profile.expert, " has an unknown time zone '", profile.time_zone, "'"));
  }
  if (range.empty()) return std::vector<Interval>{};
  // One local day of margin on each side: a window of the previous local date can reach into
  // the range, and zone offsets are at most +-14 h.
  const absl::CivilDay first = absl::ToCivilDay(range.start, zone) - 1;
  const absl::CivilDay last = absl::ToCivilDay(range.end, zone) + 1;
  std::vector<Interval> weekly, added, removed;
  for (absl::CivilDay day = first; day <= last; ++day) {
    const absl::Weekday weekday = absl::GetWeekday(day);
    for (const WeeklyWindow& w : profile.weekly) {
      if (w.day != weekday) continue;
      weekly.push_back({LocalToInstant(day, w.start, zone), LocalToInstant(day, w.end, zone)});
    }
    for (const AvailabilityException& e : profile.exceptions) {
      if (e.date != day) continue;
      Interval span{LocalToInstant(day, 0, zone), LocalToInstant(day + 1, 0, zone)};
      if (e.start.has_value() && e.end.has_value()) {
        span = {LocalToInstant(day, *e.start, zone), LocalToInstant(day, *e.end, zone)};
      }
      (e.available ? added : removed).push_back(span);
    }
  }
  // (weekly - removed) + added: a dated removal beats the weekly windows, and a dated addition
  // wins over a removal, so "away all day except 14:00-16:00" is two exceptions.
  std::vector<Interval> result = Subtract(Normalize(std::move(weekly)), Normalize(std::move(removed)));
  result.insert(result.end(), added.begin(), added.end());
  return Intersect(Normalize(std::move(result)), {range});
}

absl::StatusOr<bool> IsAvailable(const ExpertProfile& profile, const Interval& range) {
  absl::StatusOr<std::vector<Interval>> available = AvailableIntervals(profile, range);
  if (!available.ok()) return available.status();
  return Covers(*available, range);
}

}  // namespace etnik::scheduling
