#include "services/scheduling/store/sql_store.h"

#include "common/db/migrations.h"
#include "services/scheduling/store/schema.h"
#include "services/scheduling/store/sql_tx.h"

namespace etnik::scheduling::store {

absl::StatusOr<int> SqlSchedulingStore::Migrate(db::Database& db) {
  return db::ApplyMigrations(db, Migrations());
}

absl::Status SqlSchedulingStore::Run(TxKind kind,
                                     const std::function<absl::Status(SchedulingTx&)>& work) {
  int published = 0;
  absl::Status status = db_.InTransaction(
      kind == TxKind::kRead ? db::TxMode::kRead : db::TxMode::kWrite,
      [&](soci::session& session) {
        SqlTx tx(session, clock_);
        absl::Status s = work(tx);
        published = tx.published();
        return s;
      });
  if (status.ok() && published > 0 && on_published_) on_published_();
  return status;
}

}  // namespace etnik::scheduling::store
