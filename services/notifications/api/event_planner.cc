#include "services/notifications/api/event_planner.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/db/time_micros.h"
#include "common/log/log.h"
#include "common/outbox/outbox_proto.h"
#include "google/protobuf/util/time_util.h"
#include "services/notifications/domain/default_templates.h"
#include "services/notifications/domain/invitation.h"
#include "services/notifications/domain/template_engine.h"
#include "services/notifications/domain/time_text.h"
#include "services/notifications/api/unsubscribe_token.h"
#include "services/notifications/store/deliveries.h"
#include "services/notifications/store/seated_attendees.h"
#include "services/notifications/store/preferences.h"
#include "services/notifications/store/programme_titles.h"
#include "services/notifications/store/reminder_settings.h"
#include "services/notifications/store/templates.h"
#include "services/notifications/store/webhooks.h"
#include "google/protobuf/util/json_util.h"

namespace etnik::notifications {
namespace {

namespace ev = etnik::events::v1;
using etnik::common::v1::Language;
using Vars = std::map<std::string, std::string>;

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(t));
}

Language LanguageOf(const ev::Person& p) {
  return p.language() == etnik::common::v1::LANGUAGE_EN ? etnik::common::v1::LANGUAGE_EN
                                                        : etnik::common::v1::LANGUAGE_RU;
}

std::string Text(const etnik::common::v1::LocalizedText& t, Language lang) {
  return lang == etnik::common::v1::LANGUAGE_EN && !t.en().empty() ? t.en() : t.ru();
}

std::string RecipientKey(const ev::Person& p) {
  return p.id().empty() ? absl::StrCat("mailto:", p.contact().email()) : p.id();
}

std::string DurationWords(absl::Duration d, Language lang) {
  const int64_t minutes = absl::ToInt64Minutes(d);
  const bool en = lang == etnik::common::v1::LANGUAGE_EN;
  if (minutes % 60 != 0) return absl::StrCat(minutes, en ? " min" : " мин");
  return absl::StrCat(minutes / 60, en ? " h" : " ч");
}

// What one message needs besides its template.
struct Message {
  std::string event_id;
  std::string event_type;  // full name, or kReminderEventType
  std::string session;
  absl::Time due;
  Vars vars;
  std::optional<SessionInfo> invitation;
};

// Where a person may be told: e-mail unless disabled, Telegram when enabled with a chat id.
struct Route {
  int channel;
  std::string address;
};

// Renders the template of each consented channel in the person's language and queues the
// deliveries. People without any address and event types without a template are skipped.
absl::Status Enqueue(soci::session& s, const Message& m, const ev::Person& person, absl::Time now,
                     const PlannerOptions& options) {
  const std::string recipient = RecipientKey(person);
  absl::StatusOr<std::optional<v1::Preference>> pref = store::FindPreferenceByRecipient(s, recipient);
  if (!pref.ok()) return pref.status();
  std::vector<Route> routes;
  bool email_on = true;
  if (pref->has_value()) {
    for (const v1::ChannelConsent& c : (*pref)->channels()) {
      if (c.channel() == etnik::common::v1::CHANNEL_EMAIL && !c.enabled()) email_on = false;
      if (c.channel() == etnik::common::v1::CHANNEL_TELEGRAM && c.enabled() && !c.address().empty()) {
        routes.push_back({etnik::common::v1::CHANNEL_TELEGRAM, c.address()});
      }
    }
  }
  if (email_on && !person.contact().email().empty()) {
    routes.insert(routes.begin(), Route{etnik::common::v1::CHANNEL_EMAIL, person.contact().email()});
  }
  const bool unsubscribed = pref->has_value() && (*pref)->unsubscribed();
  Language wanted = LanguageOf(person);
  if (person.language() == etnik::common::v1::LANGUAGE_UNSPECIFIED && pref->has_value() &&
      (*pref)->language() == etnik::common::v1::LANGUAGE_EN) {
    wanted = etnik::common::v1::LANGUAGE_EN;
  }
  for (const Route& route : routes) {
    const auto channel = static_cast<etnik::common::v1::Channel>(route.channel);
    Language lang = wanted;
    absl::StatusOr<std::optional<v1::Template>> t = store::FindTemplate(s, TemplateId(m.event_type, channel, lang));
    if (!t.ok()) return t.status();
    if (!t->has_value() && lang != etnik::common::v1::LANGUAGE_RU) {
      lang = etnik::common::v1::LANGUAGE_RU;
      t = store::FindTemplate(s, TemplateId(m.event_type, channel, lang));
      if (!t.ok()) return t.status();
    }
    if (!t->has_value()) {
      log::Warning("no template for an event type", {{"event_type", m.event_type}});
      continue;
    }
    Vars vars = m.vars;
    vars["recipient_name"] = person.full_name();
    absl::StatusOr<std::string> subject = Render((*t)->subject(), vars);
    absl::StatusOr<std::string> body = Render((*t)->body(), vars);
    if (!subject.ok()) return subject.status();
    if (!body.ok()) return body.status();
    store::DeliveryRow row;
    row.event_id = m.event_id;
    row.event_type = m.event_type;
    row.recipient = recipient;
    row.recipient_name = person.full_name();
    row.channel = route.channel;
    row.address = route.address;
    row.subject = *subject;
    row.body = *body;
    row.session = m.session;
    row.due_time = m.due;
    if (!(*t)->essential()) {
      if (unsubscribed) row.state = store::kSkipped;
      if (!options.unsubscribe_secret.empty()) {
        row.unsubscribe_url = absl::StrCat(options.public_base_url, "/unsubscribe?token=",
                                           MakeUnsubscribeToken(options.unsubscribe_secret, recipient));
      }
    }
    if (m.invitation && route.channel == etnik::common::v1::CHANNEL_EMAIL) {
      row.attachment_ics = BuildInvitation(*m.invitation, options.organizer_email, row.address, now);
    }
    absl::StatusOr<bool> inserted = store::InsertDelivery(s, std::move(row), now);
    if (!inserted.ok()) return inserted.status();
  }
  return absl::OkStatus();
}

// The session's variables in the recipient's language and zone.
Vars SessionVars(const ev::SessionSnapshot& snap, const ev::Person& person) {
  const Language lang = LanguageOf(person);
  const std::string zone = snap.time_zone().empty() ? "UTC" : snap.time_zone();
  const std::string rzone = person.time_zone().empty() ? zone : person.time_zone();
  const absl::Time start = ToTime(snap.start_time());
  const absl::Time end = ToTime(snap.end_time());
  std::vector<std::string> hosts;
  for (const ev::Person& h : snap.hosts()) hosts.push_back(h.full_name());
  return {
      {"session", snap.session()},
      {"session_title", Text(snap.title(), lang)},
      {"event_kind", etnik::common::v1::EventKind_Name(snap.event_kind())},
      {"start_time", FormatForRecipient(start, zone, rzone, lang)},
      {"start_local", FormatLocal(start, rzone, lang)},
      {"start_event_zone", FormatLocal(start, zone, lang)},
      {"end_time", FormatForRecipient(end, zone, rzone, lang)},
      {"end_local", FormatLocal(end, rzone, lang)},
      {"end_event_zone", FormatLocal(end, zone, lang)},
      {"event_zone", zone},
      {"recipient_zone", rzone},
      {"hub_title", Text(snap.hub_title(), lang)},
      {"room", snap.room()},
      {"location", snap.location()},
      {"online_join_uri", snap.online_join_uri()},
      {"online_access_code", snap.online_access_code()},
      {"hosts", absl::StrJoin(hosts, ", ")},
  };
}

SessionInfo Invitation(const ev::SessionSnapshot& snap, bool cancelled) {
  SessionInfo info;
  info.uid = absl::StrCat(absl::StrReplaceAll(snap.session(), {{"/", "."}}), "@etnik");
  info.title = snap.title().ru();
  info.location = snap.location();
  info.url = snap.online_join_uri();
  info.start = ToTime(snap.start_time());
  info.end = ToTime(snap.end_time());
  info.zone = snap.time_zone();
  info.sequence = snap.sequence();
  info.cancelled = cancelled;
  return info;
}

// One message about the session to `person`, with the invitation when `ics` is set.
absl::Status SessionMessage(soci::session& s, const ev::DomainEvent& e, const std::string& type,
                            const ev::SessionSnapshot& snap, const ev::Person& person, const Vars& extra,
                            std::optional<SessionInfo> ics, absl::Time now, const PlannerOptions& o) {
  Message m;
  m.event_id = e.event_id();
  m.event_type = type;
  m.session = snap.session();
  m.due = now;
  m.vars = SessionVars(snap, person);
  for (const auto& [k, v] : extra) m.vars[k] = v;
  m.invitation = std::move(ics);
  return Enqueue(s, m, person, now, o);
}

// Reminders of the session for `person` at the programme's offsets (see the header).
absl::Status PlanReminders(soci::session& s, const ev::SessionSnapshot& snap, const ev::Person& person,
                           const std::vector<absl::Duration>& offsets, absl::Time now, const PlannerOptions& o) {
  const absl::Time start = ToTime(snap.start_time());
  if (start <= now) return absl::OkStatus();
  std::vector<absl::Duration> sorted = offsets;
  std::sort(sorted.begin(), sorted.end());  // nearest first
  bool late_one_queued = false;
  for (absl::Duration offset : sorted) {
    absl::Time due = start - offset;
    if (due < now) {
      // Only the nearest of the reminders whose time has passed goes out, at once.
      if (late_one_queued) continue;
      late_one_queued = true;
      due = now;
    }
    Message m;
    m.event_id = absl::StrCat(snap.session(), "#reminder-", absl::ToInt64Seconds(offset), "s@",
                              db::TimeToMicros(start));
    m.event_type = kReminderEventType;
    m.session = snap.session();
    m.due = due;
    m.vars = SessionVars(snap, person);
    m.vars["time_until"] = DurationWords(offset, LanguageOf(person));
    if (absl::Status st = Enqueue(s, m, person, now, o); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::StatusOr<store::ReminderConfig> Settings(soci::session& s, const ev::SessionSnapshot& snap) {
  return store::LoadReminderConfig(s, snap.programme());
}

absl::Status PlanSeat(soci::session& s, const ev::DomainEvent& e, const std::string& type,
                      const ev::SessionSnapshot& snap, const ev::Person& person, const Vars& extra, bool seated,
                      absl::Time now, const PlannerOptions& o) {
  std::optional<SessionInfo> ics;
  if (seated) {
    if (absl::Status st = store::MarkSeated(s, snap.session(), RecipientKey(person)); !st.ok()) return st;
    ics = Invitation(snap, false);
  }
  if (absl::Status st = SessionMessage(s, e, type, snap, person, extra, ics, now, o); !st.ok()) return st;
  if (!seated) return absl::OkStatus();
  absl::StatusOr<store::ReminderConfig> cfg = Settings(s, snap);
  if (!cfg.ok()) return cfg.status();
  if (!cfg->remind_attendees) return absl::OkStatus();
  return PlanReminders(s, snap, person, cfg->offsets, now, o);
}

// A change of the session for everyone concerned: pending reminders go, the message (and, unless
// cancelled, new reminders) come.
absl::Status PlanChange(soci::session& s, const ev::DomainEvent& e, const std::string& type,
                        const ev::SessionSnapshot& snap, const google::protobuf::RepeatedPtrField<ev::Person>& attendees,
                        const std::function<Vars(const ev::Person&)>& extra, bool cancelled, absl::Time now,
                        const PlannerOptions& o) {
  if (absl::StatusOr<int> n = store::CancelPending(s, snap.session(), kReminderEventType, "", now); !n.ok()) {
    return n.status();
  }
  absl::StatusOr<store::ReminderConfig> cfg = Settings(s, snap);
  if (!cfg.ok()) return cfg.status();
  // `in_calendar`: the person has the session in their calendar (an invitation was sent).
  auto tell = [&](const ev::Person& p, bool in_calendar, bool remind) -> absl::Status {
    std::optional<SessionInfo> ics;
    if (in_calendar) ics = Invitation(snap, cancelled);
    if (absl::Status st = SessionMessage(s, e, type, snap, p, extra(p), ics, now, o); !st.ok()) return st;
    if (cancelled || !remind) return absl::OkStatus();
    return PlanReminders(s, snap, p, cfg->offsets, now, o);
  };
  // The attendee list names the waiting too: they hear of the change, but reminders and
  // calendar updates are for those with a seat.
  for (const ev::Person& p : attendees) {
    absl::StatusOr<bool> seated = store::IsSeated(s, snap.session(), RecipientKey(p));
    if (!seated.ok()) return seated.status();
    if (absl::Status st = tell(p, *seated, *seated && cfg->remind_attendees); !st.ok()) return st;
  }
  for (const ev::Person& p : snap.hosts()) {
    if (absl::Status st = tell(p, true, cfg->remind_hosts); !st.ok()) return st;
  }
  // The hub's leads hear of the change; reminders are for those who attend or host.
  for (const ev::Person& p : snap.hub_leads()) {
    if (absl::Status st = tell(p, false, false); !st.ok()) return st;
  }
  return absl::OkStatus();
}

// Registration's messages go to the application's contact person.
absl::Status ApplicationMessage(soci::session& s, const ev::DomainEvent& e, const std::string& type,
                                const std::string& application, const std::string& programme,
                                const std::string& organisation, const ev::Person& person, Vars extra, absl::Time now,
                                const PlannerOptions& o) {
  Message m;
  m.event_id = e.event_id();
  m.event_type = type;
  m.due = now;
  m.vars = std::move(extra);
  m.vars["application"] = application;
  m.vars["programme"] = programme;
  // The title in the person's language once registration has announced it; else the name.
  absl::StatusOr<std::optional<etnik::common::v1::LocalizedText>> title = store::FindProgrammeTitle(s, programme);
  if (!title.ok()) return title.status();
  m.vars["programme_title"] = title->has_value() ? Text(**title, LanguageOf(person)) : programme;
  m.vars["organisation_name"] = organisation;
  return Enqueue(s, m, person, now, o);
}

std::string Score(double score) { return absl::StrCat(score); }

absl::Status PlanForPeople(soci::session& s, const ev::DomainEvent& e, absl::Time now, const PlannerOptions& o);

// Every event goes, as JSON, to the webhook subscriptions that want its type.
absl::Status PlanWebhooks(soci::session& s, const ev::DomainEvent& e, absl::Time now) {
  absl::StatusOr<std::vector<v1::WebhookSubscription>> hooks = store::AllWebhooks(s);
  if (!hooks.ok()) return hooks.status();
  if (hooks->empty()) return absl::OkStatus();
  const std::string short_type = absl::StrReplaceAll(e.type(), {{"etnik.events.v1.", ""}});
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(e, &json, opts).ok()) {
    return absl::InternalError("cannot write the event as JSON");
  }
  for (const v1::WebhookSubscription& w : *hooks) {
    const auto& types = w.event_types();
    if (!types.empty() && std::find(types.begin(), types.end(), short_type) == types.end() &&
        std::find(types.begin(), types.end(), e.type()) == types.end()) {
      continue;
    }
    store::DeliveryRow row;
    row.event_id = e.event_id();
    row.event_type = e.type();
    row.recipient = w.name();
    row.channel = etnik::common::v1::CHANNEL_WEBHOOK;
    row.address = w.uri();
    row.subject = short_type;
    row.body = json;
    row.due_time = now;
    absl::StatusOr<bool> inserted = store::InsertDelivery(s, std::move(row), now);
    if (!inserted.ok()) return inserted.status();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PlanDeliveries(soci::session& s, const ev::DomainEvent& e, absl::Time now, const PlannerOptions& o) {
  if (absl::Status st = PlanWebhooks(s, e, now); !st.ok()) return st;
  return PlanForPeople(s, e, now, o);
}

namespace {

absl::Status PlanForPeople(soci::session& s, const ev::DomainEvent& e, absl::Time now, const PlannerOptions& o) {
  const std::string type = e.type();
  switch (e.payload_case()) {
    case ev::DomainEvent::kAttendeeRegistered: {
      const auto& p = e.attendee_registered();
      return PlanSeat(s, e, type, p.session(), p.person(),
                      {{"waitlisted", p.waitlisted() ? "true" : ""},
                       {"waitlist_position", p.waitlisted() ? absl::StrCat(p.waitlist_position()) : ""}},
                      !p.waitlisted(), now, o);
    }
    case ev::DomainEvent::kAttendeePromoted: {
      const auto& p = e.attendee_promoted();
      return PlanSeat(s, e, type, p.session(), p.person(), {}, true, now, o);
    }
    case ev::DomainEvent::kAttendeeCancelled: {
      const auto& p = e.attendee_cancelled();
      if (absl::Status st = store::UnmarkSeated(s, p.session().session(), RecipientKey(p.person())); !st.ok()) return st;
      return store::CancelPending(s, p.session().session(), kReminderEventType, RecipientKey(p.person()), now).status();
    }
    case ev::DomainEvent::kSessionBooked: {
      const auto& p = e.session_booked();
      absl::StatusOr<store::ReminderConfig> cfg = Settings(s, p.session());
      if (!cfg.ok()) return cfg.status();
      const Vars extra = {{"capacity", absl::StrCat(p.session().capacity())}, {"booked_by", p.booked_by()}};
      for (const ev::Person& host : p.session().hosts()) {
        if (absl::Status st = SessionMessage(s, e, type, p.session(), host, extra, Invitation(p.session(), false), now, o);
            !st.ok()) {
          return st;
        }
        if (!cfg->remind_hosts) continue;
        if (absl::Status st = PlanReminders(s, p.session(), host, cfg->offsets, now, o); !st.ok()) return st;
      }
      for (const ev::Person& lead : p.session().hub_leads()) {
        if (absl::Status st = SessionMessage(s, e, type, p.session(), lead, extra, std::nullopt, now, o); !st.ok()) {
          return st;
        }
      }
      return absl::OkStatus();
    }
    case ev::DomainEvent::kSessionRescheduled: {
      const auto& p = e.session_rescheduled();
      const absl::Time prev = ToTime(p.previous_start_time());
      const std::string zone = p.previous_time_zone().empty() ? p.session().time_zone() : p.previous_time_zone();
      // The previous time in each person's language and zone, as the new one.
      auto extra = [&](const ev::Person& person) -> Vars {
        const Language lang = LanguageOf(person);
        const std::string rzone = person.time_zone().empty() ? zone : person.time_zone();
        return {{"previous_start_time", FormatForRecipient(prev, zone, rzone, lang)},
                {"previous_start_local", FormatLocal(prev, rzone, lang)},
                {"previous_start_event_zone", FormatLocal(prev, zone, lang)},
                {"previous_location", p.previous_location()}};
      };
      return PlanChange(s, e, type, p.session(), p.attendees(), extra, false, now, o);
    }
    case ev::DomainEvent::kSessionCancelled: {
      const auto& p = e.session_cancelled();
      auto extra = [&](const ev::Person&) -> Vars { return {{"reason", p.reason()}}; };
      return PlanChange(s, e, type, p.session(), p.attendees(), extra, true, now, o);
    }
    case ev::DomainEvent::kApplicationSelected: {
      const auto& p = e.application_selected();
      return ApplicationMessage(s, e, type, p.application(), p.programme(), p.organisation_name(), p.contact_person(),
                                {{"rank", absl::StrCat(p.rank())}, {"score", Score(p.score())}}, now, o);
    }
    case ev::DomainEvent::kApplicationWaitlisted: {
      const auto& p = e.application_waitlisted();
      return ApplicationMessage(s, e, type, p.application(), p.programme(), p.organisation_name(), p.contact_person(),
                                {{"waitlist_position", absl::StrCat(p.waitlist_position())}, {"score", Score(p.score())}},
                                now, o);
    }
    case ev::DomainEvent::kApplicationRejected: {
      const auto& p = e.application_rejected();
      return ApplicationMessage(s, e, type, p.application(), p.programme(), p.organisation_name(), p.contact_person(),
                                {{"score", Score(p.score())}}, now, o);
    }
    case ev::DomainEvent::kOfferMade: {
      const auto& p = e.offer_made();
      const absl::Time deadline = ToTime(p.reply_deadline_time());
      const std::string zone = p.time_zone().empty() ? "Europe/Moscow" : p.time_zone();
      const Language lang = LanguageOf(p.contact_person());
      const std::string rzone = p.contact_person().time_zone().empty() ? zone : p.contact_person().time_zone();
      return ApplicationMessage(s, e, type, p.application(), p.programme(), p.organisation_name(), p.contact_person(),
                                {{"offer", p.offer()},
                                 {"reply_deadline", FormatForRecipient(deadline, zone, rzone, lang)},
                                 {"reply_deadline_local", FormatLocal(deadline, rzone, lang)},
                                 {"reply_deadline_event_zone", FormatLocal(deadline, zone, lang)},
                                 {"from_waitlist", p.from_waitlist() ? "true" : ""}},
                                now, o);
    }
    case ev::DomainEvent::kOfferExpired: {
      const auto& p = e.offer_expired();
      return ApplicationMessage(s, e, type, p.application(), p.programme(), p.organisation_name(), p.contact_person(),
                                {{"offer", p.offer()}}, now, o);
    }
    case ev::DomainEvent::kProgrammeStageChanged: {
      const auto& p = e.programme_stage_changed();
      return store::SaveProgrammeTitle(s, p.programme(), p.programme_title());
    }
    case ev::DomainEvent::kParticipantConfirmed: {
      const auto& p = e.participant_confirmed();
      return ApplicationMessage(s, e, type, p.application(), p.programme(), p.organisation_name(), p.contact_person(),
                                {{"participant", p.participant()}, {"region", p.region()}}, now, o);
    }
    default:
      return absl::OkStatus();  // nobody is told about it
  }
}

}  // namespace

outbox::EventHandler PlanningHandler(const Clock& clock, PlannerOptions options) {
  return [&clock, options](soci::session& s, const outbox::StreamEvent& entry) -> absl::Status {
    absl::StatusOr<ev::DomainEvent> event = outbox::ToDomainEvent(entry);
    if (!event.ok()) return event.status();
    return PlanDeliveries(s, *event, clock.Now(), options);
  };
}

}  // namespace etnik::notifications
