#ifndef ETNIK_SERVICES_REGISTRATION_SELECTION_QUOTA_GROUPS_H_
#define ETNIK_SERVICES_REGISTRATION_SELECTION_QUOTA_GROUPS_H_

// Which quota groups a candidate falls into, and running counts of selected members.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "etnik/registration/v1/form.pb.h"
#include "etnik/registration/v1/selection.pb.h"
#include "services/registration/domain/messages.h"

namespace etnik::registration {

// One application as the selection sees it.
struct Candidate {
  std::string application;  // resource name; the last tie-break
  std::string organisation_name;
  std::string region;
  // question_id -> answer values (choice values, text, "true"/"false", numbers), for ANSWER quotas.
  std::map<std::string, std::vector<std::string>> answers;
  double score = 0;
  int review_count = 0;
  absl::Time submit_time = absl::InfinitePast();
};

// The values an Answer contributes to ANSWER quota groups.
std::vector<std::string> AnswerValues(const etnik::registration::v1::Answer& answer);

// Group values of `candidate` under `quota`: the quota's value if the candidate has it, or
// every value the candidate has when the quota's value is empty ("each value separately").
std::vector<std::string> QuotaGroups(const etnik::registration::v1::Quota& quota, const Candidate& candidate);

// Checks quotas (ids, dimension, question, bound, count); violations under `field`[i].
void ValidateQuotas(const std::vector<etnik::registration::v1::Quota>& quotas, const std::string& field, Language lang,
                    std::vector<etnik::FieldViolation>* violations);

// Counts of held seats per (quota index, group value).
class QuotaCounts {
 public:
  explicit QuotaCounts(const std::vector<etnik::registration::v1::Quota>* quotas) : quotas_(quotas) {}

  void Add(const Candidate& c);
  int Count(size_t quota, const std::string& value) const;
  // The AT_MOST quota admitting `c` would exceed (index, group value), if any.
  bool BreaksAtMost(const Candidate& c, size_t* quota, std::string* value) const;
  // True when `c` belongs to a group of an AT_LEAST quota that is below its count.
  bool FillsUnmetAtLeast(const Candidate& c, size_t* quota, std::string* value) const;

 private:
  const std::vector<etnik::registration::v1::Quota>* quotas_;
  std::map<std::pair<size_t, std::string>, int> counts_;
};

// "region quota region-max RU-SMO" / "answer quota theme-min theme=ecology", for explanations.
std::string DescribeQuota(const etnik::registration::v1::Quota& quota, const std::string& value);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_SELECTION_QUOTA_GROUPS_H_
