#include "services/hubs/domain/in_memory_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/hubs/domain/rules.h"

namespace etnik::hubs {
namespace {

using State = InMemoryHubsStore::State;

bool Contains(const std::optional<std::vector<std::string>>& ids, const std::string& id) {
  return !ids || std::find(ids->begin(), ids->end(), id) != ids->end();
}

template <typename T, typename KeyOf>
std::vector<T> SortPage(std::vector<T> items, KeyOf key_of, const std::optional<SortKey>& after, int limit) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key_of(a) < key_of(b); });
  std::vector<T> out;
  for (T& item : items) {
    if (after && !(*after < key_of(item))) continue;
    if (static_cast<int>(out.size()) == limit) break;
    out.push_back(std::move(item));
  }
  return out;
}

class InMemoryTransaction final : public HubsTransaction {
 public:
  explicit InMemoryTransaction(State& s) : s_(s) {}

  absl::StatusOr<std::optional<Hub>> FindHub(const std::string& id) override {
    auto it = s_.hubs.find(id);
    if (it == s_.hubs.end()) return std::optional<Hub>();
    return std::optional<Hub>(it->second);
  }
  absl::Status InsertHub(const Hub& hub) override {
    if (!s_.hubs.emplace(hub.id, hub).second) return absl::AlreadyExistsError("hub id taken");
    return absl::OkStatus();
  }
  absl::Status UpdateHub(const Hub& hub) override {
    if (s_.hubs.count(hub.id) == 0) return absl::NotFoundError("no such hub");
    s_.hubs[hub.id] = hub;
    return absl::OkStatus();
  }
  absl::Status DeleteHub(const std::string& id) override {
    s_.hubs.erase(id);
    std::erase_if(s_.members, [&](const auto& e) { return e.first.first == id; });
    std::erase_if(s_.leads, [&](const auto& e) { return e.first.first == id; });
    std::erase_if(s_.assignments, [&](const auto& e) { return e.first.first == id; });
    return absl::OkStatus();
  }
  bool Matches(const Hub& h, const HubFilter& f) {
    if (!f.programme.empty() && h.programme != f.programme) return false;
    if (f.state && h.state != *f.state) return false;
    if (!f.theme.empty() && h.theme != f.theme) return false;
    if (!Contains(f.only_ids, h.id)) return false;
    if (!f.lead_subject.empty()) {
      bool led = false;
      for (const auto& [key, lead] : s_.leads) led |= key.first == h.id && lead.subject == f.lead_subject;
      if (!led) return false;
    }
    return true;
  }
  absl::StatusOr<std::vector<Hub>> ListHubs(const HubFilter& filter, const std::optional<SortKey>& after,
                                            int limit) override {
    std::vector<Hub> all;
    for (const auto& [id, hub] : s_.hubs) {
      if (Matches(hub, filter)) all.push_back(hub);
    }
    return SortPage(std::move(all), [](const Hub& h) { return SortKey{h.title.ru, h.id}; }, after, limit);
  }
  absl::StatusOr<int> CountHubs(const HubFilter& filter) override {
    int n = 0;
    for (const auto& [id, hub] : s_.hubs) n += Matches(hub, filter) ? 1 : 0;
    return n;
  }

  Expert WithHubs(Expert e) {
    e.hubs.clear();
    for (const auto& [key, m] : s_.members) {
      if (key.second == e.id) e.hubs.push_back(key.first);
    }
    return e;
  }
  absl::StatusOr<std::optional<Expert>> FindExpert(const std::string& id) override {
    auto it = s_.experts.find(id);
    if (it == s_.experts.end()) return std::optional<Expert>();
    return std::optional<Expert>(WithHubs(it->second));
  }
  absl::StatusOr<std::optional<std::string>> FindExpertByEmail(const std::string& email_key) override {
    for (const auto& [id, e] : s_.experts) {
      if (!email_key.empty() && EmailKey(e.contact.email) == email_key) return std::optional<std::string>(id);
    }
    return std::optional<std::string>();
  }
  absl::Status InsertExpert(const Expert& expert) override {
    if (!s_.experts.emplace(expert.id, expert).second) return absl::AlreadyExistsError("expert id taken");
    return absl::OkStatus();
  }
  absl::Status UpdateExpert(const Expert& expert) override {
    s_.experts[expert.id] = expert;
    return absl::OkStatus();
  }
  absl::Status DeleteExpert(const std::string& id) override {
    s_.experts.erase(id);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<Expert>> ListExperts(const ExpertFilter& filter, const std::optional<SortKey>& after,
                                                  int limit) override {
    std::vector<Expert> all;
    for (const auto& [id, stored] : s_.experts) {
      Expert e = WithHubs(stored);
      if (!filter.hub_id.empty() && std::find(e.hubs.begin(), e.hubs.end(), filter.hub_id) == e.hubs.end()) continue;
      if (!filter.topic.empty() && std::find(e.topics.begin(), e.topics.end(), filter.topic) == e.topics.end()) {
        continue;
      }
      all.push_back(std::move(e));
    }
    return SortPage(std::move(all), [](const Expert& e) { return SortKey{e.full_name.ru, e.id}; }, after, limit);
  }

  absl::StatusOr<std::optional<Membership>> FindMembership(const std::string& hub_id,
                                                           const std::string& expert_id) override {
    auto it = s_.members.find({hub_id, expert_id});
    if (it == s_.members.end()) return std::optional<Membership>();
    return std::optional<Membership>(it->second);
  }
  absl::Status InsertMembership(const Membership& m) override {
    if (!s_.members.emplace(std::make_pair(m.hub_id, m.expert_id), m).second) {
      return absl::AlreadyExistsError("membership exists");
    }
    return absl::OkStatus();
  }
  absl::Status DeleteMembership(const std::string& hub_id, const std::string& expert_id) override {
    s_.members.erase({hub_id, expert_id});
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<Membership>> ListMemberships(const std::string& hub_id) override {
    std::vector<Membership> out;
    for (const auto& [key, m] : s_.members) {
      if (key.first == hub_id) out.push_back(m);
    }
    return out;
  }

  absl::StatusOr<std::vector<HubLead>> ListLeads(const std::string& hub_id) override {
    std::vector<HubLead> out;
    for (const auto& [key, lead] : s_.leads) {
      if (key.first == hub_id) out.push_back(lead);
    }
    return out;
  }
  absl::Status InsertLead(const HubLead& lead) override {
    s_.leads[{lead.hub_id, lead.id}] = lead;
    return absl::OkStatus();
  }
  absl::Status DeleteLead(const std::string& hub_id, const std::string& lead_id) override {
    s_.leads.erase({hub_id, lead_id});
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<ConfirmedParticipant>> FindConfirmedParticipant(
      const std::string& participant) override {
    auto it = s_.confirmed.find(participant);
    if (it == s_.confirmed.end()) return std::optional<ConfirmedParticipant>();
    return std::optional<ConfirmedParticipant>(it->second);
  }
  absl::Status UpsertConfirmedParticipant(const ConfirmedParticipant& p) override {
    s_.confirmed[p.participant] = p;
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<Assignment>> FindAssignment(const std::string& hub_id,
                                                           const std::string& participant_id) override {
    auto it = s_.assignments.find({hub_id, participant_id});
    if (it == s_.assignments.end()) return std::optional<Assignment>();
    return std::optional<Assignment>(it->second);
  }
  absl::Status InsertAssignment(const Assignment& a) override {
    if (!s_.assignments.emplace(std::make_pair(a.hub_id, a.participant_id), a).second) {
      return absl::AlreadyExistsError("assignment exists");
    }
    return absl::OkStatus();
  }
  absl::Status DeleteAssignment(const std::string& hub_id, const std::string& participant_id) override {
    s_.assignments.erase({hub_id, participant_id});
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<Assignment>> ListAssignments(const AssignmentFilter& filter,
                                                          const std::optional<SortKey>& after, int limit) override {
    std::vector<Assignment> all;
    for (const auto& [key, a] : s_.assignments) {
      if (!filter.hub_id.empty() && a.hub_id != filter.hub_id) continue;
      if (!filter.participant.empty() && a.participant != filter.participant) continue;
      if (!Contains(filter.only_hub_ids, a.hub_id)) continue;
      all.push_back(a);
    }
    return SortPage(std::move(all), [](const Assignment& a) { return SortKey{a.hub_id, a.participant_id}; }, after,
                    limit);
  }

  absl::Status ReplaceStageTargets(const std::string& stage, const std::vector<StageTarget>& targets) override {
    std::erase_if(s_.targets, [&](const auto& e) { return e.first.first == stage; });
    for (const StageTarget& t : targets) s_.targets[{stage, static_cast<int>(t.metric)}] = t;
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<StageTarget>> ListTargets(const std::string& programme) override {
    std::vector<StageTarget> out;
    for (const auto& [key, t] : s_.targets) {
      if (t.programme == programme) out.push_back(t);
    }
    return out;
  }

  absl::StatusOr<std::optional<IdempotencyRecord>> FindRequest(const std::string& method,
                                                                const std::string& request_id) override {
    auto it = s_.requests.find({method, request_id});
    if (it == s_.requests.end()) return std::optional<IdempotencyRecord>();
    return std::optional<IdempotencyRecord>(it->second);
  }
  absl::Status SaveRequest(const std::string& method, const std::string& request_id, const IdempotencyRecord& record,
                           absl::Time) override {
    if (!s_.requests.emplace(std::make_pair(method, request_id), record).second) {
      return absl::AlreadyExistsError("request id recorded");
    }
    return absl::OkStatus();
  }

  absl::Status Emit(const DomainEvent& event) override {
    s_.events.push_back(event);
    return absl::OkStatus();
  }

 private:
  State& s_;
};

}  // namespace

absl::Status InMemoryHubsStore::Run(TxMode mode, const Work& work) {
  absl::MutexLock lock(&mu_);
  State copy = state_;
  InMemoryTransaction tx(copy);
  absl::Status status = work(tx);
  if (status.ok() && mode == TxMode::kWrite) {
    state_ = std::move(copy);
    ++commits_;
  }
  return status;
}

std::vector<DomainEvent> InMemoryHubsStore::events() const {
  absl::MutexLock lock(&mu_);
  return state_.events;
}

InMemoryHubsStore::State InMemoryHubsStore::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

int InMemoryHubsStore::commits() const {
  absl::MutexLock lock(&mu_);
  return commits_;
}

}  // namespace etnik::hubs
