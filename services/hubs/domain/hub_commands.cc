// Hubs: create, read, list, update, delete, publish, close.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/hubs/domain/errors.h"
#include "services/hubs/domain/field_masks.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/domain/rules.h"
#include "services/hubs/domain/use_case_support.h"

namespace etnik::hubs {

using internal::HubName;

absl::Status HubsUseCases::Write(
    const std::function<absl::Status(HubsTransaction&, std::vector<std::string>& keys)>& work) {
  std::vector<std::string> keys;
  absl::Status status = store_.Run(TxMode::kWrite, [&](HubsTransaction& tx) {
    keys.clear();
    return work(tx, keys);
  });
  if (status.ok() && !keys.empty()) cache_.Invalidate(keys);
  return status;
}

absl::Status HubsUseCases::Emit(HubsTransaction& tx, const CallContext& ctx, std::string aggregate,
                                int64_t version, EventPayload payload) {
  DomainEvent event;
  event.aggregate = std::move(aggregate);
  event.aggregate_version = version;
  event.occur_time = clock_.Now();
  event.request_id = ctx.request_id;
  event.actor = ctx.actor;
  event.payload = std::move(payload);
  return tx.Emit(event);
}

absl::StatusOr<Hub> HubsUseCases::CreateHub(const CallContext& ctx, Hub hub, const std::string& hub_id,
                                            const std::string& request_id) {
  std::vector<FieldViolation> violations;
  CheckHub(hub, "hub", &violations);
  if (!hub_id.empty() && !IsValidResourceId(hub_id)) {
    violations.push_back({"hub_id", "lowercase latin letters, digits and '-', starting with a letter"});
  }
  if (absl::Status s = ViolationsStatus("the hub is not valid", std::move(violations)); !s.ok()) return s;
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  const std::string fingerprint = absl::StrJoin({hub_id, hub.programme, hub.title.ru, hub.theme}, "|");
  Hub created;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>&) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay = internal::Replay(tx, "CreateHub", request_id, fingerprint);
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      absl::StatusOr<Hub> earlier = internal::LoadHub(tx, **replay);
      if (earlier.ok()) created = *earlier;
      return earlier.status();
    }
    created = hub;
    created.id = hub_id.empty() ? NewId() : hub_id;
    absl::StatusOr<std::optional<Hub>> existing = tx.FindHub(created.id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return AlreadyExists(absl::StrCat(HubName(created.id), " already exists"), kReasonAlreadyExists, "hub_id",
                           {{"resource", HubName(created.id)}});
    }
    const absl::Time now = clock_.Now();
    created.state = HubState::kDraft;
    created.expert_count = 0;
    created.participant_count = 0;
    created.publish_time = created.close_time = absl::UnixEpoch();
    created.create_time = created.update_time = now;
    created.version = 1;
    if (absl::Status s = tx.InsertHub(created); !s.ok()) return s;
    return internal::Remember(tx, "CreateHub", request_id, fingerprint, created.id, now);
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<Hub> HubsUseCases::GetHub(const std::string& hub_id) {
  Hub hub;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) {
    absl::StatusOr<Hub> found = internal::LoadHub(tx, hub_id);
    if (found.ok()) hub = *found;
    return found.status();
  });
  if (!status.ok()) return status;
  return hub;
}

absl::StatusOr<Page<Hub>> HubsUseCases::ListHubs(const HubFilter& filter, const PageRequest& page) {
  std::vector<std::string> parts = {filter.programme, filter.state ? internal::StateName(*filter.state) : "",
                                    filter.theme, filter.lead_subject};
  if (filter.only_ids) parts.push_back(absl::StrCat("only:", absl::StrJoin(*filter.only_ids, ",")));
  absl::StatusOr<PageCursor> cursor = ParsePageRequest(page, FilterFingerprint(parts));
  if (!cursor.ok()) return cursor.status();
  Page<Hub> out;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Hub>> hubs = tx.ListHubs(filter, cursor->after, cursor->limit + 1);
    if (!hubs.ok()) return hubs.status();
    absl::StatusOr<int> total = tx.CountHubs(filter);
    if (!total.ok()) return total.status();
    out.items = *std::move(hubs);
    out.total_size = *total;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(out.items.size()) > cursor->limit) {
    out.items.resize(cursor->limit);
    out.next_page_token = EncodePageToken(cursor->fingerprint, {out.items.back().title.ru, out.items.back().id});
  }
  return out;
}

absl::StatusOr<Hub> HubsUseCases::UpdateHub(const CallContext& ctx, const Hub& changes,
                                            const std::vector<std::string>& mask, const std::string& etag) {
  Hub updated;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>& keys) -> absl::Status {
    absl::StatusOr<Hub> current = internal::LoadHub(tx, changes.id);
    if (!current.ok()) return current.status();
    if (absl::Status s = internal::CheckEtag(etag, HubName(current->id), current->version, current->create_time);
        !s.ok()) {
      return s;
    }
    if (current->state == HubState::kClosed) return internal::WrongState(*current, "change");
    updated = *current;
    if (absl::Status s = ApplyHubMask(mask, changes, &updated); !s.ok()) return s;
    std::vector<FieldViolation> violations;
    CheckHub(updated, "hub", &violations);
    if (updated.participant_capacity > 0 && updated.participant_capacity < updated.participant_count) {
      violations.push_back({"hub.participant_capacity",
                            absl::StrCat("below the ", updated.participant_count, " participants already assigned")});
    }
    if (absl::Status s = ViolationsStatus("the hub is not valid", std::move(violations)); !s.ok()) return s;
    updated.version = current->version + 1;
    updated.update_time = clock_.Now();
    internal::AddHubKeys(updated, keys);
    return tx.UpdateHub(updated);
  });
  if (!status.ok()) return status;
  return updated;
}

absl::Status HubsUseCases::DeleteHub(const CallContext& ctx, const std::string& hub_id, const std::string& etag) {
  return Write([&](HubsTransaction& tx, std::vector<std::string>& keys) -> absl::Status {
    absl::StatusOr<Hub> current = internal::LoadHub(tx, hub_id);
    if (!current.ok()) return current.status();
    if (absl::Status s = internal::CheckEtag(etag, HubName(hub_id), current->version, current->create_time); !s.ok()) {
      return s;
    }
    if (current->state != HubState::kDraft) return internal::WrongState(*current, "delete (only drafts can be)");
    internal::AddHubKeys(*current, keys);
    return tx.DeleteHub(hub_id);
  });
}

absl::StatusOr<Hub> HubsUseCases::PublishHub(const CallContext& ctx, const std::string& hub_id,
                                             const std::string& etag, const std::string& request_id) {
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  Hub published;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>& keys) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay = internal::Replay(tx, "PublishHub", request_id, hub_id);
    if (!replay.ok()) return replay.status();
    absl::StatusOr<Hub> current = internal::LoadHub(tx, hub_id);
    if (!current.ok()) return current.status();
    if (replay->has_value()) {
      published = *current;
      return absl::OkStatus();
    }
    if (absl::Status s = internal::CheckEtag(etag, HubName(hub_id), current->version, current->create_time); !s.ok()) {
      return s;
    }
    if (current->state != HubState::kDraft) return internal::WrongState(*current, "publish (only drafts can be)");
    if (current->expert_count < kMinExperts) {
      return FailedPrecondition(
          absl::StrCat("cannot publish ", HubName(hub_id), ": it has ", current->expert_count, " experts and needs ",
                       kMinExperts, " to ", kMaxExperts),
          kReasonTooFewExperts,
          {{"hub", HubName(hub_id)},
           {"expert_count", absl::StrCat(current->expert_count)},
           {"min_experts", absl::StrCat(kMinExperts)}});
    }
    const absl::Time now = clock_.Now();
    published = *current;
    published.state = HubState::kPublished;
    published.publish_time = now;
    published.update_time = now;
    published.version = current->version + 1;
    if (absl::Status s = tx.UpdateHub(published); !s.ok()) return s;
    absl::StatusOr<std::vector<Membership>> members = tx.ListMemberships(hub_id);
    if (!members.ok()) return members.status();
    absl::StatusOr<std::vector<HubLead>> leads = tx.ListLeads(hub_id);
    if (!leads.ok()) return leads.status();
    HubPublishedEvent event{published, {}, *leads};
    for (const Membership& m : *members) event.expert_ids.push_back(m.expert_id);
    if (absl::Status s = Emit(tx, ctx, HubName(hub_id), published.version, std::move(event)); !s.ok()) return s;
    internal::AddHubKeys(published, keys);
    return internal::Remember(tx, "PublishHub", request_id, hub_id, hub_id, now);
  });
  if (!status.ok()) return status;
  return published;
}

absl::StatusOr<Hub> HubsUseCases::CloseHub(const CallContext& ctx, const std::string& hub_id,
                                           const std::string& etag, const std::string& request_id) {
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  Hub closed;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>& keys) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay = internal::Replay(tx, "CloseHub", request_id, hub_id);
    if (!replay.ok()) return replay.status();
    absl::StatusOr<Hub> current = internal::LoadHub(tx, hub_id);
    if (!current.ok()) return current.status();
    if (replay->has_value()) {
      closed = *current;
      return absl::OkStatus();
    }
    if (absl::Status s = internal::CheckEtag(etag, HubName(hub_id), current->version, current->create_time); !s.ok()) {
      return s;
    }
    if (current->state == HubState::kClosed) return internal::WrongState(*current, "close");
    const absl::Time now = clock_.Now();
    closed = *current;
    closed.state = HubState::kClosed;
    closed.close_time = now;
    closed.update_time = now;
    closed.version = current->version + 1;
    if (absl::Status s = tx.UpdateHub(closed); !s.ok()) return s;
    if (absl::Status s = Emit(tx, ctx, HubName(hub_id), closed.version, HubClosedEvent{closed}); !s.ok()) return s;
    internal::AddHubKeys(closed, keys);
    return internal::Remember(tx, "CloseHub", request_id, hub_id, hub_id, now);
  });
  if (!status.ok()) return status;
  return closed;
}

}  // namespace etnik::hubs
