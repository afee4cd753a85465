#include "services/registration/api/registration_api.h"

#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"

namespace etnik::registration {

RegistrationApi::Reactor* RegistrationApi::Unimplemented(Ctx* ctx, const char* method) {
  Reactor* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, absl::StrCat(method, " is not implemented yet")));
  return reactor;
}

}  // namespace etnik::registration
