// Read models for the public: the catalogue of published hubs, and progress against targets.

#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/hubs/domain/errors.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/domain/rules.h"
#include "services/hubs/domain/use_case_support.h"

namespace etnik::hubs {
namespace {

// Every hub matching `filter`, page by page.
absl::StatusOr<std::vector<Hub>> AllHubs(HubsTransaction& tx, const HubFilter& filter) {
  std::vector<Hub> out;
  std::optional<SortKey> after;
  while (true) {
    absl::StatusOr<std::vector<Hub>> page = tx.ListHubs(filter, after, kMaxPageSize);
    if (!page.ok()) return page.status();
    out.insert(out.end(), page->begin(), page->end());
    if (static_cast<int>(page->size()) < kMaxPageSize) return out;
    after = SortKey{out.back().title.ru, out.back().id};
  }
}

absl::StatusOr<CatalogueEntry> Entry(HubsTransaction& tx, const Hub& hub) {
  CatalogueEntry entry{hub, {}};
  absl::StatusOr<std::vector<Expert>> experts = tx.ListExperts({hub.id, ""}, std::nullopt, kMaxPageSize);
  if (!experts.ok()) return experts.status();
  entry.experts = *std::move(experts);
  return entry;
}

absl::Status CheckProgramme(const std::string& programme, bool required) {
  if (programme.empty() && !required) return absl::OkStatus();
  if (IsValidProgrammeName(programme)) return absl::OkStatus();
  return InvalidArgumentError("programme is not a programme name",
                              {{"programme", "programmes/{programme}, for example programmes/etnik-2021"}});
}

}  // namespace

absl::StatusOr<std::vector<CatalogueEntry>> HubsUseCases::PublishedCatalogue(const std::string& programme) {
  if (absl::Status s = CheckProgramme(programme, /*required=*/false); !s.ok()) return s;
  std::vector<CatalogueEntry> out;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) -> absl::Status {
    out.clear();
    HubFilter filter;
    filter.programme = programme;
    filter.state = HubState::kPublished;
    absl::StatusOr<std::vector<Hub>> hubs = AllHubs(tx, filter);
    if (!hubs.ok()) return hubs.status();
    for (const Hub& hub : *hubs) {
      absl::StatusOr<CatalogueEntry> entry = Entry(tx, hub);
      if (!entry.ok()) return entry.status();
      out.push_back(*std::move(entry));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<CatalogueEntry> HubsUseCases::PublishedHub(const std::string& hub_id) {
  if (absl::Status s = internal::CheckResourceId(hub_id, "name"); !s.ok()) return s;
  CatalogueEntry out;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Hub>> hub = tx.FindHub(hub_id);
    if (!hub.ok()) return hub.status();
    // Drafts and closed hubs are not in the catalogue: the public cannot tell them from absent ones.
    if (!hub->has_value() || (*hub)->state != HubState::kPublished) return NotFound(internal::HubName(hub_id));
    absl::StatusOr<CatalogueEntry> entry = Entry(tx, **hub);
    if (!entry.ok()) return entry.status();
    out = *std::move(entry);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<HubsProgress> HubsUseCases::Progress(const std::string& programme) {
  if (absl::Status s = CheckProgramme(programme, /*required=*/true); !s.ok()) return s;
  HubsProgress progress;
  absl::Status status = store_.Run(TxMode::kRead, [&](HubsTransaction& tx) -> absl::Status {
    progress = HubsProgress();
    progress.programme = programme;
    HubFilter filter;
    filter.programme = programme;
    absl::StatusOr<std::vector<Hub>> hubs = AllHubs(tx, filter);
    if (!hubs.ok()) return hubs.status();
    std::set<std::string> experts;
    for (const Hub& hub : *hubs) {
      progress.assigned_participants += hub.participant_count;
      switch (hub.state) {
        case HubState::kDraft:
          ++progress.draft_hubs;
          break;
        case HubState::kClosed:
          ++progress.closed_hubs;
          break;
        case HubState::kPublished: {
          ++progress.published_hubs;
          absl::StatusOr<std::vector<Membership>> members = tx.ListMemberships(hub.id);
          if (!members.ok()) return members.status();
          for (const Membership& m : *members) experts.insert(m.expert_id);
          break;
        }
      }
    }
    progress.experts = static_cast<int>(experts.size());
    absl::StatusOr<std::vector<StageTarget>> targets = tx.ListTargets(programme);
    if (!targets.ok()) return targets.status();
    for (const StageTarget& t : *targets) {
      int actual = t.metric == TargetMetric::kHubs ? progress.published_hubs : progress.experts;
      progress.targets.push_back({t.stage, t.metric, t.value, actual});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return progress;
}

}  // namespace etnik::hubs
