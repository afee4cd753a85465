#ifndef ETNIK_TOOLS_ETNIKCTL_SELECTION_H_
#define ETNIK_TOOLS_ETNIKCTL_SELECTION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "etnik/registration/v1/selection.pb.h"
#include "tools/etnikctl/client.h"

namespace etnik::ctl {

// The knobs of a selection run; zero means the service's default.
struct SelectionSettings {
  int seats = 0;
  double min_score = 0;
  int waitlist_size = 0;
  std::vector<etnik::registration::v1::Quota> quotas;
};

// Quotas written as ID:region|answer/QUESTION:VALUE:at_most|at_least:COUNT.
absl::StatusOr<std::vector<etnik::registration::v1::Quota>> ParseQuotas(const std::vector<std::string>& specs);

// Runs the selection of `programme` (a preview unless `commit`) and prints its decisions as a
// table. Returns the exit code.
int RunSelection(const std::string& programme, bool commit, const SelectionSettings& settings,
                 const Endpoints& endpoints, const std::string& token);

}  // namespace etnik::ctl

#endif  // ETNIK_TOOLS_ETNIKCTL_SELECTION_H_
