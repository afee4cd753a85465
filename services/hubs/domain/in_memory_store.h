#ifndef ETNIK_SERVICES_HUBS_DOMAIN_IN_MEMORY_STORE_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_IN_MEMORY_STORE_H_

// A HubsStore in memory, for unit tests of the use cases: one unit of work at a time (so
// every unit is serialisable), working on a copy that replaces the state only on commit, so
// a failed unit leaves neither changes nor events behind.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/hubs/domain/ports.h"

namespace etnik::hubs {

class InMemoryHubsStore final : public HubsStore {
 public:
  struct State {
    std::map<std::string, Hub> hubs;
    std::map<std::string, Expert> experts;  // `hubs` is derived from members
    std::map<std::pair<std::string, std::string>, Membership> members;  // (hub, expert)
    std::map<std::pair<std::string, std::string>, HubLead> leads;       // (hub, lead id)
    std::map<std::string, ConfirmedParticipant> confirmed;
    std::map<std::pair<std::string, std::string>, Assignment> assignments;  // (hub, participant id)
    std::map<std::pair<std::string, int>, StageTarget> targets;            // (stage, metric)
    std::map<std::pair<std::string, std::string>, IdempotencyRecord> requests;
    std::vector<DomainEvent> events;  // the outbox
  };

  absl::Status Run(TxMode mode, const Work& work) override;

  // Committed events, oldest first.
  std::vector<DomainEvent> events() const;
  State state() const;
  int commits() const;

 private:
  mutable absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_);
  int commits_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_IN_MEMORY_STORE_H_
