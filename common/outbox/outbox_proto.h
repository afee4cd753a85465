#ifndef ETNIK_COMMON_OUTBOX_OUTBOX_PROTO_H_
#define ETNIK_COMMON_OUTBOX_OUTBOX_PROTO_H_

// Domain events (etnik.events.v1.DomainEvent) to and from outbox messages and stream events.
// A separate target (etnik_outbox_proto) so code that only moves bytes needs no protobuf.

#include <string>

#include "absl/status/statusor.h"
#include "common/outbox/outbox.h"
#include "common/outbox/stream_event.h"
#include "etnik/events/v1/domain_event.pb.h"

namespace etnik::outbox {

// event_id and type from the envelope, the serialized envelope as payload, created from
// occur_time (left infinite-past, i.e. "now" at Enqueue, when occur_time is unset).
OutboxMessage FromDomainEvent(const etnik::events::v1::DomainEvent& event, std::string stream);

// Parses the payload; INVALID_ARGUMENT when it is not a DomainEvent or its event_id differs from
// the entry's.
absl::StatusOr<etnik::events::v1::DomainEvent> ToDomainEvent(const StreamEvent& event);

}  // namespace etnik::outbox

#endif  // ETNIK_COMMON_OUTBOX_OUTBOX_PROTO_H_
