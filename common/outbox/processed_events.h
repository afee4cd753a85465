#ifndef ETNIK_COMMON_OUTBOX_PROCESSED_EVENTS_H_
#define ETNIK_COMMON_OUTBOX_PROCESSED_EVENTS_H_

// The consumer side of exactly-once effects: a consuming service records (consumer group,
// event_id) in `processed_events` in the same transaction as the handler's side effect, so a
// redelivered event (relay republished it, or another consumer claimed it) is recognised and
// skipped. Redis Streams deliver at least once; this table turns that into effectively once.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/db/migrations.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::outbox {

inline constexpr char kProcessedEventsTable[] = "processed_events";

// Creates `processed_events`: consumer_group, event_id (together the primary key),
// processed_us, with an index for the clean-up by age.
db::Migration ProcessedEventsMigration(int version);

// Records the event as processed by `group`; returns false (and changes nothing) when it
// already was. Run it first in the handler's transaction and skip the handler on false.
absl::StatusOr<bool> MarkProcessed(soci::session& session, absl::string_view group,
                                   absl::string_view event_id, absl::Time processed);

// Deletes up to `limit` of `group`'s records older than `cutoff`; returns how many went.
// Keep records longer than any redelivery can take (the relay's backlog plus the claim cycle).
absl::StatusOr<int> DeleteProcessedBefore(soci::session& session, absl::string_view group,
                                          absl::Time cutoff, int limit);

}  // namespace etnik::outbox

#endif  // ETNIK_COMMON_OUTBOX_PROCESSED_EVENTS_H_
