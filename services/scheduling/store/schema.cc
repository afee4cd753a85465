#include "services/scheduling/store/schema.h"

#include "common/outbox/outbox.h"
#include "common/outbox/processed_events.h"

namespace etnik::scheduling::store {
namespace {

// Instants are BIGINT microseconds (common/db/time_micros.h). Column types are the same on both
// engines so one set of statements serves both.
constexpr char kTables[] = R"sql(
CREATE TABLE sched_requests (
  request_key TEXT PRIMARY KEY,
  resource TEXT NOT NULL,
  create_us BIGINT NOT NULL
);
CREATE TABLE sched_venues (
  id TEXT PRIMARY KEY,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  address TEXT NOT NULL,
  city TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  create_us BIGINT NOT NULL,
  update_us BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE TABLE sched_rooms (
  venue_id TEXT NOT NULL REFERENCES sched_venues (id) ON DELETE CASCADE,
  room_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  PRIMARY KEY (venue_id, room_id)
);
CREATE TABLE sched_events (
  id TEXT PRIMARY KEY,
  programme TEXT NOT NULL,
  stage TEXT NOT NULL,
  kind INTEGER NOT NULL,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  description_ru TEXT NOT NULL,
  description_en TEXT NOT NULL,
  hub TEXT NOT NULL,
  venue TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  open_registration INTEGER NOT NULL,
  default_capacity INTEGER NOT NULL,
  create_us BIGINT NOT NULL,
  update_us BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX sched_events_by_programme ON sched_events (programme, id);
CREATE INDEX sched_events_by_hub ON sched_events (hub, id);
CREATE TABLE sched_tracks (
  event_id TEXT NOT NULL REFERENCES sched_events (id) ON DELETE CASCADE,
  track_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  room TEXT NOT NULL,
  PRIMARY KEY (event_id, track_id)
);
CREATE TABLE sched_sessions (
  name TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES sched_events (id),
  session_id TEXT NOT NULL,
  programme TEXT NOT NULL,
  stage TEXT NOT NULL,
  event_kind INTEGER NOT NULL,
  hub TEXT NOT NULL,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  description_ru TEXT NOT NULL,
  description_en TEXT NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  time_zone TEXT NOT NULL,
  hosts TEXT NOT NULL,
  room TEXT NOT NULL,
  online_join_uri TEXT NOT NULL,
  online_platform TEXT NOT NULL,
  online_access_code TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  track TEXT NOT NULL,
  state INTEGER NOT NULL,
  cancel_reason TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  registered_count INTEGER NOT NULL,
  waitlisted_count INTEGER NOT NULL,
  checked_in_count INTEGER NOT NULL,
  attendee_seq BIGINT NOT NULL,
  booked_by TEXT NOT NULL,
  create_us BIGINT NOT NULL,
  update_us BIGINT NOT NULL,
  version BIGINT NOT NULL,
  CONSTRAINT sched_sessions_valid_range CHECK (start_us < end_us)
);
CREATE INDEX sched_sessions_by_start ON sched_sessions (start_us, name);
CREATE INDEX sched_sessions_by_event ON sched_sessions (event_id, start_us, name);
CREATE INDEX sched_sessions_by_programme ON sched_sessions (programme, start_us, name);
CREATE INDEX sched_sessions_by_hub ON sched_sessions (hub, start_us, name);
CREATE INDEX sched_sessions_by_room ON sched_sessions (room, start_us, name);
CREATE TABLE sched_session_hosts (
  session_name TEXT NOT NULL REFERENCES sched_sessions (name) ON DELETE CASCADE,
  expert TEXT NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  active INTEGER NOT NULL,
  PRIMARY KEY (session_name, expert)
);
CREATE INDEX sched_session_hosts_by_expert ON sched_session_hosts (expert, start_us);
CREATE TABLE sched_attendees (
  name TEXT PRIMARY KEY,
  session_name TEXT NOT NULL REFERENCES sched_sessions (name),
  attendee_id TEXT NOT NULL,
  participant TEXT NOT NULL,
  subject TEXT NOT NULL,
  full_name TEXT NOT NULL,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  language INTEGER NOT NULL,
  state INTEGER NOT NULL,
  seq BIGINT NOT NULL,
  register_us BIGINT NOT NULL,
  promote_us BIGINT,
  cancel_us BIGINT,
  check_in_us BIGINT,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX sched_attendees_order ON sched_attendees (session_name, seq);
CREATE UNIQUE INDEX sched_attendees_live_email ON sched_attendees (session_name, email_key)
  WHERE state IN (1, 2);
CREATE UNIQUE INDEX sched_attendees_live_participant ON sched_attendees (session_name, participant)
  WHERE state IN (1, 2) AND participant <> '';
CREATE INDEX sched_attendees_waiting ON sched_attendees (session_name, state, seq);
CREATE INDEX sched_attendees_by_participant ON sched_attendees (participant, session_name);
CREATE INDEX sched_attendees_by_subject ON sched_attendees (subject, session_name);
CREATE TABLE sched_stages (
  stage TEXT PRIMARY KEY,
  programme TEXT NOT NULL,
  kind INTEGER NOT NULL,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  time_zone TEXT NOT NULL,
  removed INTEGER NOT NULL
);
CREATE INDEX sched_stages_by_programme ON sched_stages (programme, stage);
CREATE TABLE sched_stage_targets (
  stage TEXT NOT NULL REFERENCES sched_stages (stage) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  metric INTEGER NOT NULL,
  target_value INTEGER NOT NULL,
  PRIMARY KEY (stage, position)
);
CREATE TABLE sched_experts (
  expert TEXT PRIMARY KEY,
  full_name_ru TEXT NOT NULL,
  full_name_en TEXT NOT NULL,
  subject TEXT NOT NULL,
  email TEXT NOT NULL,
  language INTEGER NOT NULL,
  time_zone TEXT NOT NULL,
  hubs TEXT NOT NULL,
  weekly_limit INTEGER NOT NULL
);
CREATE TABLE sched_expert_windows (
  expert TEXT NOT NULL REFERENCES sched_experts (expert) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  weekday INTEGER NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  PRIMARY KEY (expert, position)
);
CREATE TABLE sched_expert_exceptions (
  expert TEXT NOT NULL REFERENCES sched_experts (expert) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  local_date TEXT NOT NULL,
  available INTEGER NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (expert, position)
);
CREATE TABLE sched_hubs (
  hub TEXT PRIMARY KEY,
  programme TEXT NOT NULL,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  closed INTEGER NOT NULL
);
CREATE TABLE sched_hub_leads (
  hub TEXT NOT NULL REFERENCES sched_hubs (hub) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  person_id TEXT NOT NULL,
  full_name TEXT NOT NULL,
  email TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  language INTEGER NOT NULL,
  PRIMARY KEY (hub, position)
);
)sql";

// The newest version of each foreign aggregate applied to the read models.
constexpr char kAppliedVersions[] = R"sql(
CREATE TABLE sched_applied_versions (
  aggregate TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);
)sql";

}  // namespace

std::vector<db::Migration> Migrations() {
  std::vector<db::Migration> m;
  db::Migration tables;
  tables.version = 1;
  tables.name = "create_scheduling_tables";
  tables.sql = kTables;
  m.push_back(tables);
  m.push_back(Reservations().CreateMigration(2));
  m.push_back(Seats().CreateMigration(3));
  m.push_back(outbox::OutboxMigration(4));
  m.push_back(outbox::ProcessedEventsMigration(5));
  db::Migration versions;
  versions.version = 6;
  versions.name = "create_applied_versions";
  versions.sql = kAppliedVersions;
  m.push_back(versions);
  return m;
}

}  // namespace etnik::scheduling::store
