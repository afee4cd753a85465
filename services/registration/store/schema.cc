#include "services/registration/store/schema.h"

#include "common/outbox/outbox.h"

namespace etnik::registration::store {
namespace {

// Each resource is its serialized proto (`data`, base64 text so both engines store it alike)
// plus the columns filters, uniqueness and ordering need. Instants are UTC microseconds.
constexpr char kCoreSchema[] = R"sql(
CREATE TABLE programmes (
  id TEXT PRIMARY KEY,
  create_us BIGINT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX programmes_by_create ON programmes (create_us, id);
CREATE TABLE forms (
  programme TEXT NOT NULL,
  id TEXT NOT NULL,
  purpose INTEGER NOT NULL,
  create_us BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (programme, id)
);
CREATE TABLE applications (
  programme TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  form TEXT NOT NULL,
  organisation_inn TEXT NOT NULL,
  organisation_name TEXT NOT NULL,
  applicant TEXT NOT NULL,
  state INTEGER NOT NULL,
  region TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  submit_us BIGINT NOT NULL,
  create_us BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (programme, id),
  CONSTRAINT applications_one_per_organisation UNIQUE (programme, organisation_inn)
);
CREATE INDEX applications_by_applicant ON applications (applicant);
CREATE INDEX applications_by_form ON applications (form);
CREATE INDEX applications_by_state ON applications (programme, state);
CREATE TABLE survey_responses (
  form TEXT NOT NULL,
  id TEXT NOT NULL,
  submit_us BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (form, id)
);
CREATE TABLE request_results (
  scope TEXT NOT NULL,
  request_id TEXT NOT NULL,
  result TEXT NOT NULL,
  create_us BIGINT NOT NULL,
  PRIMARY KEY (scope, request_id)
);
CREATE TABLE reviewer_assignments (
  programme TEXT NOT NULL,
  application TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  state INTEGER NOT NULL,
  id TEXT NOT NULL DEFAULT '',
  create_us BIGINT NOT NULL DEFAULT 0,
  data TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (programme, application, reviewer)
);
CREATE INDEX reviewer_assignments_by_reviewer ON reviewer_assignments (reviewer, application);
)sql";

}  // namespace

std::vector<db::Migration> RegistrationMigrations() {
  db::Migration core;
  core.version = 1;
  core.name = "create_registration_core";
  core.sql = kCoreSchema;
  std::vector<db::Migration> out = {core, outbox::OutboxMigration(2)};
  for (db::Migration& m : SelectionMigrations(kFirstSelectionVersion)) out.push_back(std::move(m));
  return out;
}

}  // namespace etnik::registration::store
