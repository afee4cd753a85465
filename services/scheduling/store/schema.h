#ifndef ETNIK_SERVICES_SCHEDULING_STORE_SCHEMA_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_SCHEMA_H_

#include <vector>

#include "common/db/migrations.h"
#include "common/db/reservations.h"
#include "common/db/seat_counters.h"

namespace etnik::scheduling::store {

// Claims of experts and rooms on time ranges; no two overlap per resource.
inline const db::ReservationTable& Reservations() {
  static const db::ReservationTable table("sched_reservations");
  return table;
}

// Taken seats per session.
inline const db::SeatCounterTable& Seats() {
  static const db::SeatCounterTable table("sched_seats");
  return table;
}

// Every schema change of the scheduling service, oldest first.
std::vector<db::Migration> Migrations();

}  // namespace etnik::scheduling::store

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_SCHEMA_H_
