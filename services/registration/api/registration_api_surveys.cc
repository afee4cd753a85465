// Survey responses and their summary.

#include "services/registration/api/registration_api.h"
#include "services/registration/api/serve.h"

namespace etnik::registration {

RegistrationApi::Reactor* RegistrationApi::CreateSurveyResponse(Ctx* ctx, In<v1::CreateSurveyResponseRequest> req, v1::SurveyResponse* resp) {
  return Unimplemented(ctx, "CreateSurveyResponse");
}

RegistrationApi::Reactor* RegistrationApi::ListSurveyResponses(Ctx* ctx, In<v1::ListSurveyResponsesRequest> req, v1::ListSurveyResponsesResponse* resp) {
  return Unimplemented(ctx, "ListSurveyResponses");
}

RegistrationApi::Reactor* RegistrationApi::GetSurveySummary(Ctx* ctx, In<v1::GetSurveySummaryRequest> req, v1::SurveySummary* resp) {
  return Unimplemented(ctx, "GetSurveySummary");
}

}  // namespace etnik::registration
