// The registration service: flags -> wiring -> serve.

#include "absl/flags/flag.h"
#include "common/config/config.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "services/registration/api/registration_api.h"

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("registration", 50051, 9101));
  etnik::registration::RegistrationApi api;
  runner.AddService(&api, etnik::registration::v1::RegistrationService::service_full_name());
  return etnik::server::ServeUntilSignal(runner);
}
