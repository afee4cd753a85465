#ifndef ETNIK_SERVICES_HUBS_STORE_LOCAL_OUTBOX_H_
#define ETNIK_SERVICES_HUBS_STORE_LOCAL_OUTBOX_H_

// An outbox table of the hubs service's own, used until the shared common/outbox (with its
// relay to Redis Streams) is wired in: events are kept, in order, in the transaction of their
// change, and nothing publishes them yet.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/database.h"
#include "common/db/migrations.h"
#include "services/hubs/store/sql_hubs_store.h"

namespace etnik::hubs::store {

class LocalOutboxWriter final : public EventWriter {
 public:
  static db::Migration CreateMigration(int version);
  absl::Status Write(soci::session& session, const etnik::events::v1::DomainEvent& event) override;
};

// The events in the outbox, oldest first (for tests and operators).
absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> ReadLocalOutbox(db::Database& db);

}  // namespace etnik::hubs::store

#endif  // ETNIK_SERVICES_HUBS_STORE_LOCAL_OUTBOX_H_
