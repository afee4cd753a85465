#ifndef ETNIK_SERVICES_HUBS_DOMAIN_HUBS_USE_CASES_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_HUBS_USE_CASES_H_

// What the hubs service does, independent of gRPC and SQL. Every command runs in one write
// unit of work of the store, checks its rules there (so they hold under any concurrency),
// writes its domain events in the same unit, and invalidates the catalogue after commit.
// Authorisation by role is the caller's job (api/); checks that need the current state take
// a guard that runs inside the unit of work.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock/clock.h"
#include "services/hubs/domain/model.h"
#include "services/hubs/domain/paging.h"
#include "services/hubs/domain/ports.h"

namespace etnik::hubs {

// Who asks, for events and idempotency records.
struct CallContext {
  std::string actor;       // the caller's subject
  std::string request_id;  // the call's trace id (not the idempotency key)
};

// Authorises a change against the current state of the resource, inside the unit of work.
using ExpertGuard = std::function<absl::Status(const Expert& current)>;

// The etag of a hub or expert; changes with every change of the resource.
std::string EtagOf(int64_t version, absl::Time create_time);

class HubsUseCases {
 public:
  HubsUseCases(HubsStore& store, CatalogueCache& cache, const Clock& clock)
      : store_(store), cache_(cache), clock_(clock) {}

  // Hubs. `request_id` makes a call idempotent (empty: not); `etag` empty skips the check.
  absl::StatusOr<Hub> CreateHub(const CallContext& ctx, Hub hub, const std::string& hub_id,
                                const std::string& request_id);
  absl::StatusOr<Hub> GetHub(const std::string& hub_id);
  absl::StatusOr<Page<Hub>> ListHubs(const HubFilter& filter, const PageRequest& page);
  // `changes.id` names the hub; `mask` picks the fields to copy from `changes`.
  absl::StatusOr<Hub> UpdateHub(const CallContext& ctx, const Hub& changes, const std::vector<std::string>& mask,
                                const std::string& etag);
  absl::Status DeleteHub(const CallContext& ctx, const std::string& hub_id, const std::string& etag);
  absl::StatusOr<Hub> PublishHub(const CallContext& ctx, const std::string& hub_id, const std::string& etag,
                                 const std::string& request_id);
  absl::StatusOr<Hub> CloseHub(const CallContext& ctx, const std::string& hub_id, const std::string& etag,
                               const std::string& request_id);

  // Experts.
  absl::StatusOr<Expert> CreateExpert(const CallContext& ctx, Expert expert, const std::string& expert_id,
                                      const std::string& request_id);
  absl::StatusOr<Expert> GetExpert(const std::string& expert_id);
  absl::StatusOr<Page<Expert>> ListExperts(const ExpertFilter& filter, const PageRequest& page);
  absl::StatusOr<Expert> UpdateExpert(const CallContext& ctx, const Expert& changes,
                                      const std::vector<std::string>& mask, const std::string& etag,
                                      const ExpertGuard& guard);
  absl::Status DeleteExpert(const CallContext& ctx, const std::string& expert_id, const std::string& etag);

  // Experts in hubs: 3-5 per hub.
  absl::StatusOr<Membership> AddExpert(const CallContext& ctx, const std::string& hub_id,
                                       const std::string& expert_id, const std::string& request_id);
  absl::Status RemoveExpert(const CallContext& ctx, const std::string& hub_id, const std::string& expert_id,
                            const std::string& request_id);

  // Hub leads.
  absl::StatusOr<HubLead> AddHubLead(const CallContext& ctx, const std::string& hub_id, HubLead lead,
                                     const std::string& request_id);
  absl::Status RemoveHubLead(const CallContext& ctx, const std::string& hub_id, const std::string& lead_id,
                             const std::string& request_id);
  absl::StatusOr<Page<HubLead>> ListHubLeads(const std::string& hub_id, const PageRequest& page);

  // Confirmed participants in hubs.
  absl::StatusOr<Assignment> AssignParticipant(const CallContext& ctx, const std::string& hub_id,
                                               const std::string& participant, const std::string& request_id);
  absl::Status UnassignParticipant(const CallContext& ctx, const std::string& hub_id,
                                   const std::string& participant_id, const std::string& request_id);
  absl::StatusOr<Page<Assignment>> ListAssignments(const AssignmentFilter& filter, const PageRequest& page);

  // Facts learnt from the registration service's events (idempotent upserts).
  absl::Status RecordParticipantConfirmed(const ConfirmedParticipant& participant);
  // The hub-related targets of one stage; an empty list forgets the stage.
  absl::Status RecordStageTargets(const std::string& stage, const std::vector<StageTarget>& targets);

  // The public catalogue, read from the store (callers cache it through catalogue_cache()).
  // `programme` empty: every programme.
  absl::StatusOr<std::vector<CatalogueEntry>> PublishedCatalogue(const std::string& programme);
  // NOT_FOUND unless the hub is published.
  absl::StatusOr<CatalogueEntry> PublishedHub(const std::string& hub_id);

  absl::StatusOr<HubsProgress> Progress(const std::string& programme);

  CatalogueCache& catalogue_cache() { return cache_; }
  const Clock& clock() const { return clock_; }

 private:
  // Runs a write unit; `keys` (reset per attempt) are invalidated in the cache after commit.
  absl::Status Write(const std::function<absl::Status(HubsTransaction&, std::vector<std::string>& keys)>& work);
  absl::Status Emit(HubsTransaction& tx, const CallContext& ctx, std::string aggregate, int64_t version,
                    EventPayload payload);

  HubsStore& store_;
  CatalogueCache& cache_;
  const Clock& clock_;
};

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_HUBS_USE_CASES_H_
