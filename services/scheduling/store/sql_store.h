#ifndef ETNIK_SERVICES_SCHEDULING_STORE_SQL_STORE_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_SQL_STORE_H_

#include <functional>

#include "absl/status/statusor.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "services/scheduling/domain/ports.h"

namespace etnik::scheduling::store {

// The scheduling store on SQLite or PostgreSQL. Write units run as TxMode::kWrite (SQLite: the
// single writer; PostgreSQL: SERIALIZABLE with retries), so every read-check-write of the use
// cases is race-free across threads and replicas; the reservation table's exclusion constraint
// additionally makes overlapping claims impossible at the storage level.
class SqlSchedulingStore final : public SchedulingStore {
 public:
  // `on_published` runs after a commit that wrote facts (e.g. OutboxRelay::Notify).
  SqlSchedulingStore(db::Database& db, const Clock& clock,
                     std::function<void()> on_published = {})
      : db_(db), clock_(clock), on_published_(std::move(on_published)) {}

  // Applies the scheduling migrations (and the outbox's); returns the schema version.
  static absl::StatusOr<int> Migrate(db::Database& db);

  absl::Status Run(TxKind kind, const std::function<absl::Status(SchedulingTx&)>& work) override;

 private:
  db::Database& db_;
  const Clock& clock_;
  std::function<void()> on_published_;
};

}  // namespace etnik::scheduling::store

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_SQL_STORE_H_
