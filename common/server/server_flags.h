#ifndef ETNIK_COMMON_SERVER_SERVER_FLAGS_H_
#define ETNIK_COMMON_SERVER_SERVER_FLAGS_H_

#include "absl/strings/string_view.h"
#include "common/server/server_runner.h"

namespace etnik::server {

// Server options from the common flags (--grpc_address, --metrics_address, --drain_delay,
// --shutdown_grace, --log_level), each also settable as ETNIK_*. Empty addresses mean the
// service's default loopback ports.
ServerOptions OptionsFromFlags(absl::string_view name, int default_grpc_port, int default_metrics_port);

}  // namespace etnik::server

#endif  // ETNIK_COMMON_SERVER_SERVER_FLAGS_H_
