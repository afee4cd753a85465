// Programmes and their stages.

#include "services/registration/api/registration_api.h"
#include "services/registration/api/serve.h"

namespace etnik::registration {

RegistrationApi::Reactor* RegistrationApi::CreateProgramme(Ctx* ctx, In<v1::CreateProgrammeRequest> req, v1::Programme* resp) {
  return Unimplemented(ctx, "CreateProgramme");
}

RegistrationApi::Reactor* RegistrationApi::GetProgramme(Ctx* ctx, In<v1::GetProgrammeRequest> req, v1::Programme* resp) {
  return Unimplemented(ctx, "GetProgramme");
}

RegistrationApi::Reactor* RegistrationApi::ListProgrammes(Ctx* ctx, In<v1::ListProgrammesRequest> req, v1::ListProgrammesResponse* resp) {
  return Unimplemented(ctx, "ListProgrammes");
}

RegistrationApi::Reactor* RegistrationApi::UpdateProgramme(Ctx* ctx, In<v1::UpdateProgrammeRequest> req, v1::Programme* resp) {
  return Unimplemented(ctx, "UpdateProgramme");
}

}  // namespace etnik::registration
