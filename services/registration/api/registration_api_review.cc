// Reviewer assignments, conflicts of interest, reviews and review progress.

#include "services/registration/api/registration_api.h"

namespace etnik::registration {

RegistrationApi::Reactor* RegistrationApi::AssignReviewers(Ctx* ctx, In<v1::AssignReviewersRequest> req, v1::AssignReviewersResponse* resp) {
  return Unimplemented(ctx, "AssignReviewers");
}

RegistrationApi::Reactor* RegistrationApi::ListReviewerAssignments(Ctx* ctx, In<v1::ListReviewerAssignmentsRequest> req, v1::ListReviewerAssignmentsResponse* resp) {
  return Unimplemented(ctx, "ListReviewerAssignments");
}

RegistrationApi::Reactor* RegistrationApi::DeclareConflict(Ctx* ctx, In<v1::DeclareConflictRequest> req, v1::ConflictDeclaration* resp) {
  return Unimplemented(ctx, "DeclareConflict");
}

RegistrationApi::Reactor* RegistrationApi::ListConflictDeclarations(Ctx* ctx, In<v1::ListConflictDeclarationsRequest> req, v1::ListConflictDeclarationsResponse* resp) {
  return Unimplemented(ctx, "ListConflictDeclarations");
}

RegistrationApi::Reactor* RegistrationApi::ReviewApplication(Ctx* ctx, In<v1::ReviewApplicationRequest> req, v1::Review* resp) {
  return Unimplemented(ctx, "ReviewApplication");
}

RegistrationApi::Reactor* RegistrationApi::ListReviews(Ctx* ctx, In<v1::ListReviewsRequest> req, v1::ListReviewsResponse* resp) {
  return Unimplemented(ctx, "ListReviews");
}

RegistrationApi::Reactor* RegistrationApi::GetReviewProgress(Ctx* ctx, In<v1::GetReviewProgressRequest> req, v1::ReviewProgress* resp) {
  return Unimplemented(ctx, "GetReviewProgress");
}

}  // namespace etnik::registration
