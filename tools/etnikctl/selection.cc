// etnikctl selection: previews or commits the competitive selection and prints its decisions.

#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "tools/etnikctl/selection.h"

namespace etnik::ctl {
namespace {

namespace reg = etnik::registration::v1;

std::string Outcome(reg::SelectionOutcome o) {
  return absl::AsciiStrToLower(absl::StripPrefix(reg::SelectionOutcome_Name(o), "SELECTION_OUTCOME_"));
}

}  // namespace

absl::StatusOr<std::vector<reg::Quota>> ParseQuotas(const std::vector<std::string>& specs) {
  std::vector<reg::Quota> out;
  for (const std::string& spec : specs) {
    if (spec.empty()) continue;
    // ID:DIMENSION[/QUESTION]:VALUE:BOUND:COUNT, for example smo:region:RU-SMO:at_most:5.
    std::vector<std::string> parts = absl::StrSplit(spec, ':');
    const auto bad = [&](const std::string& why) {
      return absl::InvalidArgumentError(absl::StrCat("--quota '", spec, "': ", why,
                                                     " (ID:region|answer/QUESTION:VALUE:at_most|at_least:COUNT)"));
    };
    if (parts.size() != 5) return bad("needs five parts");
    reg::Quota q;
    q.set_quota_id(parts[0]);
    std::vector<std::string> dim = absl::StrSplit(parts[1], absl::MaxSplits('/', 1));
    if (dim[0] == "region" && dim.size() == 1) {
      q.set_dimension(reg::QUOTA_DIMENSION_REGION);
    } else if (dim[0] == "answer" && dim.size() == 2 && !dim[1].empty()) {
      q.set_dimension(reg::QUOTA_DIMENSION_ANSWER);
      q.set_question_id(dim[1]);
    } else {
      return bad("the dimension is region or answer/QUESTION");
    }
    q.set_value(parts[2]);
    if (parts[3] == "at_most") {
      q.set_bound(reg::QUOTA_BOUND_AT_MOST);
    } else if (parts[3] == "at_least") {
      q.set_bound(reg::QUOTA_BOUND_AT_LEAST);
    } else {
      return bad("the bound is at_most or at_least");
    }
    int count = 0;
    if (!absl::SimpleAtoi(parts[4], &count) || count < 0) return bad("the count is a whole number");
    q.set_count(count);
    out.push_back(q);
  }
  return out;
}

int RunSelection(const std::string& programme, bool commit, const SelectionSettings& settings,
                 const Endpoints& endpoints, const std::string& token) {
  auto stub = reg::RegistrationService::NewStub(Connect(endpoints.registration));
  reg::RunSelectionRequest req;
  req.set_parent(programme);
  reg::SelectionRun* run = req.mutable_selection_run();
  run->set_preview(!commit);
  run->set_seats(settings.seats);
  run->set_min_score(settings.min_score);
  run->set_waitlist_size(settings.waitlist_size);
  for (const reg::Quota& q : settings.quotas) *run->add_quotas() = q;
  // A committed run is never repeated for the same key: a retry of this call is safe, a new
  // command is a new run.
  req.set_request_id(absl::StrCat("etnikctl-selection-", absl::ToUnixNanos(absl::Now())));
  reg::SelectionRun result;
  grpc::Status st = CallWithRetry(token, [&](grpc::ClientContext& c) { return stub->RunSelection(&c, req, &result); });
  if (!st.ok()) {
    std::cerr << "etnikctl: "
              << HumanError({"registration", endpoints.registration},
                            absl::StrCat(commit ? "commit" : "preview", " the selection of ", programme), st, token)
              << "\n";
    return 1;
  }
  std::cout << absl::StrFormat("%4s %7s %-11s %4s %-14s %-40s %s\n", "RANK", "SCORE", "OUTCOME", "WAIT", "QUOTA",
                               "APPLICATION", "ORGANISATION");
  int counts[4] = {0, 0, 0, 0};
  for (const reg::SelectionDecision& d : result.decisions()) {
    ++counts[d.outcome() >= 0 && d.outcome() <= 3 ? d.outcome() : 0];
    std::cout << absl::StrFormat("%4d %7.2f %-11s %4s %-14s %-40s %s\n", d.rank(), d.score(), Outcome(d.outcome()),
                                 d.waitlist_position() > 0 ? absl::StrCat(d.waitlist_position()) : "-",
                                 d.binding_quota().empty() ? "-" : d.binding_quota(),
                                 absl::StripPrefix(d.application(), programme + "/applications/"),
                                 d.organisation_name());
  }
  std::cout << counts[reg::SELECTION_OUTCOME_SELECTED] << " selected, " << counts[reg::SELECTION_OUTCOME_WAITLISTED]
            << " waitlisted, " << counts[reg::SELECTION_OUTCOME_REJECTED] << " rejected";
  if (!result.tie_break().empty()) std::cout << "; ties: " << result.tie_break();
  std::cout << "\n"
            << (commit ? absl::StrCat("committed as ", result.name(), ": offers go out to the selected\n")
                       : std::string("preview: nothing changed; run `selection commit --yes` to apply\n"));
  return 0;
}

}  // namespace etnik::ctl
