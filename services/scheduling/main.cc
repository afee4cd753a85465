// The scheduling service: flags -> wiring -> serve.

#include "absl/flags/flag.h"
#include "common/clock/clock.h"
#include "common/config/config.h"
#include "common/log/log.h"
#include "common/outbox/outbox_relay.h"
#include "common/outbox/stream_consumer.h"
#include "common/redis/cache.h"
#include "common/redis/redis_flags.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "common/server/service_deps.h"
#include "services/scheduling/api/scheduling_api.h"
#include "services/scheduling/domain/scheduler.h"
#include "services/scheduling/store/foreign_events.h"
#include "services/scheduling/store/sql_store.h"

ABSL_FLAG(absl::Duration, expert_buffer, absl::Minutes(15),
          "Free time an expert keeps between two sessions");
ABSL_FLAG(int, expert_weekly_limit, 0,
          "Sessions an expert may host per week in their own zone; 0 means no limit");

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  const etnik::Clock& clock = etnik::SystemClock::Get();
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("scheduling", 50053, 9103));
  absl::StatusOr<etnik::server::ServiceDeps> deps =
      etnik::server::ServiceDepsFromFlags("scheduling", clock, runner.registry());
  if (!deps.ok()) {
    etnik::log::Error("cannot start", {{"error", std::string(deps.status().message())}});
    return 1;
  }
  absl::StatusOr<int> schema = etnik::scheduling::store::SqlSchedulingStore::Migrate(*deps->database);
  if (!schema.ok()) {
    etnik::log::Error("cannot migrate the database", {{"error", std::string(schema.status().message())}});
    return 1;
  }
  etnik::outbox::OutboxRelay relay(*deps->database, *deps->redis, clock, runner.registry());
  etnik::scheduling::store::SqlSchedulingStore store(*deps->database, clock,
                                                     [&relay] { relay.Notify(); });
  etnik::scheduling::SchedulerOptions options;
  options.policy.expert_buffer = absl::GetFlag(FLAGS_expert_buffer);
  options.policy.weekly_limit = absl::GetFlag(FLAGS_expert_weekly_limit);
  etnik::scheduling::Scheduler scheduler(store, clock, options);
  etnik::redis::Cache cache(*deps->redis, {.service = "scheduling", .name = "schedule"},
                            runner.registry());
  etnik::scheduling::SchedulingApiOptions api_options;
  api_options.near_cache = etnik::redis::NearCacheOptionsFromFlags();
  etnik::scheduling::SchedulingApi api(scheduler, deps->authenticator, &cache, &runner.registry(), api_options);
  runner.AddService(&api, etnik::scheduling::v1::SchedulingService::service_full_name());
  // Read models: stages from registration, experts and hubs from hubs.
  std::vector<std::unique_ptr<etnik::outbox::StreamConsumer>> consumers;
  for (const char* stream : {etnik::scheduling::store::kHubsStream,
                             etnik::scheduling::store::kRegistrationStream}) {
    etnik::outbox::StreamConsumerOptions o;
    o.stream = stream;
    o.group = etnik::scheduling::store::kConsumerGroup;
    o.consumer = etnik::outbox::DefaultConsumerName();
    consumers.push_back(std::make_unique<etnik::outbox::StreamConsumer>(
        *deps->database, *deps->redis, clock, runner.registry(), o,
        etnik::scheduling::store::ForeignEventHandler(clock)));
  }
  if (absl::Status started = relay.Start(); !started.ok()) {
    etnik::log::Error("cannot start the outbox relay", {{"error", std::string(started.message())}});
    return 1;
  }
  for (auto& consumer : consumers) {
    if (absl::Status started = consumer->Start(); !started.ok()) {
      etnik::log::Error("cannot start a stream consumer", {{"error", std::string(started.message())}});
      return 1;
    }
  }
  const int code = etnik::server::ServeUntilSignal(runner);
  for (auto& consumer : consumers) consumer->Stop();
  relay.Stop();
  return code;
}
