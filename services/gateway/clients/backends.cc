#include "services/gateway/clients/backends.h"

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/security/credentials.h"

namespace etnik::gateway {

Backends::Backends(const std::map<std::string, std::string>& targets) {
  for (const auto& [name, target] : targets) {
    channels_[name] = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  }
}

std::shared_ptr<grpc::Channel> Backends::channel(const std::string& name) const {
  auto it = channels_.find(name);
  return it == channels_.end() ? nullptr : it->second;
}

grpc::Status Backends::Call(const std::string& backend, const std::string& full_method,
                            grpc::ClientContext& context, const google::protobuf::Message& request,
                            google::protobuf::Message* response) const {
  std::shared_ptr<grpc::Channel> ch = channel(backend);
  if (ch == nullptr) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "backend " + backend + " is not configured");
  grpc::internal::RpcMethod method(full_method.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
  return grpc::internal::BlockingUnaryCall<google::protobuf::Message, google::protobuf::Message>(
      ch.get(), method, &context, request, response);
}

std::map<std::string, std::string> Backends::Health(absl::Duration deadline) const {
  using grpc::health::v1::HealthCheckResponse;
  std::map<std::string, std::string> out;
  for (const auto& [name, channel] : channels_) {
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    grpc::health::v1::HealthCheckRequest request;
    HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    out[name] = status.ok() ? HealthCheckResponse::ServingStatus_Name(response.status()) : "UNREACHABLE";
  }
  return out;
}

}  // namespace etnik::gateway
