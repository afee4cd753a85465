#include "common/server/server_runner.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/server/metrics_interceptor.h"
#include "common/server/request_id.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "httplib.h"
#include "prometheus/text_serializer.h"

namespace etnik::server {

ServerRunner::ServerRunner(ServerOptions options)
    : options_(std::move(options)), registry_(std::make_shared<prometheus::Registry>()) {}

ServerRunner::~ServerRunner() { Shutdown(); }

void ServerRunner::AddService(grpc::Service* service, std::string full_name) {
  services_.emplace_back(service, std::move(full_name));
}

absl::Status ServerRunner::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.grpc_address, grpc::InsecureServerCredentials(), &grpc_port_);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  // Without this a second process could bind the same port and silently take half the calls.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  for (auto& [service, name] : services_) builder.RegisterService(service);

  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<RequestIdInterceptorFactory>());
  interceptors.push_back(
      std::make_unique<MetricsInterceptorFactory>(std::make_shared<GrpcServerMetrics>(*registry_)));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat(options_.name, ": cannot listen for gRPC on ", options_.grpc_address,
                                               " (address in use or invalid)"));
  }
  if (!options_.metrics_address.empty()) {
    metrics_http_ = std::make_unique<HttpListener>();
    metrics_http_->server().Get("/metrics", [registry = registry_](const httplib::Request&, httplib::Response& res) {
      res.set_content(prometheus::TextSerializer().Serialize(registry->Collect()), "text/plain; version=0.0.4");
    });
    absl::Status listening = metrics_http_->Start(options_.metrics_address);
    if (!listening.ok()) {
      Shutdown();
      return absl::UnavailableError(absl::StrCat(options_.name, ": cannot serve /metrics: ", listening.message()));
    }
    metrics_port_ = metrics_http_->port();
  }
  SetServing(true);
  return absl::OkStatus();
}

void ServerRunner::SetServing(bool serving) {
  if (server_ == nullptr || shut_down_) return;
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(serving);  // "" and every service name known so far
  for (auto& [service, name] : services_) health->SetServingStatus(name, serving);
}

void ServerRunner::Shutdown() {
  if (server_ == nullptr || shut_down_) return;
  SetServing(false);
  shut_down_ = true;
  // Stops later status changes; health stays NOT_SERVING while calls drain.
  server_->GetHealthCheckService()->Shutdown();
  if (options_.drain_delay > absl::ZeroDuration()) absl::SleepFor(options_.drain_delay);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.shutdown_grace));
  server_->Wait();
  if (metrics_http_) metrics_http_->Stop();
  log::Info("server stopped", {{"server", options_.name}});
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  return signal_number;
}

int ServeUntilSignal(ServerRunner& runner) {
  absl::Status started = runner.Start();
  if (!started.ok()) {
    log::Error("cannot start", {{"error", std::string(started.message())}});
    return 1;
  }
  log::Info("serving", {{"server", runner.options().name},
                        {"grpc_port", absl::StrCat(runner.grpc_port())},
                        {"metrics_port", absl::StrCat(runner.metrics_port())}});
  int signal_number = WaitForTerminationSignal();
  log::Info("shutting down", {{"signal", absl::StrCat(signal_number)}});
  runner.Shutdown();
  return 0;
}

}  // namespace etnik::server
