#ifndef ETNIK_COMMON_OUTBOX_OUTBOX_RELAY_H_
#define ETNIK_COMMON_OUTBOX_OUTBOX_RELAY_H_

// Publishes the outbox (outbox.h) to Redis Streams from a background thread of the service.
//
// Each round reads pending rows in seq order, XADDs each to its stream (fields event_id, type,
// payload; MAXLEN ~ trimming) and marks the published ones. Guarantees and their limits:
//  - Nothing is lost: a row stays pending until Redis accepted it. While Redis is down (or the
//    breaker is open) the relay backs off and the backlog grows; it drains once Redis is back.
//  - At least once, not exactly once: a relay that dies (or whose mark fails) after XADD and
//    before the mark commits publishes those rows again next time. Consumers absorb the
//    duplicates by event_id (processed_events.h, stream_consumer.h).
//  - Order: rows are published in seq order. PostgreSQL: every round runs in one transaction
//    holding an advisory lock, so among several replicas one publishes at a time and the
//    others skip the round; seq is allocation order, so a transaction that commits later than
//    one with a higher seq may be published after it. SQLite: one process owns the file, the
//    rows are read in one transaction and marked in a second one (the single writer lock is
//    not held while Redis is called). Per-stream order is therefore best effort across
//    replicas, and redelivered duplicates arrive out of order.
//  - Redis must persist (AOF) for the published-but-unconsumed entries to survive its restart;
//    the outbox only covers what was never published.
//
// Published rows are deleted once older than `retention`.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/outbox/outbox_rows.h"
#include "common/redis/redis_pool.h"
#include "prometheus/registry.h"

namespace etnik::outbox {

struct OutboxRelayOptions {
  // How often pending rows are looked for when no Notify() comes.
  absl::Duration poll_interval = absl::Milliseconds(500);
  // Rows per round (one database transaction, one XADD per row).
  int batch_size = 100;
  // Approximate cap on each stream's length (XADD MAXLEN ~); 0 keeps every entry. Consumers
  // that fall further behind than this lose entries (they become dead letters).
  int64_t max_stream_length = 1000000;
  // Back-off after a failed round (Redis or the database unavailable), doubling up to the max.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // Published rows are kept this long (for inspection), then deleted every cleanup_interval.
  absl::Duration retention = absl::Hours(24);
  absl::Duration cleanup_interval = absl::Minutes(1);
  // Fault injection for tests: called after the rows' XADDs and before they are marked, with
  // their event ids. A non-OK status stops the round there, as a crash at that point would:
  // the rows stay pending and are published again by a later round.
  std::function<absl::Status(absl::Span<const std::string> event_ids)> after_publish_hook;
};

class OutboxRelay {
 public:
  // Metrics on `registry`: etnik_outbox_backlog (gauge, pending rows),
  // etnik_outbox_published_total (counter), etnik_outbox_relay_lag_seconds (histogram of
  // created -> published). `clock` stamps published_us, measures the lag and ages rows for the
  // clean-up. All references must outlive the relay.
  OutboxRelay(db::Database& db, redis::RedisPool& redis, const Clock& clock,
              prometheus::Registry& registry, OutboxRelayOptions options = {});
  // Stops the thread if running.
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Starts the background thread. INVALID_ARGUMENT for bad options, FAILED_PRECONDITION when
  // already started.
  absl::Status Start();
  // Wakes the thread, lets the round in progress finish its current row, and joins. Idempotent.
  void Stop();
  // A hint that rows were just committed: publish now instead of at the next poll. Cheap,
  // thread-safe, ignored while backing off from a failure.
  void Notify();

  // One round, synchronously: returns how many rows were published (0 when none are pending or
  // another replica holds the lock). On a Redis failure the rows published before it are still
  // marked, and the failure is returned. Rounds never overlap within a relay.
  absl::StatusOr<int> PublishOnce();
  // Rounds until no row is pending (or a round fails or publishes nothing); returns the total.
  absl::StatusOr<int> Drain();
  // Counts pending rows and sets the backlog gauge.
  absl::StatusOr<int64_t> RefreshBacklog();
  // Deletes rows published longer than `retention` ago; returns how many.
  absl::StatusOr<int> DeleteExpired();

 private:
  struct Metrics;
  struct Round {
    int published = 0;
    absl::Status redis_status;  // the XADD (or hook) failure that ended the round early
  };

  void Run();
  // Publishes `rows` in order until one fails; fills `round` and returns the published seqs.
  std::vector<int64_t> PublishRows(absl::Span<const OutboxRow> rows, Round& round);
  absl::StatusOr<int> RoundPostgres();
  absl::StatusOr<int> RoundSqlite();
  void RecordPublished(absl::Span<const OutboxRow> rows, int count);
  // Waits up to `d`; returns early on Stop(), and on Notify() when `wake_on_notify`.
  void Wait(absl::Duration d, bool wake_on_notify);
  bool WakeUp() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool StopRequested();

  db::Database& db_;
  redis::RedisPool& redis_;
  const Clock& clock_;
  const OutboxRelayOptions options_;
  std::unique_ptr<Metrics> metrics_;

  absl::Mutex round_mu_;  // one round at a time

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_on_notify_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace etnik::outbox

#endif  // ETNIK_COMMON_OUTBOX_OUTBOX_RELAY_H_
