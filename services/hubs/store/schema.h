#ifndef ETNIK_SERVICES_HUBS_STORE_SCHEMA_H_
#define ETNIK_SERVICES_HUBS_STORE_SCHEMA_H_

#include <vector>

#include "common/db/migrations.h"

namespace etnik::hubs::store {

// The hubs service's numbered migrations: 1 creates its tables; `extra` (the outbox table,
// versions from 2) follows.
std::vector<db::Migration> HubsMigrations(const std::vector<db::Migration>& extra);

}  // namespace etnik::hubs::store

#endif  // ETNIK_SERVICES_HUBS_STORE_SCHEMA_H_
