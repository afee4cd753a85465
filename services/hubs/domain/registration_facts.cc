#include "services/hubs/domain/registration_facts.h"

#include "common/status/errors.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/domain/rules.h"

namespace etnik::hubs {

absl::Status RecordParticipantConfirmed(HubsTransaction& tx, const ConfirmedParticipant& participant) {
  std::string programme, participant_id;
  if (!ParseParticipantName(participant.participant, &programme, &participant_id) ||
      programme != participant.programme) {
    return InvalidArgumentError("not a participant of its programme",
                                {{"participant", "programmes/{programme}/participants/{participant}"}});
  }
  return tx.UpsertConfirmedParticipant(participant);
}

absl::Status RecordStageTargets(HubsTransaction& tx, const std::string& stage,
                                const std::vector<StageTarget>& targets) {
  if (stage.empty()) return InvalidArgumentError("stage is required", {{"stage", "required"}});
  return tx.ReplaceStageTargets(stage, targets);
}

absl::Status HubsUseCases::RecordParticipantConfirmed(const ConfirmedParticipant& participant) {
  return store_.Run(TxMode::kWrite,
                    [&](HubsTransaction& tx) { return hubs::RecordParticipantConfirmed(tx, participant); });
}

absl::Status HubsUseCases::RecordStageTargets(const std::string& stage, const std::vector<StageTarget>& targets) {
  return store_.Run(TxMode::kWrite,
                    [&](HubsTransaction& tx) { return hubs::RecordStageTargets(tx, stage, targets); });
}

}  // namespace etnik::hubs
