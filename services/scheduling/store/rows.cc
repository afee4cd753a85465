#include "services/scheduling/store/rows.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/time_micros.h"

namespace etnik::scheduling::store {

const char kSessionColumns[] =
    "s.name, s.event_id, s.session_id, s.programme, s.stage, s.hub, s.title_ru, s.title_en,"
    " s.description_ru, s.description_en, s.time_zone, s.hosts, s.room, s.online_join_uri,"
    " s.online_platform, s.online_access_code, s.track, s.cancel_reason, s.booked_by,"
    " s.event_kind, s.capacity, s.state, s.sequence, s.registered_count, s.waitlisted_count,"
    " s.checked_in_count, s.start_us, s.end_us, s.attendee_seq, s.create_us, s.update_us,"
    " s.version";

void SessionRow::Into(soci::statement& st) {
  for (std::string* s : {&name, &event_id, &session_id, &programme, &stage, &hub, &title_ru,
                         &title_en, &description_ru, &description_en, &time_zone, &hosts, &room,
                         &join_uri, &platform, &access_code, &track, &cancel_reason, &booked_by}) {
    st.exchange(soci::into(*s));
  }
  for (int* i : {&event_kind, &capacity, &state, &sequence, &registered, &waitlisted, &checked_in}) {
    st.exchange(soci::into(*i));
  }
  for (long long* l : {&start_us, &end_us, &attendee_seq, &create_us, &update_us, &version}) {
    st.exchange(soci::into(*l));
  }
}

Session SessionRow::ToSession() const {
  Session s;
  s.event_id = event_id;
  s.id = session_id;
  s.programme = programme;
  s.stage = stage;
  s.hub = hub;
  s.title = {title_ru, title_en};
  s.description = {description_ru, description_en};
  s.time_zone = time_zone;
  s.hosts = SplitHosts(hosts);
  s.room = room;
  s.online_room = {join_uri, platform, access_code};
  s.track = track;
  s.cancel_reason = cancel_reason;
  s.booked_by = booked_by;
  s.event_kind = static_cast<EventKind>(event_kind);
  s.capacity = capacity;
  s.state = static_cast<SessionState>(state);
  s.sequence = sequence;
  s.registered_count = registered;
  s.waitlisted_count = waitlisted;
  s.checked_in_count = checked_in;
  s.start = db::MicrosToTime(start_us);
  s.end = db::MicrosToTime(end_us);
  s.attendee_seq = attendee_seq;
  s.create_time = db::MicrosToTime(create_us);
  s.update_time = db::MicrosToTime(update_us);
  s.version = version;
  return s;
}

const char kAttendeeColumns[] =
    "a.name, a.session_name, a.attendee_id, a.participant, a.subject, a.full_name, a.email,"
    " a.time_zone, a.language, a.state, a.seq, a.register_us, a.promote_us, a.cancel_us,"
    " a.check_in_us, a.version";

void AttendeeRow::Into(soci::statement& st) {
  for (std::string* s : {&name, &session_name, &attendee_id, &participant, &subject, &full_name,
                         &email, &time_zone}) {
    st.exchange(soci::into(*s));
  }
  st.exchange(soci::into(language));
  st.exchange(soci::into(state));
  st.exchange(soci::into(seq));
  st.exchange(soci::into(register_us));
  st.exchange(soci::into(promote_us, promote_ind));
  st.exchange(soci::into(cancel_us, cancel_ind));
  st.exchange(soci::into(check_in_us, check_in_ind));
  st.exchange(soci::into(version));
}

Attendee AttendeeRow::ToAttendee() const {
  Attendee a;
  std::optional<AttendeeRef> ref = ParseAttendeeName(name);
  if (ref.has_value()) a.session = ref->session;
  a.id = attendee_id;
  a.participant = participant;
  a.subject = subject;
  a.full_name = full_name;
  a.email = email;
  a.time_zone = time_zone;
  a.language = static_cast<Language>(language);
  a.state = static_cast<AttendeeState>(state);
  a.seq = seq;
  a.register_time = db::MicrosToTime(register_us);
  if (promote_ind == soci::i_ok) a.promote_time = db::MicrosToTime(promote_us);
  if (cancel_ind == soci::i_ok) a.cancel_time = db::MicrosToTime(cancel_us);
  if (check_in_ind == soci::i_ok) a.check_in_time = db::MicrosToTime(check_in_us);
  a.version = version;
  return a;
}

std::string JoinHosts(const std::vector<std::string>& hosts) { return absl::StrJoin(hosts, "\n"); }

std::vector<std::string> SplitHosts(const std::string& hosts) {
  if (hosts.empty()) return {};
  return absl::StrSplit(hosts, '\n');
}

}  // namespace etnik::scheduling::store
