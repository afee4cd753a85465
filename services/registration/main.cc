// The registration service: flags -> wiring -> serve.

#include "common/clock/clock.h"
#include "common/config/config.h"
#include "common/log/log.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "common/server/service_deps.h"
#include "services/registration/api/registration_api.h"

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("registration", 50051, 9101));
  absl::StatusOr<etnik::server::ServiceDeps> deps =
      etnik::server::ServiceDepsFromFlags("registration", etnik::SystemClock::Get(), runner.registry());
  if (!deps.ok()) {
    etnik::log::Error("cannot start", {{"error", std::string(deps.status().message())}});
    return 1;
  }
  etnik::registration::RegistrationApi api;
  runner.AddService(&api, etnik::registration::v1::RegistrationService::service_full_name());
  return etnik::server::ServeUntilSignal(runner);
}
