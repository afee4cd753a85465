#include "services/notifications/store/seated_attendees.h"


#include "services/notifications/store/sql.h"

namespace etnik::notifications::store {

absl::Status MarkSeated(soci::session& s, const std::string& session, const std::string& recipient) {
  Sql q;
  q << "INSERT INTO seated_attendees (session, recipient) VALUES (";
  q.Bind(session) << ", ";
  q.Bind(recipient) << ") ON CONFLICT (session, recipient) DO NOTHING";
  q.Exec(s);
  return absl::OkStatus();
}

absl::Status UnmarkSeated(soci::session& s, const std::string& session, const std::string& recipient) {
  Sql q;
  q << "DELETE FROM seated_attendees WHERE session = ";
  q.Bind(session) << " AND recipient = ";
  q.Bind(recipient);
  q.Exec(s);
  return absl::OkStatus();
}

absl::StatusOr<bool> IsSeated(soci::session& s, const std::string& session, const std::string& recipient) {
  Sql q;
  q << "SELECT COUNT(*) FROM seated_attendees WHERE session = ";
  q.Bind(session) << " AND recipient = ";
  q.Bind(recipient);
  long long n = 0;
  q.Fetch(s, [&](soci::statement& st) { st.exchange(soci::into(n)); }, [] {});
  return n > 0;
}

}  // namespace etnik::notifications::store
