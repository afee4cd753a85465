#ifndef ETNIK_COMMON_STATUS_GRPC_STATUS_H_
#define ETNIK_COMMON_STATUS_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace etnik {

// Maps a domain status to a gRPC status whose binary details are a google.rpc.Status carrying
// every payload of the domain status (ErrorInfo, BadRequest, ...) as Any.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients of our own services: details become payloads again.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace etnik

#endif  // ETNIK_COMMON_STATUS_GRPC_STATUS_H_
