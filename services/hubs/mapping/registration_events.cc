#include "services/hubs/mapping/registration_events.h"

#include <vector>

#include "services/hubs/domain/registration_facts.h"
#include "services/hubs/mapping/common_mapping.h"

namespace etnik::hubs::mapping {

absl::Status ApplyRegistrationEvent(HubsTransaction& tx, const etnik::events::v1::DomainEvent& event) {
  if (event.has_participant_confirmed()) {
    const auto& e = event.participant_confirmed();
    ConfirmedParticipant p;
    p.participant = e.participant();
    p.programme = e.programme();
    p.organisation_name = e.organisation_name();
    p.confirm_time = FromProto(e.confirm_time());
    return RecordParticipantConfirmed(tx, p);
  }
  if (event.has_programme_stage_changed()) {
    const auto& e = event.programme_stage_changed();
    std::vector<StageTarget> targets;
    if (!e.removed()) {
      for (const auto& t : e.targets()) {
        if (t.metric() == etnik::common::v1::TARGET_METRIC_HUBS) {
          targets.push_back({e.stage(), e.programme(), TargetMetric::kHubs, t.value()});
        } else if (t.metric() == etnik::common::v1::TARGET_METRIC_EXPERTS) {
          targets.push_back({e.stage(), e.programme(), TargetMetric::kExperts, t.value()});
        }
      }
    }
    return RecordStageTargets(tx, e.stage(), targets);
  }
  return absl::OkStatus();
}

absl::Status ApplyRegistrationEvent(HubsStore& store, const etnik::events::v1::DomainEvent& event) {
  return store.Run(TxMode::kWrite, [&](HubsTransaction& tx) { return ApplyRegistrationEvent(tx, event); });
}

}  // namespace etnik::hubs::mapping
