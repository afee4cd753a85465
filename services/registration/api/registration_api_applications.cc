// Applications: drafts, submission, withdrawal, export.

#include "services/registration/api/registration_api.h"
#include "services/registration/api/serve.h"

namespace etnik::registration {

RegistrationApi::Reactor* RegistrationApi::CreateApplication(Ctx* ctx, In<v1::CreateApplicationRequest> req, v1::Application* resp) {
  return Unimplemented(ctx, "CreateApplication");
}

RegistrationApi::Reactor* RegistrationApi::GetApplication(Ctx* ctx, In<v1::GetApplicationRequest> req, v1::Application* resp) {
  return Unimplemented(ctx, "GetApplication");
}

RegistrationApi::Reactor* RegistrationApi::ListApplications(Ctx* ctx, In<v1::ListApplicationsRequest> req, v1::ListApplicationsResponse* resp) {
  return Unimplemented(ctx, "ListApplications");
}

RegistrationApi::Reactor* RegistrationApi::UpdateApplication(Ctx* ctx, In<v1::UpdateApplicationRequest> req, v1::Application* resp) {
  return Unimplemented(ctx, "UpdateApplication");
}

RegistrationApi::Reactor* RegistrationApi::DeleteApplication(Ctx* ctx, In<v1::DeleteApplicationRequest> req, Empty* resp) {
  return Unimplemented(ctx, "DeleteApplication");
}

RegistrationApi::Reactor* RegistrationApi::SubmitApplication(Ctx* ctx, In<v1::SubmitApplicationRequest> req, v1::Application* resp) {
  return Unimplemented(ctx, "SubmitApplication");
}

RegistrationApi::Reactor* RegistrationApi::WithdrawApplication(Ctx* ctx, In<v1::WithdrawApplicationRequest> req, v1::Application* resp) {
  return Unimplemented(ctx, "WithdrawApplication");
}

RegistrationApi::Reactor* RegistrationApi::ExportApplications(Ctx* ctx, In<v1::ExportApplicationsRequest> req, v1::ExportApplicationsResponse* resp) {
  return Unimplemented(ctx, "ExportApplications");
}

}  // namespace etnik::registration
