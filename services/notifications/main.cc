// The notifications service: flags -> wiring -> serve.

#include "absl/flags/flag.h"
#include "common/config/config.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "services/notifications/api/notifications_api.h"

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("notifications", 50054, 9104));
  etnik::notifications::NotificationsApi api;
  runner.AddService(&api, etnik::notifications::v1::NotificationsService::service_full_name());
  return etnik::server::ServeUntilSignal(runner);
}
