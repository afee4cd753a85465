#include "services/scheduling/domain/slots.h"

#include <algorithm>

namespace etnik::scheduling {
namespace {

// Guards against a huge range with a tiny step.
constexpr int64_t kMaxCandidates = 200000;

bool OverlapsAny(const std::vector<Interval>& normalized, const Interval& range) {
  auto it = std::upper_bound(normalized.begin(), normalized.end(), range.start,
                             [](absl::Time t, const Interval& i) { return t < i.end; });
  return it != normalized.end() && it->start < range.end;
}

// The first instant at or after `t` whose local clock in `zone` is a multiple of `step` since
// local midnight.
absl::Time AlignUp(absl::Time t, absl::Duration step, const absl::TimeZone& zone) {
  absl::CivilSecond local = absl::ToCivilSecond(t, zone);
  absl::CivilDay day(local);
  int64_t since_midnight = local - absl::CivilSecond(day);
  int64_t step_s = std::max<int64_t>(1, absl::ToInt64Seconds(step));
  int64_t rounded = (since_midnight + step_s - 1) / step_s * step_s;
  absl::Time aligned = absl::FromCivil(absl::CivilSecond(day) + rounded, zone);
  return aligned < t ? aligned + step : aligned;
}

}  // namespace

absl::StatusOr<std::vector<Interval>> SuggestSlots(const SlotSearch& search) {
  if (search.duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the slot duration must be positive");
  }
  if (search.granularity < absl::Minutes(1)) {
    return absl::InvalidArgumentError("the granularity must be at least one minute");
  }
  std::vector<Interval> out;
  if (search.range.length() < search.duration || search.max_results <= 0) return out;
  struct HostState {
    const SlotHost* host;
    std::vector<Interval> available;
    std::vector<Interval> busy;
    std::vector<absl::Time> starts;
    absl::TimeZone zone;
  };
  std::vector<HostState> hosts;
  for (const SlotHost& h : search.hosts) {
    HostState s{&h, {}, Normalize(h.busy), h.hosted_starts, absl::UTCTimeZone()};
    absl::StatusOr<std::vector<Interval>> available = AvailableIntervals(h.profile, search.range);
    if (!available.ok()) return available.status();
    s.available = *std::move(available);
    absl::LoadTimeZone(h.profile.time_zone, &s.zone);
    std::sort(s.starts.begin(), s.starts.end());
    hosts.push_back(std::move(s));
  }
  const std::vector<Interval> room_busy = Normalize(search.room_busy);
  int64_t candidates = 0;
  for (absl::Time start = AlignUp(search.range.start, search.granularity, search.zone);
       start + search.duration <= search.range.end && candidates < kMaxCandidates;
       start += search.granularity, ++candidates) {
    const Interval slot{start, start + search.duration};
    if (OverlapsAny(room_busy, slot)) continue;
    bool fits = true;
    for (const HostState& h : hosts) {
      if (!Covers(h.available, slot) ||
          OverlapsAny(h.busy, {slot.start, slot.end + search.expert_buffer})) {
        fits = false;
        break;
      }
      if (h.host->weekly_limit > 0) {
        Interval week = WeekOf(start, h.zone);
        auto lo = std::lower_bound(h.starts.begin(), h.starts.end(), week.start);
        auto hi = std::lower_bound(h.starts.begin(), h.starts.end(), week.end);
        if (hi - lo >= h.host->weekly_limit) {
          fits = false;
          break;
        }
      }
    }
    if (!fits) continue;
    out.push_back(slot);
    if (static_cast<int>(out.size()) >= search.max_results) break;
  }
  return out;
}

}  // namespace etnik::scheduling
