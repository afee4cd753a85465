#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_DELIVERIES_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_DELIVERIES_H_

// The delivery log, which is also the durable due-time queue (schema.cc explains the states and
// the lease). Functions taking a soci::session run inside the caller's transaction (the event
// consumer records deliveries together with its processed-event mark); DeliveryQueue runs its
// own transactions for the workers.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/database.h"

namespace etnik::notifications::store {

// Same numbers as etnik.notifications.v1.DeliveryState and etnik.common.v1.Channel.
enum DeliveryStateValue : int {
  kPending = 1,
  kSent = 2,
  kFailed = 3,
  kDeadLetter = 4,
  kCancelled = 5,
  kSkipped = 6,
};

struct DeliveryRow {
  std::string id;
  std::string event_id;
  std::string event_type;
  std::string recipient;
  std::string recipient_name;
  int channel = 0;
  std::string address;
  std::string subject;
  std::string body;
  std::string unsubscribe_url;
  std::string attachment_ics;  // an iCalendar invitation to attach; empty for none
  std::string session;
  int state = kPending;
  int attempts = 0;
  std::string last_error;
  std::string idempotency_key;
  absl::Time due_time = absl::UnixEpoch();
  absl::Time next_attempt_time = absl::UnixEpoch();
  absl::Time lease_until = absl::UnixEpoch();
  std::string lease_owner;
  absl::Time send_time = absl::UnixEpoch();
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
};

// "(event_id)|(recipient)|(channel)": one message per event, person and channel.
std::string IdempotencyKey(const std::string& event_id, const std::string& recipient, int channel);

// Records a PENDING delivery due at row.due_time (its first attempt then). The id and the key
// are derived when empty. Returns false, changing nothing, when a delivery with the same
// idempotency key exists (the UNIQUE constraint decides, also between racing writers).
absl::StatusOr<bool> InsertDelivery(soci::session& s, DeliveryRow row, absl::Time now);

// Cancels the PENDING/FAILED deliveries of `event_type` about `session` (all recipients when
// `recipient` is empty); returns how many.
absl::StatusOr<int> CancelPending(soci::session& s, const std::string& session, const std::string& event_type,
                                  const std::string& recipient, absl::Time now);

struct DeliveryFilter {
  std::string recipient;  // recipient key or address
  int state = 0;
  int channel = 0;
  std::string event_id;
  std::string session;
  std::optional<absl::Time> start_time;  // create_time >= start
  std::optional<absl::Time> end_time;    // create_time < end
};

struct DeliveryPage {
  std::vector<DeliveryRow> rows;
  std::string next_page_token;
};

struct RetryPolicy {
  int max_attempts = 6;
  absl::Duration initial_backoff = absl::Seconds(5);
  absl::Duration max_backoff = absl::Minutes(30);
  double jitter = 0.2;  // +- this fraction of the backoff
};

// The next attempt after `attempts` failed ones: initial * 2^(attempts-1), capped, with jitter.
absl::Duration Backoff(const RetryPolicy& policy, int attempts, double unit_random);

class DeliveryQueue {
 public:
  explicit DeliveryQueue(db::Database& db) : db_(db) {}

  // Leases up to `limit` due deliveries (oldest due first) to `owner` until now + lease and counts
  // the attempt. Safe with any number of workers and replicas: a row is taken by a conditional
  // UPDATE on its lease, so two claimers never both hold it.
  absl::StatusOr<std::vector<DeliveryRow>> Claim(absl::Time now, int limit, absl::Duration lease,
                                                 const std::string& owner);
  // The channel accepted it. False when the lease was lost (another worker took the row over).
  absl::StatusOr<bool> MarkSent(const std::string& id, const std::string& owner, absl::Time now);
  // The attempt failed: FAILED with a backoff, or DEAD_LETTER when permanent or out of attempts.
  absl::StatusOr<int> MarkFailed(const std::string& id, const std::string& owner, absl::Time now,
                                 const std::string& error, bool permanent, const RetryPolicy& policy,
                                 double unit_random);
  // DEAD_LETTER (or FAILED) -> PENDING now with a fresh attempt count. NOT_FOUND, or
  // FAILED_PRECONDITION with ErrorInfo DELIVERY_NOT_RETRYABLE for other states.
  absl::StatusOr<DeliveryRow> Retry(const std::string& id, absl::Time now);

  absl::StatusOr<DeliveryRow> Get(const std::string& id);
  // Newest first (create_time, then id), keyset-paged.
  absl::StatusOr<DeliveryPage> List(const DeliveryFilter& filter, int page_size, const std::string& page_token);
  // PENDING/FAILED deliveries due at `now` (the backlog).
  absl::StatusOr<int64_t> DueCount(absl::Time now);
  // The earliest next attempt of a waiting delivery, if any (how long a worker may sleep).
  absl::StatusOr<std::optional<absl::Time>> NextDue();

 private:
  db::Database& db_;
};

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_DELIVERIES_H_
