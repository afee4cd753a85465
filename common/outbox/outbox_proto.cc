#include "common/outbox/outbox_proto.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace etnik::outbox {

OutboxMessage FromDomainEvent(const etnik::events::v1::DomainEvent& event, std::string stream) {
  OutboxMessage m;
  m.event_id = event.event_id();
  m.stream = std::move(stream);
  m.type = event.type();
  m.payload = event.SerializeAsString();
  if (event.has_occur_time()) {
    m.created = absl::FromUnixSeconds(event.occur_time().seconds()) +
                absl::Nanoseconds(event.occur_time().nanos());
  }
  return m;
}

absl::StatusOr<etnik::events::v1::DomainEvent> ToDomainEvent(const StreamEvent& event) {
  etnik::events::v1::DomainEvent out;
  if (!out.ParseFromString(event.payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("entry ", event.entry_id, " of ", event.stream, ": payload is not a DomainEvent"));
  }
  if (out.event_id() != event.event_id) {
    return absl::InvalidArgumentError(absl::StrCat("entry ", event.entry_id, " of ", event.stream,
                                                   ": payload event_id ", out.event_id(),
                                                   " differs from the entry's ", event.event_id));
  }
  return out;
}

}  // namespace etnik::outbox
