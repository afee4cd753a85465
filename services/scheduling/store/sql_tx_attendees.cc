// Attendees and the waiting list.

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "common/db/time_micros.h"
#include "services/scheduling/store/rows.h"
#include "services/scheduling/store/sql_query.h"
#include "services/scheduling/store/sql_tx.h"

namespace etnik::scheduling::store {
namespace {

using db::CatchDbErrors;
using db::TimeToMicros;

long long MicrosOr(const std::optional<absl::Time>& t) { return t ? TimeToMicros(*t) : 0; }

std::vector<Attendee> FetchAttendees(soci::session& session, SqlQuery& q) {
  AttendeeRow row;
  soci::statement st(session);
  q.Prepare(st, [&](soci::statement& s) { row.Into(s); });
  st.execute(false);
  std::vector<Attendee> out;
  while (st.fetch()) {
    out.push_back(row.ToAttendee());
    row.promote_ind = row.cancel_ind = row.check_in_ind = soci::i_null;
  }
  return out;
}

}  // namespace

absl::StatusOr<std::optional<Attendee>> SqlTx::GetAttendee(const AttendeeRef& ref) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Attendee>> {
    SqlQuery q;
    q << "SELECT " << kAttendeeColumns << " FROM sched_attendees a WHERE a.name = ";
    q.Bind(ref.name());
    std::vector<Attendee> rows = FetchAttendees(session_, q);
    if (rows.empty()) return std::optional<Attendee>();
    return std::optional<Attendee>(rows.front());
  });
}

absl::StatusOr<std::optional<Attendee>> SqlTx::FindLiveAttendee(const SessionRef& session,
                                                                absl::string_view email,
                                                                absl::string_view participant) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Attendee>> {
    SqlQuery q;
    q << "SELECT " << kAttendeeColumns
      << " FROM sched_attendees a WHERE a.state IN (1, 2) AND a.session_name = ";
    q.Bind(session.name()) << " AND (a.email_key = ";
    q.Bind(absl::AsciiStrToLower(email));
    if (!participant.empty()) {
      q << " OR a.participant = ";
      q.Bind(std::string(participant));
    }
    q << ") ORDER BY a.seq LIMIT 1";
    std::vector<Attendee> rows = FetchAttendees(session_, q);
    if (rows.empty()) return std::optional<Attendee>();
    return std::optional<Attendee>(rows.front());
  });
}

absl::Status SqlTx::InsertAttendee(const Attendee& a) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "INSERT INTO sched_attendees (name, session_name, attendee_id, participant, subject,"
         " full_name, email, email_key, time_zone, language, state, seq, register_us,"
         " promote_us, cancel_us, check_in_us, version) VALUES (";
    q.Bind(a.name()) << ", ";
    q.Bind(a.session.name()) << ", ";
    q.Bind(a.id) << ", ";
    q.Bind(a.participant) << ", ";
    q.Bind(a.subject) << ", ";
    q.Bind(a.full_name) << ", ";
    q.Bind(a.email) << ", ";
    q.Bind(absl::AsciiStrToLower(a.email)) << ", ";
    q.Bind(a.time_zone) << ", ";
    q.Bind(static_cast<int>(a.language)) << ", ";
    q.Bind(static_cast<int>(a.state)) << ", ";
    q.Bind(static_cast<long long>(a.seq)) << ", ";
    q.Bind(static_cast<long long>(TimeToMicros(a.register_time))) << ", ";
    q.BindNullable(a.promote_time.has_value(), MicrosOr(a.promote_time)) << ", ";
    q.BindNullable(a.cancel_time.has_value(), MicrosOr(a.cancel_time)) << ", ";
    q.BindNullable(a.check_in_time.has_value(), MicrosOr(a.check_in_time)) << ", ";
    q.Bind(static_cast<long long>(a.version)) << ")";
    q.Exec(session_);
    return absl::OkStatus();
  });
}

absl::Status SqlTx::UpdateAttendee(const Attendee& a) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "UPDATE sched_attendees SET state = ";
    q.Bind(static_cast<int>(a.state)) << ", promote_us = ";
    q.BindNullable(a.promote_time.has_value(), MicrosOr(a.promote_time)) << ", cancel_us = ";
    q.BindNullable(a.cancel_time.has_value(), MicrosOr(a.cancel_time)) << ", check_in_us = ";
    q.BindNullable(a.check_in_time.has_value(), MicrosOr(a.check_in_time)) << ", version = ";
    q.Bind(static_cast<long long>(a.version)) << " WHERE name = ";
    q.Bind(a.name());
    if (q.Exec(session_) != 1) return absl::NotFoundError(absl::StrCat(a.name(), " not found"));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Attendee>> SqlTx::FirstWaiting(const SessionRef& session, int limit) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Attendee>> {
    SqlQuery q;
    q << "SELECT " << kAttendeeColumns << " FROM sched_attendees a WHERE a.session_name = ";
    q.Bind(session.name()) << " AND a.state = 2 ORDER BY a.seq LIMIT ";
    q.Bind(limit);
    return FetchAttendees(session_, q);
  });
}

absl::StatusOr<int32_t> SqlTx::WaitlistPosition(const Attendee& a) {
  return CatchDbErrors([&]() -> absl::StatusOr<int32_t> {
    SqlQuery q;
    q << "SELECT COUNT(*) FROM sched_attendees WHERE session_name = ";
    q.Bind(a.session.name()) << " AND state = 2 AND seq < ";
    q.Bind(static_cast<long long>(a.seq));
    long long before = 0;
    soci::statement st(session_);
    q.Prepare(st, [&](soci::statement& s) { s.exchange(soci::into(before)); });
    st.execute(true);
    return static_cast<int32_t>(before + 1);
  });
}

absl::StatusOr<std::vector<Attendee>> SqlTx::ListAttendees(const AttendeeQuery& query) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Attendee>> {
    SqlQuery q;
    q << "SELECT " << kAttendeeColumns << " FROM sched_attendees a WHERE 1 = 1";
    if (query.session.has_value()) {
      q << " AND a.session_name = ";
      q.Bind(query.session->name());
    }
    if (!query.participant.empty()) {
      q << " AND a.participant = ";
      q.Bind(query.participant);
    }
    if (!query.email.empty()) {
      q << " AND a.email_key = ";
      q.Bind(absl::AsciiStrToLower(query.email));
    }
    if (!query.subject.empty()) {
      q << " AND a.subject = ";
      q.Bind(query.subject);
    }
    if (!query.states.empty()) {
      q << " AND a.state IN (";
      for (size_t i = 0; i < query.states.size(); ++i) {
        if (i > 0) q << ", ";
        q.Bind(static_cast<int>(query.states[i]));
      }
      q << ")";
    }
    if (!query.after_session.empty()) {
      q << " AND (a.session_name > ";
      q.Bind(query.after_session) << " OR (a.session_name = ";
      q.Bind(query.after_session) << " AND a.seq > ";
      q.Bind(static_cast<long long>(query.after_seq)) << "))";
    }
    q << " ORDER BY a.session_name, a.seq LIMIT ";
    q.Bind(query.limit);
    return FetchAttendees(session_, q);
  });
}

absl::StatusOr<std::vector<AttendanceRow>> SqlTx::ListAttendance(absl::string_view programme,
                                                                 absl::string_view participant) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<AttendanceRow>> {
    SqlQuery q;
    q << "SELECT " << kAttendeeColumns << ", " << kSessionColumns
      << " FROM sched_attendees a JOIN sched_sessions s ON s.name = a.session_name"
         " WHERE a.participant = ";
    q.Bind(std::string(participant)) << " AND s.programme = ";
    q.Bind(std::string(programme)) << " ORDER BY s.start_us, s.name, a.seq";
    AttendeeRow arow;
    SessionRow srow;
    soci::statement st(session_);
    q.Prepare(st, [&](soci::statement& s) {
      arow.Into(s);
      srow.Into(s);
    });
    st.execute(false);
    std::vector<AttendanceRow> out;
    while (st.fetch()) {
      out.push_back({arow.ToAttendee(), srow.ToSession()});
      arow.promote_ind = arow.cancel_ind = arow.check_in_ind = soci::i_null;
    }
    return out;
  });
}

}  // namespace etnik::scheduling::store
