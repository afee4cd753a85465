#include "services/notifications/api/delivery_worker.h"

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "etnik/common/v1/channel.pb.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "services/notifications/domain/template_engine.h"

namespace etnik::notifications {

struct DeliveryWorker::Metrics {
  prometheus::Family<prometheus::Counter>* sent;
  prometheus::Family<prometheus::Counter>* failed;
  prometheus::Gauge* depth;
  prometheus::Histogram* lateness;
};

namespace {

std::string ChannelLabel(int channel) {
  switch (channel) {
    case etnik::common::v1::CHANNEL_EMAIL:
      return "email";
    case etnik::common::v1::CHANNEL_WEBHOOK:
      return "webhook";
    case etnik::common::v1::CHANNEL_TELEGRAM:
      return "telegram";
    default:
      return "unspecified";
  }
}

OutgoingMessage ToMessage(const store::DeliveryRow& row) {
  OutgoingMessage m;
  m.channel = static_cast<etnik::common::v1::Channel>(row.channel);
  m.address = row.address;
  m.recipient_name = row.recipient_name;
  m.subject = row.subject;
  m.body = row.body;
  m.unsubscribe_url = row.unsubscribe_url;
  m.idempotency_key = row.idempotency_key;
  if (row.channel == etnik::common::v1::CHANNEL_WEBHOOK) m.json_payload = row.body;
  if (!row.attachment_ics.empty()) {
    const bool cancel = absl::StrContains(row.attachment_ics, "METHOD:CANCEL");
    m.attachments.push_back({cancel ? "cancel.ics" : "invite.ics",
                             absl::StrCat("text/calendar; method=", cancel ? "CANCEL" : "REQUEST", "; charset=UTF-8"),
                             row.attachment_ics});
  }
  return m;
}

}  // namespace

DeliveryWorker::DeliveryWorker(db::Database& db, const Clock& clock, prometheus::Registry& registry,
                               std::map<int, Sender*> senders, WorkerOptions options)
    : db_(db), clock_(clock), senders_(std::move(senders)), options_(std::move(options)), queue_(db),
      metrics_(std::make_unique<Metrics>()) {
  metrics_->sent = &prometheus::BuildCounter()
                        .Name("etnik_notifications_sent_total")
                        .Help("Deliveries the channel accepted.")
                        .Register(registry);
  metrics_->failed = &prometheus::BuildCounter()
                          .Name("etnik_notifications_failed_total")
                          .Help("Failed delivery attempts, by what happened next (retry or dead_letter).")
                          .Register(registry);
  metrics_->depth = &prometheus::BuildGauge()
                         .Name("etnik_notifications_queue_depth")
                         .Help("Deliveries due now and not yet sent.")
                         .Register(registry)
                         .Add({});
  metrics_->lateness = &prometheus::BuildHistogram()
                            .Name("etnik_notifications_reminder_lateness_seconds")
                            .Help("Time from a reminder's due time to its hand-off to the channel.")
                            .Register(registry)
                            .Add({}, prometheus::Histogram::BucketBoundaries{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10,
                                                                             30, 60, 300, 1800});
}

DeliveryWorker::~DeliveryWorker() { Stop(); }

void DeliveryWorker::Start() {
  if (!threads_.empty()) return;
  stopping_.store(false);
  for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this, i] { Loop(i); });
}

void DeliveryWorker::Stop() {
  stopping_.store(true);
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void DeliveryWorker::Attempt(const store::DeliveryRow& row, const std::string& owner) {
  const std::string label = ChannelLabel(row.channel);
  auto it = senders_.find(row.channel);
  absl::Status status = it == senders_.end() || it->second == nullptr
                            ? absl::FailedPreconditionError(absl::StrCat("no sender for channel ", label))
                            : it->second->Send(ToMessage(row));
  const absl::Time now = clock_.Now();
  if (status.ok()) {
    absl::StatusOr<bool> marked = queue_.MarkSent(row.id, owner, now);
    if (!marked.ok()) {
      // Sent but not recorded: the lease expires and it goes again under the same Message-ID.
      log::Error("cannot record a sent delivery", {{"delivery", row.id}, {"error", std::string(marked.status().message())}});
    }
    metrics_->sent->Add({{"channel", label}}).Increment();
    if (row.event_type == kReminderEventType) metrics_->lateness->Observe(absl::ToDoubleSeconds(now - row.due_time));
    return;
  }
  const bool permanent = !IsRetryable(status);
  absl::StatusOr<int> state = queue_.MarkFailed(row.id, owner, now, std::string(status.message()), permanent,
                                                options_.retry, absl::Uniform(absl::BitGen(), 0.0, 1.0));
  if (!state.ok()) {
    log::Error("cannot record a failed delivery", {{"delivery", row.id}, {"error", std::string(state.status().message())}});
    return;
  }
  metrics_->failed->Add({{"channel", label}, {"outcome", *state == store::kDeadLetter ? "dead_letter" : "retry"}})
      .Increment();
  log::Warning("delivery attempt failed", {{"delivery", row.id}, {"channel", label},
                                           {"dead_letter", *state == store::kDeadLetter ? "true" : "false"},
                                           {"error", std::string(status.message())}});
}

absl::StatusOr<int> DeliveryWorker::RunOnce(const std::string& owner) {
  absl::StatusOr<std::vector<store::DeliveryRow>> rows =
      queue_.Claim(clock_.Now(), options_.batch_size, options_.lease, owner);
  if (!rows.ok()) return rows.status();
  for (const store::DeliveryRow& row : *rows) Attempt(row, owner);
  return static_cast<int>(rows->size());
}

absl::StatusOr<int> DeliveryWorker::Drain() {
  int total = 0;
  for (;;) {
    absl::StatusOr<int> n = RunOnce(absl::StrCat(options_.owner, "-drain"));
    if (!n.ok()) return n.status();
    if (*n == 0) return total;
    total += *n;
  }
}

void DeliveryWorker::Loop(int index) {
  const std::string owner = absl::StrCat(options_.owner, "-", index);
  absl::Time next_depth = absl::InfinitePast();
  while (!stopping_.load()) {
    if (index == 0 && clock_.Now() >= next_depth) {
      if (absl::StatusOr<int64_t> depth = queue_.DueCount(clock_.Now()); depth.ok()) {
        metrics_->depth->Set(static_cast<double>(*depth));
      }
      next_depth = clock_.Now() + absl::Seconds(1);
    }
    absl::StatusOr<int> n = RunOnce(owner);
    if (!n.ok()) log::Warning("cannot claim deliveries", {{"error", std::string(n.status().message())}});
    if (n.ok() && *n > 0) continue;
    absl::MutexLock lock(&wait_mu_);
    wait_mu_.AwaitWithTimeout(absl::Condition(
                                  +[](std::atomic<bool>* stop) { return stop->load(); }, &stopping_),
                              options_.poll);
  }
}

}  // namespace etnik::notifications
