#include "services/hubs/store/schema.h"

#include "absl/strings/substitute.h"
#include "common/outbox/outbox.h"
#include "common/outbox/processed_events.h"

namespace etnik::hubs::store {
namespace {

// $0 is the collation of columns that listings sort and page by: bytewise on both engines, so
// keyset page tokens mean the same on SQLite (BINARY by default) and PostgreSQL ("C").
// Instants are UTC microseconds (`_us`), 0 meaning "never"; no column is NULL.
constexpr char kHubsSchema[] = R"sql(
CREATE TABLE hubs (
  id TEXT $0 PRIMARY KEY,
  programme TEXT NOT NULL,
  title_ru TEXT $0 NOT NULL,
  title_en TEXT NOT NULL,
  theme TEXT NOT NULL,
  theme_title_ru TEXT NOT NULL,
  theme_title_en TEXT NOT NULL,
  description_ru TEXT NOT NULL,
  description_en TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  contact_telegram TEXT NOT NULL,
  contact_website_uri TEXT NOT NULL,
  state INTEGER NOT NULL,
  participant_capacity INTEGER NOT NULL,
  expert_count INTEGER NOT NULL,
  participant_count INTEGER NOT NULL,
  publish_us BIGINT NOT NULL,
  close_us BIGINT NOT NULL,
  create_us BIGINT NOT NULL,
  update_us BIGINT NOT NULL,
  version BIGINT NOT NULL,
  CONSTRAINT hubs_counts CHECK (expert_count >= 0 AND expert_count <= 5 AND participant_count >= 0
                                AND participant_capacity >= 0)
);
CREATE INDEX hubs_by_title ON hubs (title_ru, id);
CREATE INDEX hubs_by_programme ON hubs (programme, state, title_ru, id);

CREATE TABLE experts (
  id TEXT $0 PRIMARY KEY,
  full_name_ru TEXT $0 NOT NULL,
  full_name_en TEXT NOT NULL,
  bio_ru TEXT NOT NULL,
  bio_en TEXT NOT NULL,
  city TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  contact_telegram TEXT NOT NULL,
  contact_website_uri TEXT NOT NULL,
  photo_uri TEXT NOT NULL,
  subject TEXT NOT NULL,
  language INTEGER NOT NULL,
  weekly_availability TEXT NOT NULL,
  availability_exceptions TEXT NOT NULL,
  create_us BIGINT NOT NULL,
  update_us BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX experts_by_name ON experts (full_name_ru, id);
-- Two profiles of one person are refused by e-mail, also when two writers race.
CREATE UNIQUE INDEX experts_email_key ON experts (email_key) WHERE email_key <> '';

CREATE TABLE expert_topics (
  expert_id TEXT $0 NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  topic TEXT NOT NULL,
  PRIMARY KEY (expert_id, ordinal)
);
CREATE INDEX expert_topics_by_topic ON expert_topics (topic, expert_id);

CREATE TABLE hub_members (
  hub_id TEXT $0 NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
  expert_id TEXT $0 NOT NULL REFERENCES experts (id),
  create_us BIGINT NOT NULL,
  PRIMARY KEY (hub_id, expert_id)
);
CREATE INDEX hub_members_by_expert ON hub_members (expert_id, hub_id);

CREATE TABLE hub_leads (
  hub_id TEXT $0 NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
  lead_id TEXT $0 NOT NULL,
  subject TEXT NOT NULL,
  full_name TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  contact_telegram TEXT NOT NULL,
  contact_website_uri TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  language INTEGER NOT NULL,
  create_us BIGINT NOT NULL,
  PRIMARY KEY (hub_id, lead_id),
  CONSTRAINT hub_leads_one_per_subject UNIQUE (hub_id, subject)
);
CREATE INDEX hub_leads_by_subject ON hub_leads (subject);

-- Read model of the registration service's ParticipantConfirmed events.
CREATE TABLE confirmed_participants (
  participant TEXT PRIMARY KEY,
  programme TEXT NOT NULL,
  organisation_name TEXT NOT NULL,
  confirm_us BIGINT NOT NULL
);

CREATE TABLE hub_participants (
  hub_id TEXT $0 NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
  participant_id TEXT $0 NOT NULL,
  participant TEXT NOT NULL,
  organisation_name TEXT NOT NULL,
  create_us BIGINT NOT NULL,
  PRIMARY KEY (hub_id, participant_id)
);
CREATE INDEX hub_participants_by_participant ON hub_participants (participant);

-- Read model of the registration service's ProgrammeStageChanged events (hub targets only).
CREATE TABLE stage_targets (
  stage TEXT NOT NULL,
  metric INTEGER NOT NULL,
  programme TEXT NOT NULL,
  target_value INTEGER NOT NULL,
  PRIMARY KEY (stage, metric)
);
CREATE INDEX stage_targets_by_programme ON stage_targets (programme);

-- Results of calls made with a request_id, so a retry returns the first result.
CREATE TABLE idempotency_keys (
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  result TEXT NOT NULL,
  create_us BIGINT NOT NULL,
  PRIMARY KEY (method, request_id)
);
)sql";

}  // namespace

std::vector<db::Migration> HubsMigrations() {
  db::Migration schema;
  schema.version = 1;
  schema.name = "create_hubs";
  schema.sql = absl::Substitute(kHubsSchema, "");
  schema.postgres_sql = absl::Substitute(kHubsSchema, "COLLATE \"C\"");
  return {schema, outbox::OutboxMigration(2), outbox::ProcessedEventsMigration(3)};
}

}  // namespace etnik::hubs::store
