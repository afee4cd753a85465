// Forms.

#include "services/registration/api/registration_api.h"
#include "services/registration/api/serve.h"

namespace etnik::registration {

RegistrationApi::Reactor* RegistrationApi::CreateForm(Ctx* ctx, In<v1::CreateFormRequest> req, v1::Form* resp) {
  return Unimplemented(ctx, "CreateForm");
}

RegistrationApi::Reactor* RegistrationApi::GetForm(Ctx* ctx, In<v1::GetFormRequest> req, v1::Form* resp) {
  return Unimplemented(ctx, "GetForm");
}

RegistrationApi::Reactor* RegistrationApi::ListForms(Ctx* ctx, In<v1::ListFormsRequest> req, v1::ListFormsResponse* resp) {
  return Unimplemented(ctx, "ListForms");
}

RegistrationApi::Reactor* RegistrationApi::UpdateForm(Ctx* ctx, In<v1::UpdateFormRequest> req, v1::Form* resp) {
  return Unimplemented(ctx, "UpdateForm");
}

RegistrationApi::Reactor* RegistrationApi::DeleteForm(Ctx* ctx, In<v1::DeleteFormRequest> req, Empty* resp) {
  return Unimplemented(ctx, "DeleteForm");
}

}  // namespace etnik::registration
