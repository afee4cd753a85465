#include "services/notifications/store/schema.h"

#include "absl/strings/substitute.h"
#include "common/outbox/processed_events.h"

namespace etnik::notifications::store {
namespace {

// $0: bytewise collation for sorted and paged text columns, so keyset tokens mean the same on
// both engines. Instants are UTC microseconds (`_us`), 0 meaning "never"; no column is NULL.
//
// deliveries is also the queue: a row is due when state is PENDING (1) or FAILED (3),
// next_attempt_us <= now and its lease (lease_until_us) has run out. A worker claims a row by
// setting the lease in a transaction, sends, and marks it SENT; a worker that died leaves a
// lease that expires, so the row is claimed again and nothing due is lost after a crash.
// idempotency_key is UNIQUE: an event handled twice cannot queue a second message.
constexpr char kSchema[] = R"sql(
CREATE TABLE deliveries (
  id TEXT $0 PRIMARY KEY,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  recipient TEXT $0 NOT NULL,
  recipient_name TEXT NOT NULL,
  channel INTEGER NOT NULL,
  address TEXT $0 NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  unsubscribe_url TEXT NOT NULL,
  attachment_ics TEXT NOT NULL,
  session TEXT $0 NOT NULL,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  due_us BIGINT NOT NULL,
  next_attempt_us BIGINT NOT NULL,
  lease_until_us BIGINT NOT NULL,
  lease_owner TEXT NOT NULL,
  send_us BIGINT NOT NULL,
  create_us BIGINT NOT NULL,
  update_us BIGINT NOT NULL,
  CONSTRAINT deliveries_idempotency UNIQUE (idempotency_key)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_us);
CREATE INDEX deliveries_by_time ON deliveries (create_us, id);
CREATE INDEX deliveries_by_session ON deliveries (session, state);
CREATE INDEX deliveries_by_recipient ON deliveries (recipient, create_us);

CREATE TABLE templates (
  id TEXT $0 PRIMARY KEY,
  event_type TEXT NOT NULL,
  channel INTEGER NOT NULL,
  language INTEGER NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  essential INTEGER NOT NULL,
  update_us BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX templates_by_type ON templates (event_type, channel, language);

CREATE TABLE reminder_settings (
  programme TEXT $0 PRIMARY KEY,
  offsets_s TEXT NOT NULL,
  remind_attendees INTEGER NOT NULL,
  remind_hosts INTEGER NOT NULL,
  update_us BIGINT NOT NULL,
  version BIGINT NOT NULL
);
)sql";

// One row per recipient key; channels holds "channel|enabled|address" lines.
constexpr char kPreferences[] = R"sql(
CREATE TABLE preferences (
  id TEXT $0 PRIMARY KEY,
  recipient TEXT NOT NULL,
  email TEXT NOT NULL,
  channels TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  language INTEGER NOT NULL,
  unsubscribed INTEGER NOT NULL,
  update_us BIGINT NOT NULL,
  version BIGINT NOT NULL,
  CONSTRAINT preferences_recipient UNIQUE (recipient)
);
CREATE INDEX preferences_by_email ON preferences (email, id);
)sql";

constexpr char kWebhooks[] = R"sql(
CREATE TABLE webhook_subscriptions (
  id TEXT $0 PRIMARY KEY,
  uri TEXT NOT NULL,
  event_types TEXT NOT NULL,
  secret TEXT NOT NULL,
  description TEXT NOT NULL,
  create_us BIGINT NOT NULL
);
CREATE INDEX webhook_subscriptions_by_uri ON webhook_subscriptions (uri);
)sql";

// The seated attendees of each session (reminders and invitations are theirs alone).
constexpr char kSeatedAttendees[] = R"sql(
CREATE TABLE seated_attendees (
  session   TEXT $0 NOT NULL,
  recipient TEXT $0 NOT NULL,
  PRIMARY KEY (session, recipient)
);
)sql";

// Programme titles for messages about applications (registration's stage events carry them).
constexpr char kProgrammeTitles[] = R"sql(
CREATE TABLE programme_titles (
  programme TEXT $0 PRIMARY KEY,
  title_ru  TEXT NOT NULL,
  title_en  TEXT NOT NULL
);
)sql";

}  // namespace

std::vector<db::Migration> NotificationsMigrations() {
  std::vector<db::Migration> out;
  out.push_back(outbox::ProcessedEventsMigration(1));
  db::Migration m;
  m.version = 2;
  m.name = "create_notifications";
  m.sqlite_sql = absl::Substitute(kSchema, "");
  m.postgres_sql = absl::Substitute(kSchema, "COLLATE \"C\"");
  out.push_back(m);
  db::Migration prefs;
  prefs.version = 3;
  prefs.name = "create_preferences";
  prefs.sqlite_sql = absl::Substitute(kPreferences, "");
  prefs.postgres_sql = absl::Substitute(kPreferences, "COLLATE \"C\"");
  out.push_back(prefs);
  db::Migration hooks;
  hooks.version = 4;
  hooks.name = "create_webhook_subscriptions";
  hooks.sqlite_sql = absl::Substitute(kWebhooks, "");
  hooks.postgres_sql = absl::Substitute(kWebhooks, "COLLATE \"C\"");
  out.push_back(hooks);
  db::Migration seated;
  seated.version = 5;
  seated.name = "create_seated_attendees";
  seated.sqlite_sql = absl::Substitute(kSeatedAttendees, "");
  seated.postgres_sql = absl::Substitute(kSeatedAttendees, "COLLATE \"C\"");
  out.push_back(seated);
  db::Migration titles;
  titles.version = 6;
  titles.name = "create_programme_titles";
  titles.sqlite_sql = absl::Substitute(kProgrammeTitles, "");
  titles.postgres_sql = absl::Substitute(kProgrammeTitles, "COLLATE \"C\"");
  out.push_back(titles);
  return out;
}

}  // namespace etnik::notifications::store
