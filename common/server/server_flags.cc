#include "common/server/server_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"

ABSL_FLAG(std::string, grpc_address, "", "gRPC listen address host:port (default 127.0.0.1:<service port>)");
ABSL_FLAG(std::string, metrics_address, "", "Prometheus /metrics listen address (default 127.0.0.1:<metrics port>)");
ABSL_FLAG(absl::Duration, drain_delay, absl::ZeroDuration(),
          "How long health reports NOT_SERVING before the server stops accepting calls");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10), "How long in-flight calls may finish at shutdown");
ABSL_FLAG(std::string, log_level, "info", "Minimum log level: debug, info, warning, error");

namespace etnik::server {

ServerOptions OptionsFromFlags(absl::string_view name, int default_grpc_port, int default_metrics_port) {
  ServerOptions options;
  options.name = std::string(name);
  options.grpc_address = absl::GetFlag(FLAGS_grpc_address);
  if (options.grpc_address.empty()) options.grpc_address = absl::StrCat("127.0.0.1:", default_grpc_port);
  options.metrics_address = absl::GetFlag(FLAGS_metrics_address);
  if (options.metrics_address.empty()) options.metrics_address = absl::StrCat("127.0.0.1:", default_metrics_port);
  options.drain_delay = absl::GetFlag(FLAGS_drain_delay);
  options.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);

  log::SetServiceName(name);
  std::string level = absl::GetFlag(FLAGS_log_level);
  log::SetMinLevel(level == "debug"     ? log::Level::kDebug
                   : level == "warning" ? log::Level::kWarning
                   : level == "error"   ? log::Level::kError
                                        : log::Level::kInfo);
  return options;
}

}  // namespace etnik::server
