#ifndef ETNIK_SERVICES_HUBS_DOMAIN_PORTS_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_PORTS_H_

// What the hubs use cases need from the outside world: a transactional store (which also takes
// the domain events of a change, so they commit or vanish with it) and a cache for the public
// catalogue. Adapters: store/ (SQL through common/db), cache/ (Redis through common/redis), and
// in_memory_store.h for unit tests.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/hubs/domain/events.h"
#include "services/hubs/domain/model.h"
#include "services/hubs/domain/paging.h"

namespace etnik::hubs {

struct HubFilter {
  std::string programme;  // programmes/{programme}; empty: every programme
  std::optional<HubState> state;
  std::string theme;         // empty: every theme
  std::string lead_subject;  // only hubs with a lead of this subject; empty: all
  // Only these hubs (a hub lead's view); nullopt: no restriction.
  std::optional<std::vector<std::string>> only_ids;
};

struct ExpertFilter {
  std::string hub_id;  // only members of this hub; empty: all
  std::string topic;   // only experts with this topic; empty: all
};

struct AssignmentFilter {
  std::string hub_id;       // empty: every hub
  std::string participant;  // programmes/{p}/participants/{x}; empty: all
  // Only assignments of these hubs (a hub lead's view); nullopt: no restriction.
  std::optional<std::vector<std::string>> only_hub_ids;
};

// What an idempotent call left behind: the request's fingerprint and the resource it made.
struct IdempotencyRecord {
  std::string fingerprint;
  std::string result;
};

// One unit of work. Lists are ordered by their SortKey: hubs by (title.ru, id), experts by
// (full_name.ru, id), assignments by (hub_id, participant_id); `after` resumes after a key.
// Experts come back with `hubs` filled. Adapters turn their failures into absl::Status.
class HubsTransaction {
 public:
  virtual ~HubsTransaction() = default;

  virtual absl::StatusOr<std::optional<Hub>> FindHub(const std::string& id) = 0;
  virtual absl::Status InsertHub(const Hub& hub) = 0;
  virtual absl::Status UpdateHub(const Hub& hub) = 0;
  // Also drops the hub's memberships, leads and assignments.
  virtual absl::Status DeleteHub(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Hub>> ListHubs(const HubFilter& filter, const std::optional<SortKey>& after,
                                                    int limit) = 0;
  virtual absl::StatusOr<int> CountHubs(const HubFilter& filter) = 0;

  virtual absl::StatusOr<std::optional<Expert>> FindExpert(const std::string& id) = 0;
  // The id of the profile with this EmailKey, if any.
  virtual absl::StatusOr<std::optional<std::string>> FindExpertByEmail(const std::string& email_key) = 0;
  virtual absl::Status InsertExpert(const Expert& expert) = 0;
  virtual absl::Status UpdateExpert(const Expert& expert) = 0;
  virtual absl::Status DeleteExpert(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Expert>> ListExperts(const ExpertFilter& filter,
                                                          const std::optional<SortKey>& after, int limit) = 0;

  virtual absl::StatusOr<std::optional<Membership>> FindMembership(const std::string& hub_id,
                                                                   const std::string& expert_id) = 0;
  virtual absl::Status InsertMembership(const Membership& membership) = 0;
  virtual absl::Status DeleteMembership(const std::string& hub_id, const std::string& expert_id) = 0;
  // A hub's memberships, ordered by expert id.
  virtual absl::StatusOr<std::vector<Membership>> ListMemberships(const std::string& hub_id) = 0;

  // A hub's leads, ordered by lead id.
  virtual absl::StatusOr<std::vector<HubLead>> ListLeads(const std::string& hub_id) = 0;
  virtual absl::Status InsertLead(const HubLead& lead) = 0;
  virtual absl::Status DeleteLead(const std::string& hub_id, const std::string& lead_id) = 0;

  virtual absl::StatusOr<std::optional<ConfirmedParticipant>> FindConfirmedParticipant(
      const std::string& participant) = 0;
  virtual absl::Status UpsertConfirmedParticipant(const ConfirmedParticipant& participant) = 0;
  virtual absl::StatusOr<std::optional<Assignment>> FindAssignment(const std::string& hub_id,
                                                                   const std::string& participant_id) = 0;
  virtual absl::Status InsertAssignment(const Assignment& assignment) = 0;
  virtual absl::Status DeleteAssignment(const std::string& hub_id, const std::string& participant_id) = 0;
  virtual absl::StatusOr<std::vector<Assignment>> ListAssignments(const AssignmentFilter& filter,
                                                                  const std::optional<SortKey>& after,
                                                                  int limit) = 0;

  // Replaces the hub-related targets of one stage (none: the stage was removed).
  virtual absl::Status ReplaceStageTargets(const std::string& stage, const std::vector<StageTarget>& targets) = 0;
  virtual absl::StatusOr<std::vector<StageTarget>> ListTargets(const std::string& programme) = 0;

  virtual absl::StatusOr<std::optional<IdempotencyRecord>> FindRequest(const std::string& method,
                                                                        const std::string& request_id) = 0;
  virtual absl::Status SaveRequest(const std::string& method, const std::string& request_id,
                                   const IdempotencyRecord& record, absl::Time at) = 0;

  // Queues a domain event; it is published only if this unit of work commits.
  virtual absl::Status Emit(const DomainEvent& event) = 0;
};

enum class TxMode {
  kRead,
  // Read-check-write units: any check made inside holds at commit, under any concurrency
  // and any number of replicas (the adapter's job).
  kWrite,
};

class HubsStore {
 public:
  using Work = std::function<absl::Status(HubsTransaction&)>;
  virtual ~HubsStore() = default;
  // Commits when `work` returns OK. `work` may run more than once, so it must reset what it
  // captures.
  virtual absl::Status Run(TxMode mode, const Work& work) = 0;
};

// Cache-aside for the public catalogue. Loaders read the store; values are opaque bytes.
class CatalogueCache {
 public:
  using Loader = std::function<absl::StatusOr<std::string>()>;
  virtual ~CatalogueCache() = default;
  // Errors come only from the loader: a cache that fails is bypassed.
  virtual absl::StatusOr<std::string> GetOrLoad(const std::string& key, const Loader& loader) = 0;
  // Called after a change has committed; the next GetOrLoad of these keys sees it.
  virtual void Invalidate(const std::vector<std::string>& keys) = 0;
};

// A cache that never caches, for wiring without Redis and for unit tests.
class NoCatalogueCache final : public CatalogueCache {
 public:
  absl::StatusOr<std::string> GetOrLoad(const std::string& key, const Loader& loader) override { return loader(); }
  void Invalidate(const std::vector<std::string>& keys) override {}
};

// Keys of the catalogue cache: a programme's published hubs ("" = every programme), one hub.
std::string CatalogueProgrammeKey(const std::string& programme);
std::string CatalogueHubKey(const std::string& hub_id);

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_PORTS_H_
