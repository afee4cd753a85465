// Facts go to the outbox in the transaction of the change they describe.

#include "common/outbox/outbox.h"
#include "common/outbox/outbox_proto.h"
#include "services/scheduling/store/fact_mapper.h"
#include "services/scheduling/store/sql_tx.h"

namespace etnik::scheduling::store {

absl::Status SqlTx::Publish(const Fact& fact) {
  absl::Status status =
      outbox::Enqueue(session_, outbox::FromDomainEvent(ToDomainEvent(fact), kEventStream));
  if (status.ok()) ++published_;
  return status;
}

}  // namespace etnik::scheduling::store
