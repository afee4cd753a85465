// The hubs service: flags -> wiring -> serve.

#include "absl/flags/flag.h"
#include "common/config/config.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "services/hubs/api/hubs_api.h"

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("hubs", 50052, 9102));
  etnik::hubs::HubsApi api;
  runner.AddService(&api, etnik::hubs::v1::HubsService::service_full_name());
  return etnik::server::ServeUntilSignal(runner);
}
