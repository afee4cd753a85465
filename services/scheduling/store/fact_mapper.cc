#include "services/scheduling/store/fact_mapper.h"

#include "absl/strings/str_cat.h"

namespace etnik::scheduling::store {
namespace {

namespace ev = etnik::events::v1;
namespace common = etnik::common::v1;

void SetTime(google::protobuf::Timestamp* ts, absl::Time t) {
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

void SetText(common::LocalizedText* out, const LocalizedText& in) {
  out->set_ru(in.ru);
  out->set_en(in.en);
}

ev::Person PersonOf(const ExpertProfile& e) {
  ev::Person p;
  p.set_id(e.expert);
  p.set_full_name(e.full_name.ru);
  p.mutable_contact()->set_email(e.email);
  p.set_time_zone(e.time_zone);
  p.set_language(static_cast<common::Language>(e.language));
  return p;
}

ev::Person PersonOf(const PersonRef& r) {
  ev::Person p;
  p.set_id(r.id);
  p.set_full_name(r.full_name);
  p.mutable_contact()->set_email(r.email);
  p.set_time_zone(r.time_zone);
  p.set_language(static_cast<common::Language>(r.language));
  return p;
}

ev::Person PersonOf(const Attendee& a, const Session& s) {
  ev::Person p;
  p.set_id(!a.subject.empty() ? a.subject : absl::StrCat("mailto:", a.email));
  p.set_full_name(a.full_name);
  p.mutable_contact()->set_email(a.email);
  p.set_time_zone(a.time_zone.empty() ? s.time_zone : a.time_zone);
  p.set_language(static_cast<common::Language>(a.language));
  return p;
}

ev::SessionSnapshot Snapshot(const Fact& f) {
  const Session& s = f.session;
  const SessionContext& c = f.context;
  ev::SessionSnapshot out;
  out.set_session(s.name());
  out.set_event(absl::StrCat("events/", s.event_id));
  out.set_programme(s.programme);
  out.set_stage(s.stage);
  out.set_event_kind(static_cast<common::EventKind>(s.event_kind));
  SetText(out.mutable_title(), s.title.empty() ? c.event.title : s.title);
  SetTime(out.mutable_start_time(), s.start);
  SetTime(out.mutable_end_time(), s.end);
  out.set_time_zone(s.time_zone);
  out.set_hub(s.hub);
  if (c.hub.has_value()) {
    SetText(out.mutable_hub_title(), c.hub->title);
    for (const PersonRef& lead : c.hub->leads) *out.add_hub_leads() = PersonOf(lead);
  }
  for (const ExpertProfile& host : c.hosts) *out.add_hosts() = PersonOf(host);
  out.set_room(s.room);
  out.set_location(c.location);
  out.set_online_join_uri(s.online_room.join_uri);
  out.set_online_access_code(s.online_room.access_code);
  out.set_capacity(s.capacity);
  out.set_sequence(s.sequence);
  return out;
}

}  // namespace

ev::DomainEvent ToDomainEvent(const Fact& f) {
  ev::DomainEvent out;
  out.set_event_id(f.event_id);
  SetTime(out.mutable_occur_time(), f.occur_time);
  out.set_producer("scheduling");
  out.set_aggregate_id(f.aggregate);
  out.set_aggregate_version(f.aggregate_version);
  out.set_request_id(f.request_id);
  out.set_actor(f.actor);
  switch (f.type) {
    case FactType::kSessionBooked: {
      ev::SessionBooked* m = out.mutable_session_booked();
      *m->mutable_session() = Snapshot(f);
      m->set_booked_by(f.session.booked_by);
      break;
    }
    case FactType::kSessionRescheduled: {
      ev::SessionRescheduled* m = out.mutable_session_rescheduled();
      *m->mutable_session() = Snapshot(f);
      SetTime(m->mutable_previous_start_time(), f.previous.start);
      SetTime(m->mutable_previous_end_time(), f.previous.end);
      m->set_previous_time_zone(f.previous_time_zone);
      m->set_previous_location(f.previous_location);
      for (const Attendee& a : f.attendees) *m->add_attendees() = PersonOf(a, f.session);
      m->set_rescheduled_by(f.actor);
      break;
    }
    case FactType::kSessionCancelled: {
      ev::SessionCancelled* m = out.mutable_session_cancelled();
      *m->mutable_session() = Snapshot(f);
      m->set_reason(f.reason);
      for (const Attendee& a : f.attendees) *m->add_attendees() = PersonOf(a, f.session);
      m->set_cancelled_by(f.actor);
      break;
    }
    case FactType::kAttendeeRegistered: {
      ev::AttendeeRegistered* m = out.mutable_attendee_registered();
      *m->mutable_session() = Snapshot(f);
      m->set_attendee(f.attendee.name());
      *m->mutable_person() = PersonOf(f.attendee, f.session);
      m->set_participant(f.attendee.participant);
      m->set_waitlisted(f.waitlisted);
      m->set_waitlist_position(f.attendee.waitlist_position);
      break;
    }
    case FactType::kAttendeePromoted: {
      ev::AttendeePromoted* m = out.mutable_attendee_promoted();
      *m->mutable_session() = Snapshot(f);
      m->set_attendee(f.attendee.name());
      *m->mutable_person() = PersonOf(f.attendee, f.session);
      m->set_participant(f.attendee.participant);
      break;
    }
    case FactType::kAttendeeCancelled: {
      ev::AttendeeCancelled* m = out.mutable_attendee_cancelled();
      *m->mutable_session() = Snapshot(f);
      m->set_attendee(f.attendee.name());
      *m->mutable_person() = PersonOf(f.attendee, f.session);
      m->set_participant(f.attendee.participant);
      m->set_was_waitlisted(f.waitlisted);
      break;
    }
    case FactType::kAttendeeCheckedIn: {
      ev::AttendeeCheckedIn* m = out.mutable_attendee_checked_in();
      *m->mutable_session() = Snapshot(f);
      m->set_attendee(f.attendee.name());
      *m->mutable_person() = PersonOf(f.attendee, f.session);
      m->set_participant(f.attendee.participant);
      if (f.attendee.check_in_time.has_value()) {
        SetTime(m->mutable_check_in_time(), *f.attendee.check_in_time);
      }
      break;
    }
  }
  // The payload's full name, e.g. etnik.events.v1.SessionBooked.
  const google::protobuf::FieldDescriptor* field =
      out.GetReflection()->GetOneofFieldDescriptor(out, out.GetDescriptor()->FindOneofByName("payload"));
  if (field != nullptr && field->message_type() != nullptr) {
    out.set_type(field->message_type()->full_name());
  }
  return out;
}

}  // namespace etnik::scheduling::store
