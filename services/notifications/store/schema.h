#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_SCHEMA_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_SCHEMA_H_

// Tables of the notifications service, on SQLite and PostgreSQL alike.

#include <vector>

#include "common/db/migrations.h"

namespace etnik::notifications::store {

// deliveries (the log and the durable due-time queue), templates, reminder_settings, preferences,
// webhook_subscriptions and the consumer's processed_events.
std::vector<db::Migration> NotificationsMigrations();

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_SCHEMA_H_
