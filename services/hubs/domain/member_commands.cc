// Who belongs to a hub: experts (3-5), leads, confirmed participants (within capacity).

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/hubs/domain/errors.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/domain/rules.h"
#include "services/hubs/domain/use_case_support.h"

namespace etnik::hubs {
namespace {

using internal::ExpertName;
using internal::HubName;

// Stores a time in an idempotency record and reads it back.
std::string TimeResult(absl::Time t) { return absl::StrCat(absl::ToUnixMicros(t)); }
absl::Time ParseTimeResult(const std::string& s) {
  int64_t micros = 0;
  return absl::SimpleAtoi(s, &micros) ? absl::FromUnixMicros(micros) : absl::UnixEpoch();
}

absl::Status CheckHubId(const std::string& id, const std::string& field) {
  if (id.empty()) return InvalidArgumentError(absl::StrCat(field, " is required"), {{field, "required"}});
  return internal::CheckResourceId(id, field);
}

}  // namespace

absl::StatusOr<Membership> HubsUseCases::AddExpert(const CallContext& ctx, const std::string& hub_id,
                                                   const std::string& expert_id, const std::string& request_id) {
  if (absl::Status s = CheckHubId(hub_id, "hub"); !s.ok()) return s;
  if (absl::Status s = CheckHubId(expert_id, "expert"); !s.ok()) return s;
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  const std::string fingerprint = absl::StrCat(hub_id, "|", expert_id);
  Membership membership;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>& keys) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay = internal::Replay(tx, "AddExpert", request_id, fingerprint);
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      membership = {hub_id, expert_id, ParseTimeResult(**replay)};
      return absl::OkStatus();
    }
    absl::StatusOr<Hub> hub = internal::LoadHub(tx, hub_id);
    if (!hub.ok()) return hub.status();
    if (hub->state == HubState::kClosed) return internal::WrongState(*hub, "add an expert");
    if (absl::StatusOr<Expert> expert = internal::LoadExpert(tx, expert_id); !expert.ok()) return expert.status();
    absl::StatusOr<std::optional<Membership>> existing = tx.FindMembership(hub_id, expert_id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return AlreadyExists(absl::StrCat(ExpertName(expert_id), " is already in ", HubName(hub_id)),
                           kReasonExpertAlreadyInHub, "expert", {{"hub", HubName(hub_id)}, {"expert", ExpertName(expert_id)}});
    }
    // The count lives on the hub row read above; the store's write unit makes this
    // check-then-insert race-free (single writer on SQLite, SERIALIZABLE on PostgreSQL).
    if (hub->expert_count >= kMaxExperts) {
      return FailedPrecondition(
          absl::StrCat(HubName(hub_id), " already has ", hub->expert_count, " experts; a hub has at most ",
                       kMaxExperts),
          kReasonTooManyExperts,
          {{"hub", HubName(hub_id)},
           {"expert_count", absl::StrCat(hub->expert_count)},
           {"max_experts", absl::StrCat(kMaxExperts)}});
    }
    const absl::Time now = clock_.Now();
    membership = {hub_id, expert_id, now};
    if (absl::Status s = tx.InsertMembership(membership); !s.ok()) return s;
    Hub changed = *hub;
    changed.expert_count = hub->expert_count + 1;
    changed.version = hub->version + 1;
    changed.update_time = now;
    if (absl::Status s = tx.UpdateHub(changed); !s.ok()) return s;
    absl::StatusOr<Expert> expert = internal::LoadExpert(tx, expert_id);  // with the new hub listed
    if (!expert.ok()) return expert.status();
    if (absl::Status s = Emit(tx, ctx, HubName(hub_id), changed.version, ExpertAddedEvent{changed, *expert});
        !s.ok()) {
      return s;
    }
    internal::AddHubKeys(changed, keys);
    return internal::Remember(tx, "AddExpert", request_id, fingerprint, TimeResult(now), now);
  });
  if (!status.ok()) return status;
  return membership;
}

absl::Status HubsUseCases::RemoveExpert(const CallContext& ctx, const std::string& hub_id,
                                        const std::string& expert_id, const std::string& request_id) {
  if (absl::Status s = CheckHubId(hub_id, "hub"); !s.ok()) return s;
  if (absl::Status s = CheckHubId(expert_id, "expert"); !s.ok()) return s;
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  const std::string fingerprint = absl::StrCat(hub_id, "|", expert_id);
  return Write([&](HubsTransaction& tx, std::vector<std::string>& keys) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay = internal::Replay(tx, "RemoveExpert", request_id, fingerprint);
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) return absl::OkStatus();
    absl::StatusOr<Hub> hub = internal::LoadHub(tx, hub_id);
    if (!hub.ok()) return hub.status();
    if (hub->state == HubState::kClosed) return internal::WrongState(*hub, "remove an expert");
    absl::StatusOr<std::optional<Membership>> existing = tx.FindMembership(hub_id, expert_id);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) {
      return ErrorWithInfo(absl::StatusCode::kNotFound,
                           absl::StrCat(ExpertName(expert_id), " is not in ", HubName(hub_id)), kReasonExpertNotInHub,
                           {{"hub", HubName(hub_id)}, {"expert", ExpertName(expert_id)}});
    }
    if (hub->state == HubState::kPublished && hub->expert_count - 1 < kMinExperts) {
      return FailedPrecondition(
          absl::StrCat("cannot remove ", ExpertName(expert_id), ": published ", HubName(hub_id),
                       " must keep at least ", kMinExperts, " experts"),
          kReasonTooFewExperts,
          {{"hub", HubName(hub_id)},
           {"expert_count", absl::StrCat(hub->expert_count)},
           {"min_experts", absl::StrCat(kMinExperts)}});
    }
    if (absl::Status s = tx.DeleteMembership(hub_id, expert_id); !s.ok()) return s;
    const absl::Time now = clock_.Now();
    Hub changed = *hub;
    changed.expert_count = hub->expert_count - 1;
    changed.version = hub->version + 1;
    changed.update_time = now;
    if (absl::Status s = tx.UpdateHub(changed); !s.ok()) return s;
    absl::StatusOr<Expert> expert = internal::LoadExpert(tx, expert_id);
    if (!expert.ok()) return expert.status();
    if (absl::Status s = Emit(tx, ctx, HubName(hub_id), changed.version, ExpertRemovedEvent{changed, *expert});
        !s.ok()) {
      return s;
    }
    internal::AddHubKeys(changed, keys);
    return internal::Remember(tx, "RemoveExpert", request_id, fingerprint, "", now);
  });
}

absl::StatusOr<HubLead> HubsUseCases::AddHubLead(const CallContext& ctx, const std::string& hub_id, HubLead lead,
                                                 const std::string& request_id) {
  if (absl::Status s = CheckHubId(hub_id, "hub"); !s.ok()) return s;
  std::vector<FieldViolation> violations;
  CheckLead(lead, "lead", &violations);
  if (absl::Status s = ViolationsStatus("the hub lead is not valid", std::move(violations)); !s.ok()) return s;
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  const std::string fingerprint = absl::StrCat(hub_id, "|", lead.subject);
  HubLead added;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>&) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay = internal::Replay(tx, "AddHubLead", request_id, fingerprint);
    if (!replay.ok()) return replay.status();
    absl::StatusOr<Hub> hub = internal::LoadHub(tx, hub_id);
    if (!hub.ok()) return hub.status();
    absl::StatusOr<std::vector<HubLead>> leads = tx.ListLeads(hub_id);
    if (!leads.ok()) return leads.status();
    if (replay->has_value()) {
      for (const HubLead& l : *leads) {
        if (l.id == **replay) {
          added = l;
          return absl::OkStatus();
        }
      }
      return NotFound(absl::StrCat(HubName(hub_id), "/leads/", **replay));
    }
    if (hub->state == HubState::kClosed) return internal::WrongState(*hub, "add a lead");
    for (const HubLead& l : *leads) {
      if (l.subject == lead.subject) {
        return AlreadyExists(absl::StrCat(lead.subject, " already leads ", HubName(hub_id)), kReasonAlreadyExists,
                             "lead.subject", {{"resource", absl::StrCat(HubName(hub_id), "/leads/", l.id)}});
      }
    }
    const absl::Time now = clock_.Now();
    added = lead;
    added.hub_id = hub_id;
    added.id = NewId();
    added.create_time = now;
    if (absl::Status s = tx.InsertLead(added); !s.ok()) return s;
    leads->push_back(added);
    std::sort(leads->begin(), leads->end(), [](const HubLead& a, const HubLead& b) { return a.id < b.id; });
    if (absl::Status s = Emit(tx, ctx, HubName(hub_id), hub->version,
                              HubLeadsChangedEvent{*hub, *leads, {added.subject}, {}});
        !s.ok()) {
      return s;
    }
    return internal::Remember(tx, "AddHubLead", request_id, fingerprint, added.id, now);
  });
  if (!status.ok()) return status;
  return added;
}

absl::Status HubsUseCases::RemoveHubLead(const CallContext& ctx, const std::string& hub_id,
                                         const std::string& lead_id, const std::string& request_id) {
  if (absl::Status s = CheckHubId(hub_id, "name"); !s.ok()) return s;
  if (absl::Status s = CheckHubId(lead_id, "name"); !s.ok()) return s;
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  const std::string fingerprint = absl::StrCat(hub_id, "|", lead_id);
  return Write([&](HubsTransaction& tx, std::vector<std::string>&) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay = internal::Replay(tx, "RemoveHubLead", request_id, fingerprint);
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) return absl::OkStatus();
    absl::StatusOr<Hub> hub = internal::LoadHub(tx, hub_id);
    if (!hub.ok()) return hub.status();
    absl::StatusOr<std::vector<HubLead>> leads = tx.ListLeads(hub_id);
    if (!leads.ok()) return leads.status();
    auto it = std::find_if(leads->begin(), leads->end(), [&](const HubLead& l) { return l.id == lead_id; });
    if (it == leads->end()) return NotFound(absl::StrCat(HubName(hub_id), "/leads/", lead_id));
    const std::string subject = it->subject;
    leads->erase(it);
    if (absl::Status s = tx.DeleteLead(hub_id, lead_id); !s.ok()) return s;
    if (absl::Status s =
            Emit(tx, ctx, HubName(hub_id), hub->version, HubLeadsChangedEvent{*hub, *leads, {}, {subject}});
        !s.ok()) {
      return s;
    }
    return internal::Remember(tx, "RemoveHubLead", request_id, fingerprint, "", clock_.Now());
  });
}

absl::StatusOr<Page<HubLead>> HubsUseCases::ListHubLeads(const std::string& hub_id, const PageRequest& page) {
  absl::StatusOr<PageCursor> cursor = ParsePageRequest(page, FilterFingerprint({hub_id}));
  if (!cursor.ok()) return cursor.status();
  std::vector<HubLead> leads;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) -> absl::Status {
    if (absl::StatusOr<Hub> hub = internal::LoadHub(tx, hub_id); !hub.ok()) return hub.status();
    absl::StatusOr<std::vector<HubLead>> all = tx.ListLeads(hub_id);
    if (!all.ok()) return all.status();
    leads = *std::move(all);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // A hub has a handful of leads: page through them in memory, by id.
  Page<HubLead> out;
  for (const HubLead& lead : leads) {
    if (cursor->after && lead.id <= cursor->after->id) continue;
    if (static_cast<int>(out.items.size()) == cursor->limit) {
      out.next_page_token = EncodePageToken(cursor->fingerprint, {out.items.back().id, out.items.back().id});
      break;
    }
    out.items.push_back(lead);
  }
  out.total_size = static_cast<int>(leads.size());
  return out;
}

absl::StatusOr<Assignment> HubsUseCases::AssignParticipant(const CallContext& ctx, const std::string& hub_id,
                                                           const std::string& participant,
                                                           const std::string& request_id) {
  if (absl::Status s = CheckHubId(hub_id, "hub"); !s.ok()) return s;
  std::string programme, participant_id;
  if (!ParseParticipantName(participant, &programme, &participant_id)) {
    return InvalidArgumentError("participant is not a participant name",
                                {{"participant", "programmes/{programme}/participants/{participant}"}});
  }
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  const std::string fingerprint = absl::StrCat(hub_id, "|", participant);
  Assignment assignment;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>&) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay =
        internal::Replay(tx, "AssignParticipant", request_id, fingerprint);
    if (!replay.ok()) return replay.status();
    absl::StatusOr<Hub> hub = internal::LoadHub(tx, hub_id);
    if (!hub.ok()) return hub.status();
    if (replay->has_value()) {
      absl::StatusOr<std::optional<Assignment>> earlier = tx.FindAssignment(hub_id, participant_id);
      if (!earlier.ok()) return earlier.status();
      if (!earlier->has_value()) return NotFound(absl::StrCat(HubName(hub_id), "/participants/", participant_id));
      assignment = **earlier;
      return absl::OkStatus();
    }
    if (hub->state == HubState::kClosed) return internal::WrongState(*hub, "assign a participant");
    absl::StatusOr<std::optional<ConfirmedParticipant>> confirmed = tx.FindConfirmedParticipant(participant);
    if (!confirmed.ok()) return confirmed.status();
    if (!confirmed->has_value() || (*confirmed)->programme != hub->programme) {
      return FailedPrecondition(
          absl::StrCat(participant, " is not a confirmed participant of ", hub->programme,
                       "; only confirmed participants are assigned to its hubs"),
          kReasonParticipantNotConfirmed, {{"participant", participant}, {"programme", hub->programme}});
    }
    absl::StatusOr<std::optional<Assignment>> existing = tx.FindAssignment(hub_id, participant_id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return AlreadyExists(absl::StrCat(participant, " is already assigned to ", HubName(hub_id)),
                           kReasonAlreadyExists, "participant",
                           {{"resource", absl::StrCat(HubName(hub_id), "/participants/", participant_id)}});
    }
    if (hub->participant_capacity > 0 && hub->participant_count >= hub->participant_capacity) {
      return FailedPrecondition(absl::StrCat(HubName(hub_id), " is full: ", hub->participant_count, " of ",
                                             hub->participant_capacity, " places taken"),
                                kReasonHubFull,
                                {{"hub", HubName(hub_id)}, {"capacity", absl::StrCat(hub->participant_capacity)}});
    }
    const absl::Time now = clock_.Now();
    assignment = {hub_id, participant, participant_id, (*confirmed)->organisation_name, now};
    if (absl::Status s = tx.InsertAssignment(assignment); !s.ok()) return s;
    Hub changed = *hub;
    changed.participant_count = hub->participant_count + 1;
    changed.version = hub->version + 1;
    changed.update_time = now;
    if (absl::Status s = tx.UpdateHub(changed); !s.ok()) return s;
    if (absl::Status s =
            Emit(tx, ctx, HubName(hub_id), changed.version, ParticipantAssignedEvent{changed, assignment});
        !s.ok()) {
      return s;
    }
    return internal::Remember(tx, "AssignParticipant", request_id, fingerprint, participant_id, now);
  });
  if (!status.ok()) return status;
  return assignment;
}

absl::Status HubsUseCases::UnassignParticipant(const CallContext& ctx, const std::string& hub_id,
                                               const std::string& participant_id, const std::string& request_id) {
  if (absl::Status s = CheckHubId(hub_id, "name"); !s.ok()) return s;
  if (absl::Status s = CheckHubId(participant_id, "name"); !s.ok()) return s;
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  const std::string fingerprint = absl::StrCat(hub_id, "|", participant_id);
  return Write([&](HubsTransaction& tx, std::vector<std::string>&) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay =
        internal::Replay(tx, "UnassignParticipant", request_id, fingerprint);
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) return absl::OkStatus();
    absl::StatusOr<Hub> hub = internal::LoadHub(tx, hub_id);
    if (!hub.ok()) return hub.status();
    absl::StatusOr<std::optional<Assignment>> existing = tx.FindAssignment(hub_id, participant_id);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) return NotFound(absl::StrCat(HubName(hub_id), "/participants/", participant_id));
    if (absl::Status s = tx.DeleteAssignment(hub_id, participant_id); !s.ok()) return s;
    const absl::Time now = clock_.Now();
    Hub changed = *hub;
    changed.participant_count = std::max(0, hub->participant_count - 1);
    changed.version = hub->version + 1;
    changed.update_time = now;
    if (absl::Status s = tx.UpdateHub(changed); !s.ok()) return s;
    return internal::Remember(tx, "UnassignParticipant", request_id, fingerprint, "", now);
  });
}

absl::StatusOr<Page<Assignment>> HubsUseCases::ListAssignments(const AssignmentFilter& filter,
                                                               const PageRequest& page) {
  std::vector<std::string> parts = {filter.hub_id, filter.participant};
  if (filter.only_hub_ids) parts.push_back(absl::StrCat("only:", absl::StrJoin(*filter.only_hub_ids, ",")));
  absl::StatusOr<PageCursor> cursor = ParsePageRequest(page, FilterFingerprint(parts));
  if (!cursor.ok()) return cursor.status();
  Page<Assignment> out;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) -> absl::Status {
    if (!filter.hub_id.empty()) {
      if (absl::StatusOr<Hub> hub = internal::LoadHub(tx, filter.hub_id); !hub.ok()) return hub.status();
    }
    absl::StatusOr<std::vector<Assignment>> rows = tx.ListAssignments(filter, cursor->after, cursor->limit + 1);
    if (!rows.ok()) return rows.status();
    out.items = *std::move(rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(out.items.size()) > cursor->limit) {
    out.items.resize(cursor->limit);
    out.next_page_token =
        EncodePageToken(cursor->fingerprint, {out.items.back().hub_id, out.items.back().participant_id});
  }
  return out;
}

}  // namespace etnik::hubs
