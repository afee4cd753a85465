#ifndef ETNIK_SERVICES_REGISTRATION_SELECTION_SELECTION_H_
#define ETNIK_SERVICES_REGISTRATION_SELECTION_SELECTION_H_

// The competitive selection: deterministic decisions under seats, quotas, a minimum score and
// a bounded waiting list; and the refill rule that picks who gets a freed seat.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "etnik/registration/v1/selection.pb.h"
#include "services/registration/selection/quota_groups.h"

namespace etnik::registration {

// The tie-break applied by Select, reported in SelectionRun.tie_break.
inline constexpr char kTieBreak[] =
    "score descending, then earlier submit_time, then application name ascending";

struct SelectionSettings {
  int seats = 0;
  std::vector<etnik::registration::v1::Quota> quotas;
  double min_score = 0;   // 0 disables
  int waitlist_size = 0;  // 0 means unlimited
};

struct SelectionResult {
  // One decision per candidate, ordered by rank.
  std::vector<etnik::registration::v1::SelectionDecision> decisions;
  // Run-level remarks, e.g. AT_LEAST quotas that could not be met.
  std::vector<std::string> notes;
};

// Checks a SelectionRun's settings; `programme_seats` is used when run.seats is 0.
// Returns INVALID_ARGUMENT with violations under "selection_run.*".
absl::Status ValidateSelectionRun(const etnik::registration::v1::SelectionRun& run, int programme_seats, Language lang);

// Settings of a validated run.
SelectionSettings SettingsOf(const etnik::registration::v1::SelectionRun& run, int programme_seats);

// Ranks by kTieBreak; unreviewed or below-min_score candidates are rejected. AT_LEAST quotas
// are met first from the best eligible members (an unmet one is explained, not an error),
// then seats go in rank order skipping candidates an AT_MOST quota would refuse; the next
// eligible ones (up to waitlist_size) are waitlisted in rank order, the rest rejected.
// The result does not depend on the order of `candidates`.
SelectionResult Select(std::vector<Candidate> candidates, const SelectionSettings& settings);

// Ranks in place by kTieBreak.
void SortByRank(std::vector<Candidate>* candidates);

struct RefillChoice {
  size_t index = 0;  // into the waitlist
  std::string binding_quota;
  std::string explanation;
};

// Who gets a freed seat: among `waitlist` (in waiting-list order) the first whose admission
// keeps every AT_MOST quota given `holding` (selected or confirmed), preferring the first
// that fills an unmet AT_LEAST group. nullopt when nobody fits.
std::optional<RefillChoice> PickRefill(const std::vector<Candidate>& holding,
                                       const std::vector<Candidate>& waitlist,
                                       const std::vector<etnik::registration::v1::Quota>& quotas);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_SELECTION_SELECTION_H_
