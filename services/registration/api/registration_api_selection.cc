// Selection runs, offers, participants and registration progress.

#include "services/registration/api/registration_api.h"

namespace etnik::registration {

RegistrationApi::Reactor* RegistrationApi::RunSelection(Ctx* ctx, In<v1::RunSelectionRequest> req, v1::SelectionRun* resp) {
  return Unimplemented(ctx, "RunSelection");
}

RegistrationApi::Reactor* RegistrationApi::GetSelectionRun(Ctx* ctx, In<v1::GetSelectionRunRequest> req, v1::SelectionRun* resp) {
  return Unimplemented(ctx, "GetSelectionRun");
}

RegistrationApi::Reactor* RegistrationApi::ListSelectionRuns(Ctx* ctx, In<v1::ListSelectionRunsRequest> req, v1::ListSelectionRunsResponse* resp) {
  return Unimplemented(ctx, "ListSelectionRuns");
}

RegistrationApi::Reactor* RegistrationApi::GetOffer(Ctx* ctx, In<v1::GetOfferRequest> req, v1::Offer* resp) {
  return Unimplemented(ctx, "GetOffer");
}

RegistrationApi::Reactor* RegistrationApi::ListOffers(Ctx* ctx, In<v1::ListOffersRequest> req, v1::ListOffersResponse* resp) {
  return Unimplemented(ctx, "ListOffers");
}

RegistrationApi::Reactor* RegistrationApi::RespondToOffer(Ctx* ctx, In<v1::RespondToOfferRequest> req, v1::Offer* resp) {
  return Unimplemented(ctx, "RespondToOffer");
}

RegistrationApi::Reactor* RegistrationApi::GetParticipant(Ctx* ctx, In<v1::GetParticipantRequest> req, v1::Participant* resp) {
  return Unimplemented(ctx, "GetParticipant");
}

RegistrationApi::Reactor* RegistrationApi::ListParticipants(Ctx* ctx, In<v1::ListParticipantsRequest> req, v1::ListParticipantsResponse* resp) {
  return Unimplemented(ctx, "ListParticipants");
}

RegistrationApi::Reactor* RegistrationApi::GetRegistrationProgress(Ctx* ctx, In<v1::GetRegistrationProgressRequest> req, v1::RegistrationProgress* resp) {
  return Unimplemented(ctx, "GetRegistrationProgress");
}

}  // namespace etnik::registration
