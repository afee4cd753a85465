#ifndef ETNIK_COMMON_OUTBOX_OUTBOX_ROWS_H_
#define ETNIK_COMMON_OUTBOX_OUTBOX_ROWS_H_

// Row access to the outbox table for the relay (and tests). Services use outbox.h only.
// Every function runs on the caller's transaction and never throws.

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/outbox/outbox.h"

namespace etnik::outbox {

struct OutboxRow {
  int64_t seq = 0;
  OutboxMessage message;  // `created` is set from created_us
};

// Up to `limit` unpublished rows in seq order.
absl::StatusOr<std::vector<OutboxRow>> FetchPending(soci::session& session, int limit);

// Sets published_us on the given rows that are still pending; returns how many changed.
absl::StatusOr<int> MarkPublished(soci::session& session, absl::Span<const int64_t> seqs,
                                  absl::Time published);

// Rows not yet published.
absl::StatusOr<int64_t> CountPending(soci::session& session);

// Deletes up to `limit` rows published before `cutoff`; returns how many went.
absl::StatusOr<int> DeletePublishedBefore(soci::session& session, absl::Time cutoff, int limit);

// PostgreSQL: takes the relay's transaction-scoped advisory lock if free and returns whether it
// did, so one replica publishes at a time and in seq order. SQLite: always true (the relay's
// writes already go one at a time).
absl::StatusOr<bool> TryLockRelay(soci::session& session);

}  // namespace etnik::outbox

#endif  // ETNIK_COMMON_OUTBOX_OUTBOX_ROWS_H_
