#ifndef ETNIK_SERVICES_REGISTRATION_STORE_SCHEMA_H_
#define ETNIK_SERVICES_REGISTRATION_STORE_SCHEMA_H_

// The registration database: the core tables (programmes, forms, applications, survey
// responses, request results, reviewer assignments), the outbox, then the selection tables.

#include <vector>

#include "common/db/migrations.h"

namespace etnik::registration::store {

// Core migrations take versions 1..kFirstSelectionVersion-1; selection's start at
// kFirstSelectionVersion, so both lists can grow without renumbering the other.
inline constexpr int kFirstSelectionVersion = 100;

// Review, selection, offers and participants tables (schema_selection.cc), numbered from
// `first_version` upwards.
std::vector<db::Migration> SelectionMigrations(int first_version);

// Every migration of the service in ascending order.
std::vector<db::Migration> RegistrationMigrations();

}  // namespace etnik::registration::store

#endif  // ETNIK_SERVICES_REGISTRATION_STORE_SCHEMA_H_
