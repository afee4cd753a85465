#ifndef ETNIK_SERVICES_HUBS_STORE_SCHEMA_H_
#define ETNIK_SERVICES_HUBS_STORE_SCHEMA_H_

#include <vector>

#include "common/db/migrations.h"

namespace etnik::hubs::store {

// The hubs service's numbered migrations: 1 its own tables, 2 the shared outbox table, 3 the
// processed-events table of its stream consumers.
std::vector<db::Migration> HubsMigrations();

}  // namespace etnik::hubs::store

#endif  // ETNIK_SERVICES_HUBS_STORE_SCHEMA_H_
