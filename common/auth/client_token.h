#ifndef ETNIK_COMMON_AUTH_CLIENT_TOKEN_H_
#define ETNIK_COMMON_AUTH_CLIENT_TOKEN_H_

// Client side: carries a bearer token on an outgoing gRPC call.

#include "absl/strings/string_view.h"
#include "grpcpp/client_context.h"

namespace etnik::auth {

// Adds `authorization: Bearer <token>`; an empty token adds nothing (an anonymous call).
void AttachBearerToken(grpc::ClientContext& context, absl::string_view token);

}  // namespace etnik::auth

#endif  // ETNIK_COMMON_AUTH_CLIENT_TOKEN_H_
