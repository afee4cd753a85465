#ifndef ETNIK_SERVICES_HUBS_STORE_SQL_HUBS_STORE_H_
#define ETNIK_SERVICES_HUBS_STORE_SQL_HUBS_STORE_H_

// The hubs store on SQL (SQLite or PostgreSQL through common/db). A write unit of work runs in
// TxMode::kWrite, so every read-check-write of the use cases (the 3-5 experts rule, participant
// capacity, unique e-mails, idempotency records) is race-free on both engines and across
// replicas: one writer at a time on SQLite, SERIALIZABLE with retries on PostgreSQL.

#include <functional>

#include "absl/status/status.h"
#include "common/db/database.h"
#include "etnik/events/v1/domain_event.pb.h"
#include "services/hubs/domain/ports.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::hubs::store {

// Writes the domain events of a unit of work through that unit's session, so they commit or
// roll back with the change (a transactional outbox).
class EventWriter {
 public:
  virtual ~EventWriter() = default;
  virtual absl::Status Write(soci::session& session, const etnik::events::v1::DomainEvent& event) = 0;
};

class SqlHubsStore final : public HubsStore {
 public:
  // `after_events_committed` runs after each commit that wrote events (e.g. to wake the
  // outbox relay). References must outlive the store.
  SqlHubsStore(db::Database& db, EventWriter& events, std::function<void()> after_events_committed = nullptr)
      : db_(db), events_(events), after_events_committed_(std::move(after_events_committed)) {}

  absl::Status Run(TxMode mode, const Work& work) override;

  // Runs `work` inside a transaction someone else opened on this database (e.g. an event
  // consumer's, so its dedupe record commits with the change). No events may be emitted there
  // unless the caller wakes the relay itself.
  absl::Status RunInSession(soci::session& session, const Work& work);

 private:
  db::Database& db_;
  EventWriter& events_;
  std::function<void()> after_events_committed_;
};

}  // namespace etnik::hubs::store

#endif  // ETNIK_SERVICES_HUBS_STORE_SQL_HUBS_STORE_H_
