// The notifications service: flags -> wiring -> serve.
//
// Domain events from the registration, scheduling and hubs streams become deliveries (see
// api/event_planner.h); delivery workers send them over SMTP (and Telegram when a bot token is
// given) from the durable queue in the database.

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/config/config.h"
#include "common/db/migrations.h"
#include "common/log/log.h"
#include "common/outbox/stream_consumer.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "common/server/service_deps.h"
#include "services/notifications/api/delivery_worker.h"
#include "services/notifications/api/event_planner.h"
#include "services/notifications/api/notifications_api.h"
#include "services/notifications/channels/smtp_sender.h"
#include "services/notifications/channels/telegram_sender.h"
#include "services/notifications/channels/webhook_sender.h"
#include "services/notifications/domain/default_templates.h"
#include "services/notifications/store/schema.h"
#include "services/notifications/store/templates.h"
#include "services/notifications/store/webhooks.h"

ABSL_FLAG(std::string, smtp_url, "smtp://127.0.0.1:2525", "SMTP server: smtp://host:port or smtps://host:port.");
ABSL_FLAG(std::string, smtp_from, "etnik <noreply@etnik.local>", "From header of e-mail.");
ABSL_FLAG(std::string, smtp_username, "", "SMTP user name; empty for none.");
ABSL_FLAG(std::string, smtp_password, "", "SMTP password (prefer the ETNIK_SMTP_PASSWORD environment variable).");
ABSL_FLAG(bool, smtp_require_tls, false, "Refuse to send e-mail without TLS.");
ABSL_FLAG(std::string, telegram_base_url, "https://api.telegram.org", "Telegram Bot API base URL.");
ABSL_FLAG(std::string, telegram_bot_token, "", "Telegram bot token; empty disables the Telegram channel.");
ABSL_FLAG(std::string, public_base_url, "http://localhost:8080",
          "Public base URL of the web front, for links in messages.");
ABSL_FLAG(std::string, unsubscribe_secret, "",
          "HMAC key of unsubscribe links (prefer ETNIK_UNSUBSCRIBE_SECRET); empty: no links, Unsubscribe refuses.");
ABSL_FLAG(int, delivery_workers, 2, "Delivery worker threads.");
ABSL_FLAG(int, delivery_batch_size, 16, "Deliveries one worker claims at a time.");
ABSL_FLAG(absl::Duration, delivery_lease, absl::Minutes(2),
          "How long a claimed delivery stays with its worker; after a crash it is sent again this much later.");
ABSL_FLAG(int, delivery_max_attempts, 8, "Attempts before a delivery is dead-lettered.");
ABSL_FLAG(absl::Duration, event_claim_idle, absl::Seconds(30),
          "A stream entry read but not acknowledged this long (its reader died) is taken over.");
ABSL_FLAG(absl::Duration, delivery_initial_backoff, absl::Seconds(10), "Wait after the first failed attempt (doubling).");

namespace {

int Fail(const char* what, const absl::Status& status) {
  etnik::log::Error(what, {{"error", std::string(status.message())}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  namespace outbox = etnik::outbox;
  namespace notifications = etnik::notifications;
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::log::SetServiceName("notifications");
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("notifications", 50054, 9104));
  const etnik::Clock& clock = etnik::SystemClock::Get();
  absl::StatusOr<etnik::server::ServiceDeps> deps =
      etnik::server::ServiceDepsFromFlags("notifications", clock, runner.registry());
  if (!deps.ok()) return Fail("cannot start", deps.status());
  absl::StatusOr<int> schema =
      etnik::db::ApplyMigrations(*deps->database, notifications::store::NotificationsMigrations());
  if (!schema.ok()) return Fail("cannot migrate the database", schema.status());
  absl::StatusOr<int> seeded =
      notifications::store::SeedTemplates(*deps->database, notifications::DefaultTemplates(), clock.Now());
  if (!seeded.ok()) return Fail("cannot seed the templates", seeded.status());

  // Channels.
  notifications::SmtpOptions smtp;
  smtp.url = absl::GetFlag(FLAGS_smtp_url);
  smtp.from = absl::GetFlag(FLAGS_smtp_from);
  smtp.username = absl::GetFlag(FLAGS_smtp_username);
  smtp.password = absl::GetFlag(FLAGS_smtp_password);
  smtp.require_tls = absl::GetFlag(FLAGS_smtp_require_tls);
  std::unique_ptr<notifications::Sender> email = notifications::MakeSmtpSender(smtp);
  std::map<int, notifications::Sender*> senders = {{etnik::common::v1::CHANNEL_EMAIL, email.get()}};
  // Webhooks are signed with their subscription's secret, looked up by URI at each send.
  notifications::store::WebhookStore webhook_store(*deps->database);
  std::unique_ptr<notifications::Sender> webhook = notifications::MakeWebhookSender(
      notifications::WebhookOptions{}, [&webhook_store](absl::string_view uri) {
        return webhook_store.SecretFor(std::string(uri));
      });
  senders[etnik::common::v1::CHANNEL_WEBHOOK] = webhook.get();
  std::unique_ptr<notifications::Sender> telegram;
  if (!absl::GetFlag(FLAGS_telegram_bot_token).empty()) {
    notifications::TelegramOptions t;
    t.base_url = absl::GetFlag(FLAGS_telegram_base_url);
    t.bot_token = absl::GetFlag(FLAGS_telegram_bot_token);
    telegram = notifications::MakeTelegramSender(t);
    senders[etnik::common::v1::CHANNEL_TELEGRAM] = telegram.get();
  }

  // Events of the other services -> deliveries, each in the transaction of its dedupe record.
  notifications::PlannerOptions planner;
  planner.public_base_url = absl::GetFlag(FLAGS_public_base_url);
  planner.unsubscribe_secret = absl::GetFlag(FLAGS_unsubscribe_secret);
  std::vector<std::unique_ptr<outbox::StreamConsumer>> consumers;
  for (const char* stream : {notifications::kRegistrationStream, notifications::kSchedulingStream,
                             notifications::kHubsStream}) {
    outbox::StreamConsumerOptions o;
    o.stream = stream;
    o.group = notifications::kConsumerGroup;
    o.consumer = outbox::DefaultConsumerName();
    o.claim_idle = absl::GetFlag(FLAGS_event_claim_idle);
    o.claim_interval = std::min(o.claim_interval, o.claim_idle);
    consumers.push_back(std::make_unique<outbox::StreamConsumer>(*deps->database, *deps->redis, clock, runner.registry(),
                                                                 o, notifications::PlanningHandler(clock, planner)));
  }

  notifications::WorkerOptions wo;
  wo.threads = absl::GetFlag(FLAGS_delivery_workers);
  wo.batch_size = absl::GetFlag(FLAGS_delivery_batch_size);
  wo.lease = absl::GetFlag(FLAGS_delivery_lease);
  wo.retry.max_attempts = absl::GetFlag(FLAGS_delivery_max_attempts);
  wo.retry.initial_backoff = absl::GetFlag(FLAGS_delivery_initial_backoff);
  wo.owner = outbox::DefaultConsumerName();
  notifications::DeliveryWorker worker(*deps->database, clock, runner.registry(), senders, wo);

  notifications::NotificationsApi api(deps->authenticator, *deps->database, clock, planner.unsubscribe_secret);
  runner.AddService(&api, etnik::notifications::v1::NotificationsService::service_full_name());

  for (auto& c : consumers) {
    if (absl::Status s = c->Start(); !s.ok()) return Fail("cannot start an event consumer", s);
  }
  worker.Start();
  const int code = etnik::server::ServeUntilSignal(runner);
  worker.Stop();
  for (auto& c : consumers) c->Stop();
  return code;
}
