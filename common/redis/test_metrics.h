#ifndef ETNIK_COMMON_REDIS_TEST_METRICS_H_
#define ETNIK_COMMON_REDIS_TEST_METRICS_H_

// Test-only: reads one sample back from a prometheus::Registry.

#include <map>
#include <string>

#include "prometheus/registry.h"

namespace etnik::redis {

// The value of the counter or gauge `name` whose labels include all of `labels`, or the
// sample count of such a histogram; -1 if there is none.
inline double MetricValue(prometheus::Registry& registry, const std::string& name,
                          const std::map<std::string, std::string>& labels = {}) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& m : family.metric) {
      int matched = 0;
      for (const auto& l : m.label) {
        auto it = labels.find(l.name);
        if (it != labels.end() && it->second == l.value) ++matched;
      }
      if (matched != static_cast<int>(labels.size())) continue;
      switch (family.type) {
        case prometheus::MetricType::Counter:
          return m.counter.value;
        case prometheus::MetricType::Gauge:
          return m.gauge.value;
        case prometheus::MetricType::Histogram:
          return static_cast<double>(m.histogram.sample_count);
        default:
          return -1;
      }
    }
  }
  return -1;
}

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_TEST_METRICS_H_
