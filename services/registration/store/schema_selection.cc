// Tables of review, selection, offers and participants. Reviewer assignments live in the core
// schema (reviewer_assignments) because application listings filter by them.

#include "services/registration/store/schema.h"
#include "services/registration/store/selection_store.h"

namespace etnik::registration::store {
namespace {

// Each row is its serialized proto (`data`, base64) plus the columns lookups need.
constexpr char kSelectionSchema[] = R"sql(
CREATE TABLE conflict_declarations (
  programme TEXT NOT NULL,
  id TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  organisation_inn TEXT NOT NULL,
  create_us BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT conflict_once UNIQUE (programme, reviewer, organisation_inn)
);
CREATE TABLE reviews (
  programme TEXT NOT NULL,
  application TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  weighted_score DOUBLE PRECISION NOT NULL,
  create_us BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (application, reviewer)
);
CREATE INDEX reviews_by_programme ON reviews (programme, application);
CREATE TABLE selection_runs (
  programme TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  create_us BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (programme, id)
);
CREATE TABLE waitlist_entries (
  programme TEXT NOT NULL,
  application TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (application)
);
CREATE INDEX waitlist_by_position ON waitlist_entries (programme, position);
CREATE TABLE offers (
  programme TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  application TEXT NOT NULL,
  applicant TEXT NOT NULL,
  state INTEGER NOT NULL,
  deadline_us BIGINT NOT NULL,
  create_us BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (programme, id)
);
CREATE INDEX offers_due ON offers (state, deadline_us);
CREATE INDEX offers_by_applicant ON offers (applicant);
CREATE INDEX offers_by_application ON offers (application);
CREATE TABLE participants (
  programme TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  organisation_name TEXT NOT NULL,
  region TEXT NOT NULL,
  confirm_us BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (programme, id)
);
CREATE INDEX participants_by_name ON participants (programme, organisation_name);
)sql";

}  // namespace

std::vector<db::Migration> SelectionMigrations(int first_version) {
  db::Migration tables;
  tables.version = first_version;
  tables.name = "create_review_selection";
  tables.sql = kSelectionSchema;
  return {tables, ParticipantSeats().CreateMigration(first_version + 1)};
}

}  // namespace etnik::registration::store
