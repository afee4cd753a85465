// The scheduling service: flags -> wiring -> serve.

#include "absl/flags/flag.h"
#include "common/config/config.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "services/scheduling/api/scheduling_api.h"

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("scheduling", 50053, 9103));
  etnik::scheduling::SchedulingApi api;
  runner.AddService(&api, etnik::scheduling::v1::SchedulingService::service_full_name());
  return etnik::server::ServeUntilSignal(runner);
}
