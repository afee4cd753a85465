#ifndef ETNIK_SERVICES_SCHEDULING_STORE_ROWS_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_ROWS_H_

// Row <-> entity mapping of the wide tables: the column list of each SELECT and the variables
// a statement reads them into.

#include <string>

#include "services/scheduling/domain/attendee.h"
#include "services/scheduling/domain/session.h"
#include "soci/soci.h"

namespace etnik::scheduling::store {

// Columns of sched_sessions in SessionRow order (prefix "s." for joins).
extern const char kSessionColumns[];

struct SessionRow {
  std::string name, event_id, session_id, programme, stage, hub, title_ru, title_en, description_ru,
      description_en, time_zone, hosts, room, join_uri, platform, access_code, track,
      cancel_reason, booked_by;
  int event_kind = 0, capacity = 0, state = 0, sequence = 0, registered = 0, waitlisted = 0,
      checked_in = 0;
  long long start_us = 0, end_us = 0, attendee_seq = 0, create_us = 0, update_us = 0, version = 0;

  void Into(soci::statement& st);
  Session ToSession() const;
};

// Columns of sched_attendees in AttendeeRow order (prefix "a." for joins).
extern const char kAttendeeColumns[];

struct AttendeeRow {
  std::string name, session_name, attendee_id, participant, subject, full_name, email, time_zone;
  int language = 0, state = 0;
  long long seq = 0, register_us = 0, promote_us = 0, cancel_us = 0, check_in_us = 0, version = 0;
  soci::indicator promote_ind = soci::i_null, cancel_ind = soci::i_null, check_in_ind = soci::i_null;

  void Into(soci::statement& st);
  Attendee ToAttendee() const;
};

// Hosts are kept in one column, newline-separated, in order.
std::string JoinHosts(const std::vector<std::string>& hosts);
std::vector<std::string> SplitHosts(const std::string& hosts);

}  // namespace etnik::scheduling::store

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_ROWS_H_
