#ifndef ETNIK_COMMON_SERVER_REQUEST_ID_H_
#define ETNIK_COMMON_SERVER_REQUEST_ID_H_

#include <string>

#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace etnik::server {

// Metadata key that carries a request id across services and back to the caller.
inline constexpr char kRequestIdKey[] = "x-request-id";

// The request id of a call: the caller's, or the one the interceptor made for it.
std::string RequestIdOf(const grpc::ServerContextBase& context);

// Makes sure every call has a request id (kept from the caller or made anew), visible to the
// handler in the client metadata and returned to the caller in the initial metadata.
class RequestIdInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace etnik::server

#endif  // ETNIK_COMMON_SERVER_REQUEST_ID_H_
