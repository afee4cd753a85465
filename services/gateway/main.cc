// The gateway: HTTP for people and other systems in front of the gRPC services.

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/config/config.h"
#include "common/log/log.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "services/gateway/clients/backends.h"
#include "services/gateway/http/http_server.h"

ABSL_FLAG(std::string, http_address, "127.0.0.1:8080", "HTTP listen address host:port");
ABSL_FLAG(std::string, registration_target, "127.0.0.1:50051", "registration service gRPC address");
ABSL_FLAG(std::string, hubs_target, "127.0.0.1:50052", "hubs service gRPC address");
ABSL_FLAG(std::string, scheduling_target, "127.0.0.1:50053", "scheduling service gRPC address");
ABSL_FLAG(std::string, notifications_target, "127.0.0.1:50054", "notifications service gRPC address");

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  // The gateway's own gRPC port carries health and reflection, for probes.
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("gateway", 50055, 9105));
  etnik::gateway::Backends backends({{"registration", absl::GetFlag(FLAGS_registration_target)},
                                     {"hubs", absl::GetFlag(FLAGS_hubs_target)},
                                     {"scheduling", absl::GetFlag(FLAGS_scheduling_target)},
                                     {"notifications", absl::GetFlag(FLAGS_notifications_target)}});
  etnik::gateway::HttpServer http(backends);
  absl::Status listening = http.Start(absl::GetFlag(FLAGS_http_address));
  if (!listening.ok()) {
    etnik::log::Error("cannot start", {{"error", std::string(listening.message())}});
    return 1;
  }
  etnik::log::Info("HTTP listening", {{"http_port", absl::StrCat(http.port())}});
  int code = etnik::server::ServeUntilSignal(runner);
  http.Stop();
  return code;
}
