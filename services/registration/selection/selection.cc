#include "services/registration/selection/selection.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "services/registration/selection/text.h"

namespace etnik::registration {

namespace {

std::string Score(double s) { return absl::StrFormat("%.2f", s); }

bool Eligible(const Candidate& c, double min_score) {
  return c.review_count > 0 && (min_score <= 0 || c.score >= min_score);
}

// Seats by rank alone (AT_MOST respected, AT_LEAST ignored): tells which selections a quota caused.
std::set<size_t> ScoreOnly(const std::vector<Candidate>& ranked, const std::vector<bool>& eligible,
                           const SelectionSettings& settings) {
  std::set<size_t> chosen;
  QuotaCounts counts(&settings.quotas);
  for (size_t i = 0; i < ranked.size() && static_cast<int>(chosen.size()) < settings.seats; ++i) {
    size_t q;
    std::string v;
    if (!eligible[i] || counts.BreaksAtMost(ranked[i], &q, &v)) continue;
    counts.Add(ranked[i]);
    chosen.insert(i);
  }
  return chosen;
}

}  // namespace

absl::Status ValidateSelectionRun(const v1::SelectionRun& run, int programme_seats, Language lang) {
  std::vector<FieldViolation> violations;
  if (run.seats() < 0) {
    violations.push_back(
        {"selection_run.seats", RuEn(lang, "число мест должно быть положительным (0 — места программы)",
                                     "seats must be positive (0 means the programme's seats)")});
  } else if (run.seats() == 0 && programme_seats <= 0) {
    violations.push_back({"selection_run.seats", RuEn(lang, "у программы не задано число мест; укажите seats явно",
                                                      "the programme has no seats; give seats explicitly")});
  }
  if (run.min_score() < 0 || run.min_score() > 100) {
    violations.push_back({"selection_run.min_score",
                          RuEn(lang, "min_score должен быть от 0 до 100", "min_score must be between 0 and 100")});
  }
  if (run.waitlist_size() < 0) {
    violations.push_back({"selection_run.waitlist_size", RuEn(lang, "waitlist_size не может быть отрицательным",
                                                              "waitlist_size must not be negative")});
  }
  ValidateQuotas({run.quotas().begin(), run.quotas().end()}, "selection_run.quotas", lang, &violations);
  if (!violations.empty()) {
    return InvalidArgumentError(RuEn(lang, "параметры отбора заданы с ошибками", "invalid selection run"),
                                std::move(violations));
  }
  return absl::OkStatus();
}

SelectionSettings SettingsOf(const v1::SelectionRun& run, int programme_seats) {
  SelectionSettings s;
  s.seats = run.seats() > 0 ? run.seats() : programme_seats;
  s.quotas.assign(run.quotas().begin(), run.quotas().end());
  s.min_score = run.min_score();
  s.waitlist_size = run.waitlist_size();
  return s;
}

void SortByRank(std::vector<Candidate>* candidates) {
  std::sort(candidates->begin(), candidates->end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.submit_time != b.submit_time) return a.submit_time < b.submit_time;
    return a.application < b.application;
  });
}

SelectionResult Select(std::vector<Candidate> candidates, const SelectionSettings& settings) {
  SortByRank(&candidates);
  const size_t n = candidates.size();
  std::vector<bool> eligible(n);
  for (size_t i = 0; i < n; ++i) eligible[i] = Eligible(candidates[i], settings.min_score);
  const std::set<size_t> by_score = ScoreOnly(candidates, eligible, settings);

  std::vector<bool> selected(n, false);
  std::vector<std::string> binding(n), explanation(n);
  int seats_left = settings.seats;
  QuotaCounts counts(&settings.quotas);
  auto take = [&](size_t i) {
    selected[i] = true;
    counts.Add(candidates[i]);
    --seats_left;
  };
  // Per (quota index, group value): a remark appended to every member's explanation.
  std::map<std::pair<size_t, std::string>, std::string> unmet;

  // 1. AT_LEAST quotas, from the best eligible members of each group.
  for (size_t qi = 0; qi < settings.quotas.size(); ++qi) {
    const v1::Quota& q = settings.quotas[qi];
    if (q.bound() != v1::QUOTA_BOUND_AT_LEAST) continue;
    std::set<std::string> groups;
    if (!q.value().empty()) {
      groups.insert(q.value());
    } else {
      for (size_t i = 0; i < n; ++i) {
        if (!eligible[i]) continue;
        for (const std::string& v : QuotaGroups(q, candidates[i])) groups.insert(v);
      }
    }
    for (const std::string& g : groups) {
      bool blocked_by_at_most = false;
      for (size_t i = 0; i < n && counts.Count(qi, g) < q.count() && seats_left > 0; ++i) {
        if (!eligible[i] || selected[i]) continue;
        const std::vector<std::string> own = QuotaGroups(q, candidates[i]);
        if (std::find(own.begin(), own.end(), g) == own.end()) continue;
        size_t mq;
        std::string mv;
        if (counts.BreaksAtMost(candidates[i], &mq, &mv)) {
          blocked_by_at_most = true;
          continue;
        }
        take(i);
        if (by_score.count(i) == 0) {
          binding[i] = q.quota_id();
          explanation[i] = absl::StrCat("selected to meet ", DescribeQuota(q, g), " (at least ", q.count(),
                                        "), rank ", i + 1, ", score ", Score(candidates[i].score));
        }
      }
      const int have = counts.Count(qi, g);
      if (have < q.count()) {
        std::string why = seats_left <= 0          ? "no seats left"
                          : blocked_by_at_most     ? "the rest are refused by AT_MOST quotas"
                                                   : "not enough eligible applications";
        std::string note = absl::StrCat(DescribeQuota(q, g), " cannot be met: ", have, " of ", q.count(),
                                        " (", why, ")");
        unmet[{qi, g}] = note;
      }
    }
  }

  // 2. Remaining seats in rank order, skipping AT_MOST refusals.
  for (size_t i = 0; i < n && seats_left > 0; ++i) {
    if (!eligible[i] || selected[i]) continue;
    size_t mq;
    std::string mv;
    if (counts.BreaksAtMost(candidates[i], &mq, &mv)) {
      const v1::Quota& q = settings.quotas[mq];
      binding[i] = q.quota_id();
      explanation[i] = absl::StrCat(DescribeQuota(q, mv), " full (", counts.Count(mq, mv), " of ", q.count(), ")");
      continue;
    }
    take(i);
  }

  // 3. Decisions: waiting list in rank order, then the rest rejected.
  SelectionResult result;
  int waitlisted = 0;
  for (size_t i = 0; i < n; ++i) {
    const Candidate& c = candidates[i];
    v1::SelectionDecision d;
    d.set_application(c.application);
    d.set_organisation_name(c.organisation_name);
    d.set_rank(static_cast<int>(i) + 1);
    d.set_score(c.score);
    d.set_binding_quota(binding[i]);
    std::string why = explanation[i];
    if (selected[i]) {
      d.set_outcome(v1::SELECTION_OUTCOME_SELECTED);
      if (why.empty()) why = absl::StrCat("selected by score ", Score(c.score), ", rank ", i + 1);
    } else if (c.review_count == 0) {
      d.set_outcome(v1::SELECTION_OUTCOME_REJECTED);
      why = "not reviewed";
    } else if (!eligible[i]) {
      d.set_outcome(v1::SELECTION_OUTCOME_REJECTED);
      why = absl::StrCat("score ", Score(c.score), " below the minimum ", Score(settings.min_score));
    } else if (settings.waitlist_size == 0 || waitlisted < settings.waitlist_size) {
      d.set_outcome(v1::SELECTION_OUTCOME_WAITLISTED);
      d.set_waitlist_position(++waitlisted);
      why = absl::StrCat(why.empty() ? "no seat left" : why, "; waiting list position ", waitlisted);
    } else {
      d.set_outcome(v1::SELECTION_OUTCOME_REJECTED);
      why = absl::StrCat(why.empty() ? "no seat left" : why, "; waiting list full (", settings.waitlist_size, ")");
    }
    for (const auto& [key, note] : unmet) {
      const std::vector<std::string> own = QuotaGroups(settings.quotas[key.first], c);
      if (std::find(own.begin(), own.end(), key.second) != own.end()) absl::StrAppend(&why, "; ", note);
    }
    d.set_explanation(why);
    result.decisions.push_back(std::move(d));
  }
  for (const auto& [key, note] : unmet) {
    result.notes.push_back(note);
    bool has_member = false;
    for (const Candidate& c : candidates) {
      const std::vector<std::string> own = QuotaGroups(settings.quotas[key.first], c);
      has_member = has_member || std::find(own.begin(), own.end(), key.second) != own.end();
    }
    // Nobody to carry the remark: the top decision does, so the run still explains itself.
    if (!has_member && !result.decisions.empty()) {
      absl::StrAppend(result.decisions[0].mutable_explanation(), "; ", note);
    }
  }
  return result;
}

std::optional<RefillChoice> PickRefill(const std::vector<Candidate>& holding, const std::vector<Candidate>& waitlist,
                                       const std::vector<v1::Quota>& quotas) {
  QuotaCounts counts(&quotas);
  for (const Candidate& c : holding) counts.Add(c);
  std::optional<size_t> first_fit;
  for (size_t i = 0; i < waitlist.size(); ++i) {
    size_t q;
    std::string v;
    if (counts.BreaksAtMost(waitlist[i], &q, &v)) continue;
    if (!first_fit) first_fit = i;
    if (counts.FillsUnmetAtLeast(waitlist[i], &q, &v)) {
      return RefillChoice{i, quotas[q].quota_id(),
                          absl::StrCat("refilled from waiting list position ", i + 1, " to meet ",
                                       DescribeQuota(quotas[q], v), " (", counts.Count(q, v), " of ",
                                       quotas[q].count(), ")")};
    }
  }
  if (!first_fit) return std::nullopt;
  return RefillChoice{*first_fit, "",
                      absl::StrCat("refilled from waiting list position ", *first_fit + 1,
                                   *first_fit > 0 ? " (earlier ones are refused by AT_MOST quotas)" : "")};
}

}  // namespace etnik::registration
