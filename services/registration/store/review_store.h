#ifndef ETNIK_SERVICES_REGISTRATION_STORE_REVIEW_STORE_H_
#define ETNIK_SERVICES_REGISTRATION_STORE_REVIEW_STORE_H_

// Reviewer assignments (the core table reviewer_assignments), conflict declarations and
// reviews, read and written inside the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "etnik/registration/v1/review.pb.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::registration::store {

namespace v1 = etnik::registration::v1;

// Assignments, one per (application, reviewer). Upsert keeps the first name and create_time.
absl::Status SaveAssignment(soci::session& s, absl::string_view programme, const v1::ReviewerAssignment& a);
absl::StatusOr<std::optional<v1::ReviewerAssignment>> LoadAssignment(soci::session& s, absl::string_view application,
                                                                     absl::string_view reviewer);
struct AssignmentFilter {
  std::string programme;  // programmes/{p}, required
  std::string reviewer;   // empty: all
  std::string application;  // empty: all
  v1::AssignmentState state = v1::ASSIGNMENT_STATE_UNSPECIFIED;
};
// Ordered by application then reviewer; limit < 0 means all.
absl::StatusOr<std::vector<v1::ReviewerAssignment>> ListAssignments(soci::session& s, const AssignmentFilter& f,
                                                                    int offset, int limit);
// Applications of `programme` whose organisation has `inn` and that `reviewer` is assigned to.
absl::StatusOr<std::vector<std::string>> AssignedApplicationsOfInn(soci::session& s, absl::string_view programme,
                                                                   absl::string_view reviewer, absl::string_view inn);

// Conflict declarations; ALREADY_EXISTS (reason CONFLICT_ALREADY_DECLARED) for a repeated
// (reviewer, organisation INN).
absl::Status InsertConflict(soci::session& s, absl::string_view programme, const v1::ConflictDeclaration& c);
// Ordered by creation; reviewer empty means all.
absl::StatusOr<std::vector<v1::ConflictDeclaration>> ListConflicts(soci::session& s, absl::string_view programme,
                                                                   absl::string_view reviewer, int offset, int limit);

// Reviews, one per (application, reviewer): Save replaces the earlier one.
absl::Status SaveReview(soci::session& s, absl::string_view programme, absl::string_view application,
                        const v1::Review& r);
absl::Status DeleteReview(soci::session& s, absl::string_view application, absl::string_view reviewer);
absl::StatusOr<std::optional<v1::Review>> LoadReview(soci::session& s, absl::string_view application,
                                                     absl::string_view reviewer);
// application empty: every review of the programme. Ordered by application then reviewer.
absl::StatusOr<std::vector<v1::Review>> ListReviews(soci::session& s, absl::string_view programme,
                                                    absl::string_view application, absl::string_view reviewer,
                                                    int offset, int limit);

}  // namespace etnik::registration::store

#endif  // ETNIK_SERVICES_REGISTRATION_STORE_REVIEW_STORE_H_
