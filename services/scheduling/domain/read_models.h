#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_READ_MODELS_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_READ_MODELS_H_

// Local copies of other services' facts, fed by their domain events, so a booking never waits
// on another service: programme stages (registration) and hubs (hubs). Experts and their
// availability are in availability.h.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/scheduling/domain/interval.h"
#include "services/scheduling/domain/types.h"

namespace etnik::scheduling {

struct StageTarget {
  int32_t metric = 0;  // etnik.common.v1.TargetMetric value
  int32_t value = 0;
};

// A programme stage and its window; sessions of the stage's events must lie inside it.
struct StageWindow {
  std::string stage;      // programmes/{programme}/stages/{stage_id}
  std::string programme;  // programmes/{programme}
  int32_t kind = 0;       // etnik.common.v1.StageKind value
  LocalizedText title;
  Interval window;
  std::string time_zone;  // the programme's zone
  std::vector<StageTarget> targets;
  bool removed = false;
};

// Someone to tell about a change.
struct PersonRef {
  std::string id;  // subject, experts/{expert} or mailto:{address}
  std::string full_name;
  std::string email;
  std::string time_zone;
  Language language = Language::kUnspecified;
};

// A hub as scheduling knows it.
struct HubInfo {
  std::string hub;  // hubs/{hub}
  std::string programme;
  LocalizedText title;
  std::vector<PersonRef> leads;
  bool closed = false;
};

// INVALID_ARGUMENT unless the stage is named within its programme and has a window.
absl::Status ValidateStage(const StageWindow& stage);
// INVALID_ARGUMENT unless the hub is named hubs/{hub}.
absl::Status ValidateHub(const HubInfo& hub);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_READ_MODELS_H_
