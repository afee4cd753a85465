#ifndef ETNIK_COMMON_OUTBOX_STREAM_CONSUMER_H_
#define ETNIK_COMMON_OUTBOX_STREAM_CONSUMER_H_

// Consumes one Redis stream of outbox events as one member of a consumer group, with
// effectively-once side effects in the consuming service's database.
//
// For each entry the handler runs inside a transaction of the service's Database together with
// MarkProcessed (processed_events.h); an event_id the group already processed is skipped. The
// entry is XACKed only after that transaction commits, so:
//  - a handler error (or a crash before the commit) leaves the entry pending in the group;
//  - pending entries idle longer than `claim_idle` are taken over with XAUTOCLAIM by whichever
//    consumer of the group runs its claim cycle next (this one included) and handled again;
//  - an entry delivered more than `max_deliveries` times is moved to "<stream>:dead" with the
//    reason and XACKed, so a poison event never blocks the group;
//  - a duplicate (relay republished, or a crash after the commit and before XACK) is XACKed
//    without running the handler.
//
// A new group starts at `start_id` ("0": every entry still in the stream). When Redis lost the
// group (a restart without persistence) the consumer creates it again.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/outbox/stream_event.h"
#include "common/redis/redis_pool.h"
#include "prometheus/registry.h"

namespace etnik::outbox {

// Runs inside the consumer's transaction; its writes commit with the dedupe record. A non-OK
// status rolls both back and leaves the entry pending. It may run more than once for one entry
// (database retries, redeliveries after an error), never twice to a committed end.
using EventHandler = std::function<absl::Status(soci::session&, const StreamEvent&)>;

struct StreamConsumerOptions {
  std::string stream;    // e.g. "etnik:events:hubs"
  std::string group;     // one per consuming service and purpose, e.g. "scheduling"
  std::string consumer;  // unique within the group, e.g. DefaultConsumerName()
  // Entries per XREADGROUP / XAUTOCLAIM call.
  int batch_size = 16;
  // How long XREADGROUP waits for new entries; Stop() takes at most about this long. Kept
  // below the Redis pool's command timeout (it is lowered to half of it if not).
  absl::Duration block = absl::Milliseconds(100);
  // A pending entry idle this long is presumed abandoned and is claimed.
  absl::Duration claim_idle = absl::Seconds(30);
  // How often the claim cycle (XAUTOCLAIM) runs.
  absl::Duration claim_interval = absl::Seconds(5);
  // Deliveries after which an entry goes to the dead-letter stream instead of the handler.
  int max_deliveries = 5;
  std::string dead_letter_suffix = ":dead";
  // Where a newly created group starts reading.
  std::string start_id = "0";
  // The transaction the handler runs in.
  db::TxMode tx_mode = db::TxMode::kWrite;
  // Back-off after Redis or the database failed, doubling up to the max.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  // processed_events rows of this group older than this are deleted every cleanup_interval.
  // Keep it far longer than any event can wait in the outbox or the stream.
  absl::Duration processed_retention = absl::Hours(24 * 7);
  absl::Duration cleanup_interval = absl::Minutes(10);
};

// "<hostname>-<pid>": unique per process, stable for its lifetime.
std::string DefaultConsumerName();

class StreamConsumer {
 public:
  // Metrics on `registry`, labelled {stream, group}:
  // etnik_events_consumed_total{result="handled|duplicate|error"},
  // etnik_events_redeliveries_total (entries handed to this consumer by XAUTOCLAIM),
  // etnik_events_dead_letters_total. `clock` stamps processed_us and ages them. All
  // references must outlive the consumer.
  StreamConsumer(db::Database& db, redis::RedisPool& redis, const Clock& clock,
                 prometheus::Registry& registry, StreamConsumerOptions options,
                 EventHandler handler);
  // Stops the thread if running.
  ~StreamConsumer();
  StreamConsumer(const StreamConsumer&) = delete;
  StreamConsumer& operator=(const StreamConsumer&) = delete;

  // Starts the background thread (which creates the group when it can). INVALID_ARGUMENT for
  // bad options, FAILED_PRECONDITION when already started.
  absl::Status Start();
  // Stops after the entry in progress: entries already read but not yet handled stay pending
  // for a claim, as if this consumer had died. Joins the thread, except when called from the
  // handler (then the thread ends after the handler returns and the destructor joins it).
  void Stop();

  // Synchronous steps, for tools and tests (serialised with the thread's own):
  // XGROUP CREATE ... MKSTREAM; an existing group is fine.
  absl::Status EnsureGroup();
  // One XREADGROUP of new entries (waiting up to `block`) and their handling; returns how many
  // entries were read.
  absl::StatusOr<int> ReadOnce();
  // One XAUTOCLAIM pass over the group's pending entries: dead-letters those past
  // max_deliveries and handles the others; returns how many entries it took over.
  absl::StatusOr<int> ClaimOnce();
  // Deletes this group's processed_events rows older than processed_retention.
  absl::StatusOr<int> DeleteExpired();

  const StreamConsumerOptions& options() const { return options_; }

 private:
  struct Metrics;
  enum class Outcome { kHandled, kDuplicate, kError };

  void Run();
  absl::Status ValidateOptions() const;
  // Handles `entries` in order until Stop(); returns the first Redis/database error that
  // should make the loop back off (handler errors only leave the entry pending).
  // `deliveries` (claimed entries only) holds each entry's delivery count.
  absl::Status HandleEntries(const std::vector<StreamEntry>& entries,
                             const absl::flat_hash_map<std::string, int64_t>* deliveries)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(work_mu_);
  // The outcome, and a status that should make the loop back off (the database is down).
  Outcome Handle(const StreamEvent& event, absl::Status& infrastructure)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(work_mu_);
  absl::Status CreateGroup();
  absl::Status DeadLetter(const StreamEntry& entry, int64_t deliveries, const std::string& reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(work_mu_);
  absl::Status Ack(const std::string& entry_id);
  absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> DeliveryCounts(
      const std::vector<StreamEntry>& entries);
  // Turns a NOGROUP error into a re-created group (Redis lost it); other errors pass through.
  absl::Status RecoverGroup(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(work_mu_);
  void Wait(absl::Duration d);
  bool StopRequested() const { return stopping_.load(std::memory_order_acquire); }

  db::Database& db_;
  redis::RedisPool& redis_;
  const Clock& clock_;
  StreamConsumerOptions options_;
  const EventHandler handler_;
  const std::string dead_stream_;
  std::unique_ptr<Metrics> metrics_;

  absl::Mutex work_mu_;  // one step (read, claim, clean-up) at a time
  std::string claim_cursor_ ABSL_GUARDED_BY(work_mu_) = "0-0";
  // The last handler error per pending entry, for the dead letter's reason. Bounded.
  absl::flat_hash_map<std::string, std::string> last_errors_ ABSL_GUARDED_BY(work_mu_);

  std::atomic<bool> stopping_{false};
  absl::Mutex wait_mu_;
  bool stop_wake_ ABSL_GUARDED_BY(wait_mu_) = false;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace etnik::outbox

#endif  // ETNIK_COMMON_OUTBOX_STREAM_CONSUMER_H_
