#ifndef ETNIK_SERVICES_GATEWAY_CLIENTS_BACKENDS_H_
#define ETNIK_SERVICES_GATEWAY_CLIENTS_BACKENDS_H_

#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace etnik::gateway {

// Channels to the four data services, one per backend, shared by all requests.
class Backends {
 public:
  // name -> "host:port", e.g. {"hubs", "127.0.0.1:50052"}.
  explicit Backends(const std::map<std::string, std::string>& targets);

  std::shared_ptr<grpc::Channel> channel(const std::string& name) const;

  // One unary call by full method name ("/etnik.hubs.v1.HubsService/GetHub") with messages of
  // the method's own types; UNAVAILABLE for a backend the gateway was not given.
  grpc::Status Call(const std::string& backend, const std::string& full_method, grpc::ClientContext& context,
                    const google::protobuf::Message& request, google::protobuf::Message* response) const;

  // grpc.health.v1 status of every backend ("SERVING", "NOT_SERVING", "UNREACHABLE"), each
  // asked with `deadline` so a dead backend cannot hang the caller.
  std::map<std::string, std::string> Health(absl::Duration deadline) const;

 private:
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_CLIENTS_BACKENDS_H_
