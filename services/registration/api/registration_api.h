#ifndef ETNIK_SERVICES_REGISTRATION_API_REGISTRATION_API_H_
#define ETNIK_SERVICES_REGISTRATION_API_REGISTRATION_API_H_

// gRPC face of the registration service. Every call is authenticated (anonymous callers get
// only the public reads), authorised in its handler, and answered with rich errors.
// Handlers live in one file per area (see the comments below); Serve() is in serve.h.

#include "absl/status/status.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "services/registration/api/service_context.h"

namespace etnik::registration {

class RegistrationApi final : public etnik::registration::v1::RegistrationService::CallbackService {
 public:
  // `ctx` must outlive the service.
  explicit RegistrationApi(ServiceContext& ctx) : ctx_(ctx) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  using Empty = google::protobuf::Empty;
  template <typename T>
  using In = const T*;

  // Programmes (registration_api_programmes.cc).
  Reactor* CreateProgramme(Ctx* ctx, In<v1::CreateProgrammeRequest> req, v1::Programme* resp) override;
  Reactor* GetProgramme(Ctx* ctx, In<v1::GetProgrammeRequest> req, v1::Programme* resp) override;
  Reactor* ListProgrammes(Ctx* ctx, In<v1::ListProgrammesRequest> req, v1::ListProgrammesResponse* resp) override;
  Reactor* UpdateProgramme(Ctx* ctx, In<v1::UpdateProgrammeRequest> req, v1::Programme* resp) override;

  // Forms (registration_api_forms.cc).
  Reactor* CreateForm(Ctx* ctx, In<v1::CreateFormRequest> req, v1::Form* resp) override;
  Reactor* GetForm(Ctx* ctx, In<v1::GetFormRequest> req, v1::Form* resp) override;
  Reactor* ListForms(Ctx* ctx, In<v1::ListFormsRequest> req, v1::ListFormsResponse* resp) override;
  Reactor* UpdateForm(Ctx* ctx, In<v1::UpdateFormRequest> req, v1::Form* resp) override;
  Reactor* DeleteForm(Ctx* ctx, In<v1::DeleteFormRequest> req, Empty* resp) override;

  // Applications (registration_api_applications.cc).
  Reactor* CreateApplication(Ctx* ctx, In<v1::CreateApplicationRequest> req, v1::Application* resp) override;
  Reactor* GetApplication(Ctx* ctx, In<v1::GetApplicationRequest> req, v1::Application* resp) override;
  Reactor* ListApplications(Ctx* ctx, In<v1::ListApplicationsRequest> req, v1::ListApplicationsResponse* resp) override;
  Reactor* UpdateApplication(Ctx* ctx, In<v1::UpdateApplicationRequest> req, v1::Application* resp) override;
  Reactor* DeleteApplication(Ctx* ctx, In<v1::DeleteApplicationRequest> req, Empty* resp) override;
  Reactor* SubmitApplication(Ctx* ctx, In<v1::SubmitApplicationRequest> req, v1::Application* resp) override;
  Reactor* WithdrawApplication(Ctx* ctx, In<v1::WithdrawApplicationRequest> req, v1::Application* resp) override;
  Reactor* ExportApplications(Ctx* ctx, In<v1::ExportApplicationsRequest> req, v1::ExportApplicationsResponse* resp) override;

  // Review (registration_api_review.cc).
  Reactor* AssignReviewers(Ctx* ctx, In<v1::AssignReviewersRequest> req, v1::AssignReviewersResponse* resp) override;
  Reactor* ListReviewerAssignments(Ctx* ctx, In<v1::ListReviewerAssignmentsRequest> req, v1::ListReviewerAssignmentsResponse* resp) override;
  Reactor* DeclareConflict(Ctx* ctx, In<v1::DeclareConflictRequest> req, v1::ConflictDeclaration* resp) override;
  Reactor* ListConflictDeclarations(Ctx* ctx, In<v1::ListConflictDeclarationsRequest> req, v1::ListConflictDeclarationsResponse* resp) override;
  Reactor* ReviewApplication(Ctx* ctx, In<v1::ReviewApplicationRequest> req, v1::Review* resp) override;
  Reactor* ListReviews(Ctx* ctx, In<v1::ListReviewsRequest> req, v1::ListReviewsResponse* resp) override;
  Reactor* GetReviewProgress(Ctx* ctx, In<v1::GetReviewProgressRequest> req, v1::ReviewProgress* resp) override;

  // Selection and offers (registration_api_selection.cc).
  Reactor* RunSelection(Ctx* ctx, In<v1::RunSelectionRequest> req, v1::SelectionRun* resp) override;
  Reactor* GetSelectionRun(Ctx* ctx, In<v1::GetSelectionRunRequest> req, v1::SelectionRun* resp) override;
  Reactor* ListSelectionRuns(Ctx* ctx, In<v1::ListSelectionRunsRequest> req, v1::ListSelectionRunsResponse* resp) override;
  Reactor* GetOffer(Ctx* ctx, In<v1::GetOfferRequest> req, v1::Offer* resp) override;
  Reactor* ListOffers(Ctx* ctx, In<v1::ListOffersRequest> req, v1::ListOffersResponse* resp) override;
  Reactor* RespondToOffer(Ctx* ctx, In<v1::RespondToOfferRequest> req, v1::Offer* resp) override;

  // Surveys (registration_api_surveys.cc).
  Reactor* CreateSurveyResponse(Ctx* ctx, In<v1::CreateSurveyResponseRequest> req, v1::SurveyResponse* resp) override;
  Reactor* ListSurveyResponses(Ctx* ctx, In<v1::ListSurveyResponsesRequest> req, v1::ListSurveyResponsesResponse* resp) override;
  Reactor* GetSurveySummary(Ctx* ctx, In<v1::GetSurveySummaryRequest> req, v1::SurveySummary* resp) override;

  // Participants and progress (registration_api_selection.cc).
  Reactor* GetParticipant(Ctx* ctx, In<v1::GetParticipantRequest> req, v1::Participant* resp) override;
  Reactor* ListParticipants(Ctx* ctx, In<v1::ListParticipantsRequest> req, v1::ListParticipantsResponse* resp) override;
  Reactor* GetRegistrationProgress(Ctx* ctx, In<v1::GetRegistrationProgressRequest> req, v1::RegistrationProgress* resp) override;
 private:
  // Authenticates, builds the Caller, runs `handler(caller)` and finishes the call with its
  // status (mapped to gRPC with its details).
  template <typename Handler>
  Reactor* Serve(Ctx* ctx, Handler&& handler);
  // Finishes the call with UNIMPLEMENTED.
  static Reactor* Unimplemented(Ctx* ctx, const char* method);

  ServiceContext& ctx_;
};

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_API_REGISTRATION_API_H_
