#ifndef ETNIK_SERVICES_NOTIFICATIONS_API_DELIVERY_WORKER_H_
#define ETNIK_SERVICES_NOTIFICATIONS_API_DELIVERY_WORKER_H_

// Sends what the delivery queue holds: claims due deliveries with a lease, hands each to its
// channel, marks it SENT after the hand-off, or FAILED with backoff / DEAD_LETTER. A worker that
// dies mid-send leaves a lease that expires, and the delivery is sent again with the same
// idempotency key (the e-mail Message-ID), so receivers can recognise the repeat.
//
// Metrics: etnik_notifications_sent_total{channel}, etnik_notifications_failed_total{channel,
// outcome="retry|dead_letter"}, etnik_notifications_queue_depth (due and waiting),
// etnik_notifications_reminder_lateness_seconds (due time to hand-off).

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "prometheus/registry.h"
#include "services/notifications/channels/sender.h"
#include "services/notifications/store/deliveries.h"

namespace etnik::notifications {

struct WorkerOptions {
  int threads = 2;
  int batch_size = 16;
  absl::Duration lease = absl::Minutes(2);
  // How often an idle worker looks for due deliveries.
  absl::Duration poll = absl::Milliseconds(100);
  store::RetryPolicy retry;
  std::string owner = "worker";  // prefixed to each thread's lease owner; make it unique per process
};

class DeliveryWorker {
 public:
  // `senders` maps etnik.common.v1.Channel numbers to senders; a delivery on a channel without one
  // is dead-lettered. All references must outlive the worker.
  DeliveryWorker(db::Database& db, const Clock& clock, prometheus::Registry& registry,
                 std::map<int, Sender*> senders, WorkerOptions options);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  void Start();
  void Stop();

  // One claim-and-send pass as `owner`; how many deliveries it attempted.
  absl::StatusOr<int> RunOnce(const std::string& owner);
  // Passes until nothing is due; the total attempted (tests).
  absl::StatusOr<int> Drain();

 private:
  struct Metrics;
  void Loop(int index);
  void Attempt(const store::DeliveryRow& row, const std::string& owner);

  db::Database& db_;
  const Clock& clock_;
  std::map<int, Sender*> senders_;
  WorkerOptions options_;
  store::DeliveryQueue queue_;
  std::unique_ptr<Metrics> metrics_;
  std::atomic<bool> stopping_{false};
  absl::Mutex wait_mu_;
  std::vector<std::thread> threads_;
};

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_API_DELIVERY_WORKER_H_
