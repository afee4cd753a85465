#ifndef ETNIK_SERVICES_HUBS_API_SERVE_H_
#define ETNIK_SERVICES_HUBS_API_SERVE_H_

// HubsApi::Serve, shared by the handler files.

#include "common/server/request_id.h"
#include "common/status/grpc_status.h"
#include "services/hubs/api/hubs_api.h"

namespace etnik::hubs {

template <typename Handler>
HubsApi::Reactor* HubsApi::Serve(Ctx* ctx, Handler&& handler) {
  Reactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<auth::Identity> who = auth_.Authenticate(*ctx);
  absl::Status status;
  if (!who.ok()) {
    status = who.status();
  } else {
    Caller caller{*who, CallContext{who->subject, server::RequestIdOf(*ctx)}};
    status = handler(caller);
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_API_SERVE_H_
