#include "services/scheduling/api/mapping.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace etnik::scheduling::api {

absl::Status ViolationsStatus(const Violations& v) {
  if (v.empty()) return absl::OkStatus();
  return InvalidArgumentError("invalid request", v);
}

absl::Time TimeFrom(const google::protobuf::Timestamp& ts, bool present, const std::string& field,
                    Violations& v) {
  if (!present) return absl::InfinitePast();
  if (ts.seconds() < google::protobuf::util::TimeUtil::kTimestampMinSeconds ||
      ts.seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds || ts.nanos() < 0 ||
      ts.nanos() > 999999999) {
    v.push_back({field, "not a valid timestamp"});
    return absl::InfinitePast();
  }
  // Instants are kept to the microsecond, as stored.
  return absl::FromUnixSeconds(ts.seconds()) + absl::Microseconds(ts.nanos() / 1000);
}

void SetTimestamp(google::protobuf::Timestamp* ts, absl::Time t) {
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  ts->set_seconds(seconds);
  ts->set_nanos(static_cast<int32_t>(rem * 1000));
}

absl::Duration DurationFrom(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

LocalizedText TextFrom(const cpb::LocalizedText& t) { return {t.ru(), t.en()}; }

void SetText(cpb::LocalizedText* out, const LocalizedText& in) {
  out->set_ru(in.ru);
  out->set_en(in.en);
}

std::set<std::string> MaskFields(const google::protobuf::FieldMask& mask) {
  return {mask.paths().begin(), mask.paths().end()};
}

EventKind KindFrom(int value, const std::string& field, Violations& v) {
  if (value < 0 || value > kMaxEventKind) {
    v.push_back({field, "unknown event kind"});
    return EventKind::kUnspecified;
  }
  return static_cast<EventKind>(value);
}

Venue VenueFrom(const pb::Venue& in) {
  Venue v;
  v.title = TextFrom(in.title());
  v.address = in.address();
  v.city = in.city();
  v.time_zone = in.time_zone();
  for (const pb::Room& r : in.rooms()) v.rooms.push_back({r.room_id(), TextFrom(r.title()), r.capacity()});
  return v;
}

void ToProto(const Venue& in, pb::Venue* out) {
  out->set_name(in.name());
  SetText(out->mutable_title(), in.title);
  out->set_address(in.address);
  out->set_city(in.city);
  out->set_time_zone(in.time_zone);
  for (const Room& r : in.rooms) {
    pb::Room* room = out->add_rooms();
    room->set_room_id(r.room_id);
    SetText(room->mutable_title(), r.title);
    room->set_capacity(r.capacity);
  }
  SetTimestamp(out->mutable_create_time(), in.create_time);
  SetTimestamp(out->mutable_update_time(), in.update_time);
  out->set_etag(EtagOf(in.version));
}

Event EventFrom(const pb::Event& in, Violations& v) {
  Event e;
  e.programme = in.programme();
  e.stage = in.stage();
  e.kind = KindFrom(in.kind(), "event.kind", v);
  e.title = TextFrom(in.title());
  e.description = TextFrom(in.description());
  e.hub = in.hub();
  e.venue = in.venue();
  e.time_zone = in.time_zone();
  e.open_registration = in.open_registration();
  e.default_capacity = in.default_capacity();
  for (const pb::Track& t : in.tracks()) e.tracks.push_back({t.track_id(), TextFrom(t.title()), t.room()});
  return e;
}

void ToProto(const Event& in, pb::Event* out) {
  out->set_name(in.name());
  out->set_programme(in.programme);
  out->set_stage(in.stage);
  out->set_kind(static_cast<cpb::EventKind>(in.kind));
  SetText(out->mutable_title(), in.title);
  SetText(out->mutable_description(), in.description);
  out->set_hub(in.hub);
  out->set_venue(in.venue);
  out->set_time_zone(in.time_zone);
  out->set_open_registration(in.open_registration);
  for (const Track& t : in.tracks) {
    pb::Track* track = out->add_tracks();
    track->set_track_id(t.track_id);
    SetText(track->mutable_title(), t.title);
    track->set_room(t.room);
  }
  out->set_default_capacity(in.default_capacity);
  out->set_session_count(in.session_count);
  SetTimestamp(out->mutable_create_time(), in.create_time);
  SetTimestamp(out->mutable_update_time(), in.update_time);
  out->set_etag(EtagOf(in.version));
}

Session SessionFrom(const pb::Session& in, Violations& v) {
  Session s;
  s.title = TextFrom(in.title());
  s.description = TextFrom(in.description());
  s.start = TimeFrom(in.start_time(), in.has_start_time(), "session.start_time", v);
  s.end = TimeFrom(in.end_time(), in.has_end_time(), "session.end_time", v);
  s.time_zone = in.time_zone();
  s.hosts = {in.hosts().begin(), in.hosts().end()};
  s.hub = in.hub();
  if (in.has_online_room()) {
    s.online_room = {in.online_room().join_uri(), in.online_room().platform(),
                     in.online_room().access_code()};
  } else {
    s.room = in.room();
  }
  s.capacity = in.capacity();
  s.track = in.track();
  return s;
}

void ToProto(const Session& in, bool with_access_code, pb::Session* out) {
  out->set_name(in.name());
  SetText(out->mutable_title(), in.title);
  SetText(out->mutable_description(), in.description);
  SetTimestamp(out->mutable_start_time(), in.start);
  SetTimestamp(out->mutable_end_time(), in.end);
  out->set_time_zone(in.time_zone);
  for (const std::string& h : in.hosts) out->add_hosts(h);
  out->set_hub(in.hub);
  if (!in.room.empty()) {
    out->set_room(in.room);
  } else if (!in.online_room.empty()) {
    pb::OnlineRoom* room = out->mutable_online_room();
    room->set_join_uri(in.online_room.join_uri);
    room->set_platform(in.online_room.platform);
    if (with_access_code) room->set_access_code(in.online_room.access_code);
  }
  out->set_capacity(in.capacity);
  out->set_track(in.track);
  out->set_state(static_cast<pb::SessionState>(in.state));
  out->set_cancel_reason(in.cancel_reason);
  out->set_event_kind(static_cast<cpb::EventKind>(in.event_kind));
  out->set_sequence(in.sequence);
  out->set_registered_count(in.registered_count);
  out->set_waitlisted_count(in.waitlisted_count);
  out->set_checked_in_count(in.checked_in_count);
  out->set_booked_by(in.booked_by);
  SetTimestamp(out->mutable_create_time(), in.create_time);
  SetTimestamp(out->mutable_update_time(), in.update_time);
  out->set_etag(EtagOf(in.version));
}

Attendee AttendeeFrom(const pb::Attendee& in) {
  Attendee a;
  a.participant = in.participant();
  a.full_name = in.full_name();
  a.email = in.email();
  a.time_zone = in.time_zone();
  const int language = in.language();
  a.language = language >= 0 && language <= 2 ? static_cast<Language>(language) : Language::kUnspecified;
  return a;
}

void ToProto(const Attendee& in, pb::Attendee* out) {
  out->set_name(in.name());
  out->set_participant(in.participant);
  out->set_subject(in.subject);
  out->set_full_name(in.full_name);
  out->set_email(in.email);
  out->set_time_zone(in.time_zone);
  out->set_language(static_cast<cpb::Language>(in.language));
  out->set_state(static_cast<pb::AttendeeState>(in.state));
  out->set_waitlist_position(in.waitlist_position);
  SetTimestamp(out->mutable_register_time(), in.register_time);
  if (in.promote_time) SetTimestamp(out->mutable_promote_time(), *in.promote_time);
  if (in.cancel_time) SetTimestamp(out->mutable_cancel_time(), *in.cancel_time);
  if (in.check_in_time) SetTimestamp(out->mutable_check_in_time(), *in.check_in_time);
  out->set_etag(EtagOf(in.version));
}

void ToProto(const AttendanceReport& in, pb::Attendance* out) {
  out->set_participant(in.participant);
  out->set_programme(in.programme);
  out->set_registered_sessions(in.registered_sessions);
  out->set_attended_sessions(in.attended_sessions);
  for (const AttendanceRow& row : in.rows) {
    pb::AttendanceRecord* r = out->add_records();
    r->set_session(row.session.name());
    SetText(r->mutable_session_title(), row.session.title);
    r->set_event_kind(static_cast<cpb::EventKind>(row.session.event_kind));
    SetTimestamp(r->mutable_start_time(), row.session.start);
    r->set_state(static_cast<pb::AttendeeState>(row.attendee.state));
    if (row.attendee.check_in_time) SetTimestamp(r->mutable_check_in_time(), *row.attendee.check_in_time);
  }
}

void ToProto(const ProgressReport& in, pb::ProgrammeProgress* out) {
  out->set_programme(in.programme);
  for (const TargetProgressRow& t : in.targets) {
    cpb::TargetProgress* p = out->add_targets();
    p->set_stage(t.stage);
    p->set_metric(static_cast<cpb::TargetMetric>(t.metric));
    p->set_target(t.target);
    p->set_actual(t.actual);
  }
  for (const auto& [kind, counts] : in.kinds) {
    pb::KindProgress* k = out->add_kinds();
    k->set_kind(static_cast<cpb::EventKind>(kind));
    k->set_scheduled(counts.scheduled);
    k->set_held(counts.held);
    k->set_cancelled(counts.cancelled);
  }
  for (const auto& [hub, counts] : in.hubs) {
    pb::HubProgress* h = out->add_hubs();
    h->set_hub(hub);
    h->set_scheduled(counts.scheduled);
    h->set_held(counts.held);
    h->set_cancelled(counts.cancelled);
    h->set_attendance(counts.attendance);
  }
  out->set_attendance(in.attendance);
  SetTimestamp(out->mutable_compute_time(), in.compute_time);
}

std::string LocalRfc3339(absl::Time t, const absl::TimeZone& zone) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%S%Ez", t, zone);
}

}  // namespace etnik::scheduling::api
