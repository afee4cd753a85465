#include "services/gateway/clients/backends.h"

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
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
