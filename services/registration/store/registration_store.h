#ifndef ETNIK_SERVICES_REGISTRATION_STORE_REGISTRATION_STORE_H_
#define ETNIK_SERVICES_REGISTRATION_STORE_REGISTRATION_STORE_H_

// Rows of the core tables, read and written inside the caller's transaction
// (db::Database::InTransaction). Keys come from the resources' names:
//   programmes/{p}, programmes/{p}/forms/{f}, programmes/{p}/applications/{a},
//   programmes/{p}/forms/{f}/responses/{r}.
// Save* functions stamp a new etag (a hash of the resource without its etag) into the proto
// before writing it, so what the caller returns is what is stored.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "etnik/registration/v1/application.pb.h"
#include "etnik/registration/v1/form.pb.h"
#include "etnik/registration/v1/programme.pb.h"
#include "etnik/registration/v1/survey.pb.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::registration::store {

namespace v1 = etnik::registration::v1;

// Sets the message's `etag` field to a hash of its other fields.
void StampEtag(google::protobuf::Message& message);

// Programmes, keyed by name.
absl::StatusOr<std::optional<v1::Programme>> LoadProgramme(soci::session& s, absl::string_view name);
// INSERT; ALREADY_EXISTS when the name is taken.
absl::Status InsertProgramme(soci::session& s, v1::Programme& programme);
absl::Status SaveProgramme(soci::session& s, v1::Programme& programme);
// Newest first.
absl::StatusOr<std::vector<v1::Programme>> ListAllProgrammes(soci::session& s);

// Forms of a programme.
absl::StatusOr<std::optional<v1::Form>> LoadForm(soci::session& s, absl::string_view name);
absl::Status InsertForm(soci::session& s, v1::Form& form);
absl::Status SaveForm(soci::session& s, v1::Form& form);
absl::Status DeleteForm(soci::session& s, absl::string_view name);
// Every form of `programme_name` in creation order.
absl::StatusOr<std::vector<v1::Form>> ListAllForms(soci::session& s, absl::string_view programme_name);

// Applications. The indexed columns (form, INN, organisation name, applicant, state, region,
// score, submit time) are taken from the proto on every write.
absl::StatusOr<std::optional<v1::Application>> LoadApplication(soci::session& s, absl::string_view name);
// INSERT; ALREADY_EXISTS with reason APPLICATION_EXISTS and metadata "application" (the
// existing application's name) when the organisation's INN already applied to the programme.
absl::Status InsertApplication(soci::session& s, v1::Application& application);
// UPDATE of an existing row; same ALREADY_EXISTS as above when the INN changed to a taken one.
absl::Status SaveApplication(soci::session& s, v1::Application& application);
absl::Status DeleteApplication(soci::session& s, absl::string_view name);
// The application of `inn` in the programme, if any.
absl::StatusOr<std::optional<std::string>> FindApplicationByInn(soci::session& s, absl::string_view programme_name,
                                                                 absl::string_view inn);
// Every application answering `form_name` (for checks on form changes).
absl::StatusOr<std::vector<v1::Application>> ApplicationsOfForm(soci::session& s, absl::string_view form_name);

struct ApplicationFilter {
  std::string programme;                   // programmes/{p}, required
  std::vector<v1::ApplicationState> states;  // empty: all
  bool exclude_drafts = false;
  std::string region;     // empty: all
  std::string applicant;  // empty: all; else only this subject's applications
  // Empty: all; else only applications with a non-recused assignment of this reviewer.
  std::string assigned_reviewer;
  enum class Order { kSubmitTime, kScoreDesc, kOrganisationName } order = Order::kSubmitTime;
};
absl::StatusOr<std::vector<v1::Application>> ListApplications(soci::session& s, const ApplicationFilter& filter,
                                                              int offset, int limit);
absl::StatusOr<int> CountApplications(soci::session& s, const ApplicationFilter& filter);

// Whether `reviewer` has a non-recused assignment of the application (reviewer_assignments).
absl::StatusOr<bool> IsAssignedReviewer(soci::session& s, absl::string_view application_name,
                                        absl::string_view reviewer);

// Survey responses of a form.
absl::Status InsertSurveyResponse(soci::session& s, const v1::SurveyResponse& response);
absl::StatusOr<std::vector<v1::SurveyResponse>> ListSurveyResponses(soci::session& s, absl::string_view form_name,
                                                                     int offset, int limit);
absl::StatusOr<int> CountSurveyResponses(soci::session& s, absl::string_view form_name);

// Idempotency: the stored result of (scope, request_id), written in the same transaction as
// the change it answers. `scope` names the method and the caller, e.g. "SubmitApplication:sub".
absl::StatusOr<std::optional<std::string>> RecallRequest(soci::session& s, absl::string_view scope,
                                                         absl::string_view request_id);
absl::Status RememberRequest(soci::session& s, absl::string_view scope, absl::string_view request_id,
                             absl::string_view result, int64_t now_us);

}  // namespace etnik::registration::store

#endif  // ETNIK_SERVICES_REGISTRATION_STORE_REGISTRATION_STORE_H_
