#include "services/scheduling/domain/interval.h"

#include <algorithm>

namespace etnik::scheduling {

std::vector<Interval> Normalize(std::vector<Interval> in) {
  std::erase_if(in, [](const Interval& i) { return i.empty(); });
  std::sort(in.begin(), in.end(), [](const Interval& a, const Interval& b) {
    return a.start < b.start || (a.start == b.start && a.end < b.end);
  });
  std::vector<Interval> out;
  for (const Interval& i : in) {
    if (!out.empty() && i.start <= out.back().end) {
      out.back().end = std::max(out.back().end, i.end);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

std::vector<Interval> Subtract(const std::vector<Interval>& from, const std::vector<Interval>& cut) {
  std::vector<Interval> out;
  size_t j = 0;
  for (Interval rest : from) {
    while (j < cut.size() && cut[j].end <= rest.start) ++j;
    for (size_t k = j; k < cut.size() && cut[k].start < rest.end; ++k) {
      if (cut[k].start > rest.start) out.push_back({rest.start, cut[k].start});
      rest.start = std::max(rest.start, cut[k].end);
      if (rest.empty()) break;
    }
    if (!rest.empty()) out.push_back(rest);
  }
  return out;
}

std::vector<Interval> Intersect(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  std::vector<Interval> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    Interval both{std::max(a[i].start, b[j].start), std::min(a[i].end, b[j].end)};
    if (!both.empty()) out.push_back(both);
    if (a[i].end < b[j].end) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

bool Covers(const std::vector<Interval>& normalized, const Interval& range) {
  if (range.empty()) return true;
  auto it = std::upper_bound(normalized.begin(), normalized.end(), range.start,
                             [](absl::Time t, const Interval& i) { return t < i.start; });
  if (it == normalized.begin()) return false;
  --it;
  return it->Contains(range);
}

}  // namespace etnik::scheduling
