#ifndef ETNIK_COMMON_SERVER_SERVER_RUNNER_H_
#define ETNIK_COMMON_SERVER_SERVER_RUNNER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "common/server/http_listener.h"
#include "prometheus/registry.h"

namespace etnik::server {

struct ServerOptions {
  std::string name;                             // "hubs": logs and the gateway's health names
  std::string grpc_address = "127.0.0.1:0";    // port 0 picks a free port
  std::string metrics_address = "127.0.0.1:0";  // empty: no /metrics endpoint
  absl::Duration drain_delay = absl::ZeroDuration();     // NOT_SERVING before stopping, for load balancers
  absl::Duration shutdown_grace = absl::Seconds(10);    // in-flight calls get this long to finish
  int max_receive_message_bytes = 4 << 20;
};

// Runs one gRPC server the way every etnik process does: callback services, grpc.health.v1
// with overall and per-service status, server reflection, request ids, standard gRPC metrics
// on a separate /metrics port, and graceful shutdown.
class ServerRunner {
 public:
  explicit ServerRunner(ServerOptions options);
  ~ServerRunner();
  ServerRunner(const ServerRunner&) = delete;
  ServerRunner& operator=(const ServerRunner&) = delete;

  // Where services register their own (domain) metrics; exposed on the same /metrics port.
  prometheus::Registry& registry() { return *registry_; }

  // Registers a service before Start(); `full_name` is its health name, e.g.
  // "etnik.hubs.v1.HubsService" (the generated Service::service_full_name()).
  void AddService(grpc::Service* service, std::string full_name);

  absl::Status Start();
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }
  const ServerOptions& options() const { return options_; }

  // Health of every registered service and of the server as a whole ("").
  void SetServing(bool serving);

  // Health NOT_SERVING, optional drain delay, then stop accepting calls and give in-flight ones
  // the grace period. Idempotent.
  void Shutdown();

 private:
  ServerOptions options_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpListener> metrics_http_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  bool shut_down_ = false;
};

// Blocks SIGINT and SIGTERM in this thread and every thread started after it, so that
// WaitForTerminationSignal() receives them. Call first thing in main().
void BlockTerminationSignals();

// Waits until SIGINT or SIGTERM arrives; returns its number.
int WaitForTerminationSignal();

// Start, log where it listens, wait for a termination signal, shut down. Returns an exit code.
int ServeUntilSignal(ServerRunner& runner);

}  // namespace etnik::server

#endif  // ETNIK_COMMON_SERVER_SERVER_RUNNER_H_
