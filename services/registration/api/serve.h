#ifndef ETNIK_SERVICES_REGISTRATION_API_SERVE_H_
#define ETNIK_SERVICES_REGISTRATION_API_SERVE_H_

// RegistrationApi::Serve, shared by the handler files.

#include "common/server/request_id.h"
#include "common/status/grpc_status.h"
#include "services/registration/api/registration_api.h"

namespace etnik::registration {

template <typename Handler>
RegistrationApi::Reactor* RegistrationApi::Serve(Ctx* ctx, Handler&& handler) {
  Reactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<auth::Identity> who = ctx_.authenticator.Authenticate(*ctx);
  absl::Status status;
  if (!who.ok()) {
    status = who.status();
  } else {
    Caller caller{*std::move(who), CallLanguage(*ctx), server::RequestIdOf(*ctx)};
    status = handler(static_cast<const Caller&>(caller));
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_API_SERVE_H_
