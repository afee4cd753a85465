// Expert profiles: create, read, list, update (including availability), delete.

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
namespace {

using internal::ExpertName;

// What scheduling and notifications keep of an expert (ExpertSnapshot); a change of any of it
// is announced.
bool SnapshotChanged(const Expert& a, const Expert& b) {
  return a.full_name != b.full_name || a.subject != b.subject || a.contact != b.contact ||
         a.language != b.language || a.time_zone != b.time_zone || a.weekly_availability != b.weekly_availability ||
         a.availability_exceptions != b.availability_exceptions;
}

// ALREADY_EXISTS when another profile has the same e-mail.
absl::Status CheckUniqueEmail(HubsTransaction& tx, const Expert& expert) {
  const std::string key = EmailKey(expert.contact.email);
  if (key.empty()) return absl::OkStatus();
  absl::StatusOr<std::optional<std::string>> other = tx.FindExpertByEmail(key);
  if (!other.ok()) return other.status();
  if (!other->has_value() || **other == expert.id) return absl::OkStatus();
  return AlreadyExists(absl::StrCat("an expert with the e-mail ", expert.contact.email, " already exists: ",
                                    ExpertName(**other)),
                       kReasonDuplicateExpert, "expert.contact.email", {{"expert", ExpertName(**other)}});
}

}  // namespace

absl::StatusOr<Expert> HubsUseCases::CreateExpert(const CallContext& ctx, Expert expert, const std::string& expert_id,
                                                  const std::string& request_id) {
  std::vector<FieldViolation> violations;
  CheckExpert(expert, "expert", &violations);
  if (!expert_id.empty() && !IsValidResourceId(expert_id)) {
    violations.push_back({"expert_id", "lowercase latin letters, digits and '-', starting with a letter"});
  }
  if (absl::Status s = ViolationsStatus("the expert is not valid", std::move(violations)); !s.ok()) return s;
  if (absl::Status s = internal::CheckRequestId(request_id); !s.ok()) return s;
  const std::string fingerprint =
      absl::StrJoin({expert_id, expert.full_name.ru, EmailKey(expert.contact.email)}, "|");
  Expert created;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>&) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> replay =
        internal::Replay(tx, "CreateExpert", request_id, fingerprint);
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      absl::StatusOr<Expert> earlier = internal::LoadExpert(tx, **replay);
      if (earlier.ok()) created = *earlier;
      return earlier.status();
    }
    created = expert;
    created.id = expert_id.empty() ? NewId() : expert_id;
    created.hubs.clear();
    absl::StatusOr<std::optional<Expert>> existing = tx.FindExpert(created.id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return AlreadyExists(absl::StrCat(ExpertName(created.id), " already exists"), kReasonAlreadyExists,
                           "expert_id", {{"resource", ExpertName(created.id)}});
    }
    if (absl::Status s = CheckUniqueEmail(tx, created); !s.ok()) return s;
    const absl::Time now = clock_.Now();
    created.create_time = created.update_time = now;
    created.version = 1;
    if (absl::Status s = tx.InsertExpert(created); !s.ok()) return s;
    return internal::Remember(tx, "CreateExpert", request_id, fingerprint, created.id, now);
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<Expert> HubsUseCases::GetExpert(const std::string& expert_id) {
  Expert expert;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) {
    absl::StatusOr<Expert> found = internal::LoadExpert(tx, expert_id);
    if (found.ok()) expert = *found;
    return found.status();
  });
  if (!status.ok()) return status;
  return expert;
}

absl::StatusOr<Page<Expert>> HubsUseCases::ListExperts(const ExpertFilter& filter, const PageRequest& page) {
  absl::StatusOr<PageCursor> cursor = ParsePageRequest(page, FilterFingerprint({filter.hub_id, filter.topic}));
  if (!cursor.ok()) return cursor.status();
  Page<Expert> out;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) -> absl::Status {
    if (!filter.hub_id.empty()) {
      if (absl::StatusOr<Hub> hub = internal::LoadHub(tx, filter.hub_id); !hub.ok()) return hub.status();
    }
    absl::StatusOr<std::vector<Expert>> experts = tx.ListExperts(filter, cursor->after, cursor->limit + 1);
    if (!experts.ok()) return experts.status();
    out.items = *std::move(experts);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(out.items.size()) > cursor->limit) {
    out.items.resize(cursor->limit);
    out.next_page_token =
        EncodePageToken(cursor->fingerprint, {out.items.back().full_name.ru, out.items.back().id});
  }
  return out;
}

absl::StatusOr<Expert> HubsUseCases::UpdateExpert(const CallContext& ctx, const Expert& changes,
                                                  const std::vector<std::string>& mask, const std::string& etag,
                                                  const ExpertGuard& guard) {
  Expert updated;
  absl::Status status = Write([&](HubsTransaction& tx, std::vector<std::string>& keys) -> absl::Status {
    absl::StatusOr<Expert> current = internal::LoadExpert(tx, changes.id);
    if (!current.ok()) return current.status();
    if (guard) {
      if (absl::Status s = guard(*current); !s.ok()) return s;
    }
    if (absl::Status s = internal::CheckEtag(etag, ExpertName(current->id), current->version, current->create_time);
        !s.ok()) {
      return s;
    }
    updated = *current;
    if (absl::Status s = ApplyExpertMask(mask, changes, &updated); !s.ok()) return s;
    std::vector<FieldViolation> violations;
    CheckExpert(updated, "expert", &violations);
    if (absl::Status s = ViolationsStatus("the expert is not valid", std::move(violations)); !s.ok()) return s;
    if (absl::Status s = CheckUniqueEmail(tx, updated); !s.ok()) return s;
    updated.version = current->version + 1;
    updated.update_time = clock_.Now();
    if (absl::Status s = tx.UpdateExpert(updated); !s.ok()) return s;
    if (SnapshotChanged(*current, updated)) {
      if (absl::Status s = Emit(tx, ctx, ExpertName(updated.id), updated.version, ExpertChangedEvent{updated});
          !s.ok()) {
        return s;
      }
    }
    for (const std::string& hub_id : updated.hubs) {
      absl::StatusOr<Hub> hub = internal::LoadHub(tx, hub_id);
      if (!hub.ok()) return hub.status();
      internal::AddHubKeys(*hub, keys);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::Status HubsUseCases::DeleteExpert(const CallContext& ctx, const std::string& expert_id,
                                        const std::string& etag) {
  return Write([&](HubsTransaction& tx, std::vector<std::string>&) -> absl::Status {
    absl::StatusOr<Expert> current = internal::LoadExpert(tx, expert_id);
    if (!current.ok()) return current.status();
    if (absl::Status s = internal::CheckEtag(etag, ExpertName(expert_id), current->version, current->create_time);
        !s.ok()) {
      return s;
    }
    if (!current->hubs.empty()) {
      return FailedPrecondition(absl::StrCat("cannot delete ", ExpertName(expert_id), ": remove it from hubs ",
                                             absl::StrJoin(current->hubs, ", "), " first"),
                                kReasonExpertHasHubs, {{"hubs", absl::StrJoin(current->hubs, ",")}});
    }
    return tx.DeleteExpert(expert_id);
  });
}

}  // namespace etnik::hubs
