#ifndef ETNIK_COMMON_OUTBOX_STREAM_EVENT_H_
#define ETNIK_COMMON_OUTBOX_STREAM_EVENT_H_

// The shape of an outbox event on a Redis stream, shared by the relay (writer) and the
// consumer (reader). Every entry has the fields event_id, type and payload (binary-safe).
// Dead letters, on "<stream>:dead", carry the same three plus reason, source_entry_id, group,
// consumer and deliveries.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/reply.h"

namespace etnik::outbox {

inline constexpr char kFieldEventId[] = "event_id";
inline constexpr char kFieldType[] = "type";
inline constexpr char kFieldPayload[] = "payload";
inline constexpr char kFieldReason[] = "reason";
inline constexpr char kFieldSourceEntryId[] = "source_entry_id";
inline constexpr char kFieldGroup[] = "group";
inline constexpr char kFieldConsumer[] = "consumer";
inline constexpr char kFieldDeliveries[] = "deliveries";

// What a consumer's handler sees.
struct StreamEvent {
  std::string stream;
  std::string entry_id;  // Redis stream entry id, e.g. "1617235200000-0"
  std::string event_id;
  std::string type;
  std::string payload;
  int64_t deliveries = 1;  // 1 on the first delivery, more when claimed after a failure
};

// One raw stream entry: its id and field/value pairs (none when the entry was deleted).
struct StreamEntry {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;
  bool deleted = false;

  // The value of `name`, or nullptr.
  const std::string* Field(const std::string& name) const;
};

// Parses an array of [id, [field, value, ...]] as found in XRANGE, XREADGROUP and XAUTOCLAIM
// replies. A nil field list marks an entry deleted. INTERNAL on any other shape.
absl::StatusOr<std::vector<StreamEntry>> ParseEntries(const redis::Reply& entries);

// The event in `entry`; INVALID_ARGUMENT when it lacks a non-empty event_id (not written by a
// relay) or was deleted.
absl::StatusOr<StreamEvent> ToStreamEvent(const std::string& stream, const StreamEntry& entry);

}  // namespace etnik::outbox

#endif  // ETNIK_COMMON_OUTBOX_STREAM_EVENT_H_
