#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_INTERVAL_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_INTERVAL_H_

#include <vector>

#include "absl/time/time.h"

namespace etnik::scheduling {

// A half-open range of instants [start, end).
struct Interval {
  absl::Time start;
  absl::Time end;

  bool empty() const { return !(start < end); }
  absl::Duration length() const { return end - start; }
  bool Overlaps(const Interval& o) const { return start < o.end && o.start < end; }
  bool Contains(const Interval& o) const { return start <= o.start && o.end <= end; }
  friend bool operator==(const Interval& a, const Interval& b) {
    return a.start == b.start && a.end == b.end;
  }
};

// Sorted, disjoint, non-touching intervals covering the same instants as `in`.
std::vector<Interval> Normalize(std::vector<Interval> in);

// `from` minus every interval of `cut`; both normalized in, normalized out.
std::vector<Interval> Subtract(const std::vector<Interval>& from, const std::vector<Interval>& cut);

// Instants in both sets; both normalized in, normalized out.
std::vector<Interval> Intersect(const std::vector<Interval>& a, const std::vector<Interval>& b);

// True when the normalized set covers all of `range`.
bool Covers(const std::vector<Interval>& normalized, const Interval& range);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_INTERVAL_H_
