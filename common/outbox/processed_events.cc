#include "common/outbox/processed_events.h"

#include <string>

#include "common/db/db_errors.h"
#include "common/db/time_micros.h"
#include "soci/soci.h"

namespace etnik::outbox {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE processed_events (
  consumer_group TEXT NOT NULL,
  event_id TEXT NOT NULL,
  processed_us BIGINT NOT NULL,
  PRIMARY KEY (consumer_group, event_id)
);
CREATE INDEX processed_events_by_age ON processed_events (consumer_group, processed_us);
)sql";

}  // namespace

db::Migration ProcessedEventsMigration(int version) {
  db::Migration m;
  m.version = version;
  m.name = "create_processed_events";
  m.sql = kSchema;
  return m;
}

absl::StatusOr<bool> MarkProcessed(soci::session& session, absl::string_view group,
                                   absl::string_view event_id, absl::Time processed) {
  if (group.empty()) return absl::InvalidArgumentError("consumer group is empty");
  if (event_id.empty()) return absl::InvalidArgumentError("event_id is empty");
  return db::CatchDbErrors([&]() -> absl::StatusOr<bool> {
    std::string g(group), e(event_id);
    long long processed_us = db::TimeToMicros(processed);
    int inserted = 0;
    soci::indicator ind = soci::i_null;
    // A concurrent insert of the same key waits for the other transaction; once it commits,
    // this one does nothing (READ COMMITTED) or fails serialization and is retried (SERIALIZABLE).
    session << "INSERT INTO processed_events (consumer_group, event_id, processed_us)"
               " VALUES (:g, :e, :t) ON CONFLICT (consumer_group, event_id) DO NOTHING"
               " RETURNING 1",
        soci::use(g), soci::use(e), soci::use(processed_us), soci::into(inserted, ind);
    return session.got_data() && ind == soci::i_ok && inserted == 1;
  });
}

absl::StatusOr<int> DeleteProcessedBefore(soci::session& session, absl::string_view group,
                                          absl::Time cutoff, int limit) {
  if (limit < 1) return absl::InvalidArgumentError("limit must be positive");
  return db::CatchDbErrors([&]() -> absl::StatusOr<int> {
    std::string g(group), g2(group);
    long long cutoff_us = db::TimeToMicros(cutoff), lim = limit;
    soci::statement st =
        (session.prepare << "DELETE FROM processed_events WHERE consumer_group = :g"
                            " AND event_id IN (SELECT event_id FROM processed_events"
                            " WHERE consumer_group = :g2 AND processed_us < :cutoff_us LIMIT :limit)",
         soci::use(g), soci::use(g2), soci::use(cutoff_us), soci::use(lim));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  });
}

}  // namespace etnik::outbox
