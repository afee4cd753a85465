// Booking, moving, cancelling and listing sessions; slot suggestions.

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/domain/page_token.h"
#include "services/scheduling/domain/scheduler.h"
#include "services/scheduling/domain/scheduler_internal.h"
#include "services/scheduling/domain/slots.h"

namespace etnik::scheduling {

using internal::CheckEtag;
using internal::RequestKey;

namespace {

absl::Status NotScheduled(const Session& s) {
  return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat(s.name(), " is ",
                                    s.state == SessionState::kCancelled ? "cancelled" : "held"),
                       kReasonSessionNotScheduled, {{"resource", s.name()}});
}

// Replays of an idempotent write: the resource the first call produced, as it is now.
absl::StatusOr<std::optional<Session>> Replay(SchedulingTx& tx, const std::string& key) {
  absl::StatusOr<std::optional<std::string>> done = tx.FindRequest(key);
  if (!done.ok()) return done.status();
  if (!done->has_value()) return std::optional<Session>();
  std::optional<SessionRef> ref = ParseSessionName(**done);
  if (!ref.has_value()) return absl::InternalError("recorded request names no session");
  absl::StatusOr<std::optional<Session>> s = tx.GetSession(*ref);
  if (!s.ok()) return s.status();
  if (!s->has_value()) return NotFound("session", **done);
  return s;
}

std::string SessionFilters(const SessionQuery& q) {
  std::vector<std::string> states;
  for (SessionState s : q.states) states.push_back(absl::StrCat(static_cast<int>(s)));
  return absl::StrJoin(
      {q.event_id, q.programme, q.hub, q.host, q.room, absl::StrCat(static_cast<int>(q.kind)),
       absl::StrJoin(states, ","),
       q.ends_after ? absl::StrCat(absl::ToUnixMicros(*q.ends_after)) : std::string("-"),
       q.starts_before ? absl::StrCat(absl::ToUnixMicros(*q.starts_before)) : std::string("-"),
       q.participant, q.registered_by},
      "|");
}

}  // namespace

absl::Status Scheduler::PlaceSession(SchedulingTx& tx, const Event& event, Session& session,
                                     const Session* previous) {
  absl::StatusOr<std::optional<StageWindow>> stage = tx.GetStage(event.stage);
  if (!stage.ok()) return stage.status();
  if (!stage->has_value()) {
    return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                         absl::StrCat("stage ", event.stage, " is not known (yet)"),
                         kReasonStageUnknown, {{"stage", event.stage}});
  }
  if (absl::Status s = CheckStageWindow(session.interval(), **stage); !s.ok()) return s;
  for (const std::string& host : session.hosts) {
    absl::StatusOr<std::optional<ExpertProfile>> expert = tx.GetExpert(host);
    if (!expert.ok()) return expert.status();
    if (!expert->has_value()) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                           absl::StrCat(host, " is not a known expert (yet)"), kReasonExpertUnknown,
                           {{"expert", host}});
    }
    if (absl::Status s = CheckAvailable(**expert, session.interval()); !s.ok()) return s;
    const int32_t limit = WeeklyLimitOf(**expert, options_.policy);
    if (limit > 0) {
      const Interval week = LimitWeek(**expert, session.start);
      absl::StatusOr<int64_t> hosted =
          tx.CountHostedSessions(host, week, previous != nullptr ? previous->name() : "");
      if (!hosted.ok()) return hosted.status();
      if (*hosted >= limit) return WeeklyLimitError(host, limit, week);
    }
  }
  if (previous != nullptr) {
    if (absl::Status s = tx.ReleaseAll(session.name()); !s.ok()) return s;
  }
  for (const Claim& claim : ClaimsFor(session, options_.policy)) {
    absl::Status reserved = tx.Reserve(claim.resource, claim.range, session.name());
    if (reserved.ok()) continue;
    std::optional<ErrorInfo> info = GetErrorInfo(reserved);
    if (!info.has_value() || info->reason != kReasonResourceConflict) return reserved;
    const std::string holder = info->metadata["holder"];
    std::optional<Session> holder_session;
    if (std::optional<SessionRef> ref = ParseSessionName(holder); ref.has_value()) {
      absl::StatusOr<std::optional<Session>> s = tx.GetSession(*ref);
      if (!s.ok()) return s.status();
      holder_session = *std::move(s);
    }
    Interval held_range{absl::InfinitePast(), absl::InfinitePast()};
    absl::Time t;
    std::string err;
    if (absl::ParseTime(absl::RFC3339_full, info->metadata["holderStartTime"], &t, &err)) {
      held_range.start = t;
    }
    if (absl::ParseTime(absl::RFC3339_full, info->metadata["holderEndTime"], &t, &err)) {
      held_range.end = t;
    }
    return ConflictError(claim.resource, holder,
                         holder_session.has_value() ? &*holder_session : nullptr, held_range);
  }
  return absl::OkStatus();
}

absl::StatusOr<Session> Scheduler::BookSession(const Actor& actor, BookSessionCommand command) {
  if (absl::Status s = internal::ValidateRequestId(command.request_id); !s.ok()) return s;
  if (absl::Status s = internal::ValidateChosenId(command.session_id, "session_id"); !s.ok()) return s;
  if (actor.anonymous) return Denied(actor, "book sessions");
  const std::string session_id = command.session_id.empty() ? NewId() : command.session_id;
  Session result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    const std::string key = RequestKey("BookSession", actor, command.request_id);
    if (!command.request_id.empty()) {
      absl::StatusOr<std::optional<Session>> replay = Replay(tx, key);
      if (!replay.ok()) return replay.status();
      if (replay->has_value()) {
        result = **replay;
        return absl::OkStatus();
      }
    }
    absl::StatusOr<std::optional<Event>> event = tx.GetEvent(command.event_id);
    if (!event.ok()) return event.status();
    if (!event->has_value()) return NotFound("event", absl::StrCat("events/", command.event_id));
    const Event& e = **event;
    Session s = command.session;
    s.event_id = e.id;
    s.id = session_id;
    if (s.hub.empty()) s.hub = e.hub;
    if (s.hub.empty() ? !actor.staff() : !actor.CanManageHub(s.hub)) {
      return Denied(actor, s.hub.empty() ? absl::StrCat("book sessions of ", e.name())
                                         : absl::StrCat("book sessions of ", s.hub));
    }
    if (!s.track.empty() && s.room.empty() && s.online_room.empty()) {
      if (const Track* track = e.FindTrack(s.track); track != nullptr) s.room = track->room;
    }
    std::optional<Venue> venue;
    const Room* room = nullptr;
    if (std::optional<RoomRef> ref = ParseRoomName(s.room); ref.has_value()) {
      absl::StatusOr<std::optional<Venue>> v = tx.GetVenue(ref->venue_id);
      if (!v.ok()) return v.status();
      venue = *std::move(v);
      if (venue.has_value()) room = venue->FindRoom(ref->room_id);
    }
    if (absl::Status v = ValidateSessionFields(s, e, venue.has_value() ? &*venue : nullptr, "session");
        !v.ok()) {
      return v;
    }
    absl::StatusOr<std::optional<Session>> existing = tx.GetSession({s.event_id, s.id});
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return ErrorWithInfo(absl::StatusCode::kAlreadyExists,
                           absl::StrCat(s.name(), " already exists"), kReasonAlreadyExists,
                           {{"resource", s.name()}});
    }
    const absl::Time now = clock_.Now();
    s.state = SessionState::kScheduled;
    s.cancel_reason.clear();
    s.event_kind = e.kind;
    s.programme = e.programme;
    s.stage = e.stage;
    s.sequence = 0;
    s.registered_count = s.waitlisted_count = s.checked_in_count = 0;
    s.attendee_seq = 0;
    s.booked_by = actor.subject;
    s.create_time = s.update_time = now;
    s.version = 1;
    s.capacity = EffectiveCapacity(s, e, room);
    if (absl::Status p = PlaceSession(tx, e, s, nullptr); !p.ok()) return p;
    if (absl::Status w = tx.InsertSession(s); !w.ok()) return w;
    absl::StatusOr<SessionContext> context = LoadContext(tx, s, &e);
    if (!context.ok()) return context.status();
    Fact fact = NewFact(FactType::kSessionBooked, actor, s, *std::move(context));
    if (absl::Status p = tx.Publish(fact); !p.ok()) return p;
    if (!command.request_id.empty()) {
      if (absl::Status r = tx.RecordRequest(key, s.name()); !r.ok()) return r;
    }
    result = std::move(s);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Session> Scheduler::GetSession(const SessionRef& ref) {
  std::optional<Session> session;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Session>> s = tx.GetSession(ref);
    if (!s.ok()) return s.status();
    session = *std::move(s);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!session.has_value()) return NotFound("session", ref.name());
  return *std::move(session);
}

absl::StatusOr<Page<Session>> Scheduler::ListSessions(const ListSessionsCommand& command) {
  const int limit = PageSize(command.page_size);
  SessionQuery query = command.query;
  const std::string filters = SessionFilters(query);
  query.after.reset();
  if (!command.page_token.empty()) {
    absl::StatusOr<std::vector<std::string>> pos = DecodePageToken(command.page_token, filters, 2);
    if (!pos.ok()) return pos.status();
    int64_t micros = 0;
    if (!absl::SimpleAtoi((*pos)[0], &micros)) {
      return InvalidArgumentError("invalid page token", {{"page_token", "malformed"}});
    }
    query.after = SessionCursor{absl::FromUnixMicros(micros), (*pos)[1]};
  }
  query.limit = limit + 1;
  Page<Session> page;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<Session>> rows = tx.ListSessions(query);
    if (!rows.ok()) return rows.status();
    page.items = *std::move(rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    const Session& last = page.items.back();
    page.next_page_token =
        EncodePageToken(filters, {absl::StrCat(absl::ToUnixMicros(last.start)), last.name()});
  }
  return page;
}

absl::StatusOr<Session> Scheduler::UpdateSession(const Actor& actor,
                                                 const UpdateSessionCommand& command) {
  for (const std::string& f : command.fields) {
    if (std::find(std::begin(kSessionUpdatableFields), std::end(kSessionUpdatableFields), f) ==
        std::end(kSessionUpdatableFields)) {
      return InvalidArgumentError(
          "invalid update mask",
          {{"update_mask", absl::StrCat("cannot change '", f, "'; use RescheduleSession for time and place")}});
    }
  }
  auto wants = [&](const char* f) { return command.fields.empty() || command.fields.count(f) > 0; };
  Session result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Session>> cur = tx.GetSession(command.ref);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("session", command.ref.name());
    Session next = **cur;
    if (!actor.CanManageHub(next.hub)) return Denied(actor, absl::StrCat("change ", next.name()));
    if (absl::Status s = CheckEtag(next.name(), command.etag, next.version); !s.ok()) return s;
    if (next.state == SessionState::kCancelled) return NotScheduled(next);
    absl::StatusOr<std::optional<Event>> event = tx.GetEvent(next.event_id);
    if (!event.ok()) return event.status();
    if (!event->has_value()) return NotFound("event", absl::StrCat("events/", next.event_id));
    std::optional<Venue> venue;
    const Room* room = nullptr;
    if (std::optional<RoomRef> ref = ParseRoomName(next.room); ref.has_value()) {
      absl::StatusOr<std::optional<Venue>> v = tx.GetVenue(ref->venue_id);
      if (!v.ok()) return v.status();
      venue = *std::move(v);
      if (venue.has_value()) room = venue->FindRoom(ref->room_id);
    }
    bool place_changed = false;
    if (wants("title")) next.title = command.values.title;
    if (wants("description")) next.description = command.values.description;
    if (wants("track")) next.track = command.values.track;
    if (wants("online_room")) {
      if (!next.room.empty() && !command.values.online_room.empty()) {
        return InvalidArgumentError("invalid session",
                                    {{"session.online_room", "the session is held in a room; reschedule it to change the place"}});
      }
      if (next.room.empty()) {
        place_changed = next.online_room.join_uri != command.values.online_room.join_uri;
        next.online_room = command.values.online_room;
      }
    }
    if (wants("capacity")) {
      next.capacity = command.values.capacity;
      if (absl::Status v = ValidateSessionFields(next, **event, venue ? &*venue : nullptr, "session");
          !v.ok()) {
        return v;
      }
      next.capacity = EffectiveCapacity(next, **event, room);
      if (next.capacity > 0 && next.capacity < next.registered_count) {
        return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                             absl::StrCat(next.name(), " already seats ", next.registered_count),
                             kReasonCapacityBelowRegistered,
                             {{"resource", next.name()},
                              {"registered", absl::StrCat(next.registered_count)}});
      }
    } else if (absl::Status v = ValidateSessionFields(next, **event, venue ? &*venue : nullptr, "session");
               !v.ok()) {
      return v;
    }
    next.version++;
    if (place_changed) next.sequence++;
    next.update_time = clock_.Now();
    if (absl::Status w = tx.UpdateSession(next); !w.ok()) return w;
    // More seats (or none limited): the waiting list moves up now.
    absl::StatusOr<SessionContext> context = LoadContext(tx, next, &**event);
    if (!context.ok()) return context.status();
    if (absl::Status p = PromoteWaiting(tx, actor, next, *context); !p.ok()) return p;
    result = next;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Session> Scheduler::RescheduleSession(const Actor& actor,
                                                     const RescheduleCommand& command) {
  if (absl::Status s = internal::ValidateRequestId(command.request_id); !s.ok()) return s;
  Session result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    const std::string key = RequestKey("RescheduleSession", actor, command.request_id);
    if (!command.request_id.empty()) {
      absl::StatusOr<std::optional<Session>> replay = Replay(tx, key);
      if (!replay.ok()) return replay.status();
      if (replay->has_value()) {
        result = **replay;
        return absl::OkStatus();
      }
    }
    absl::StatusOr<std::optional<Session>> cur = tx.GetSession(command.ref);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("session", command.ref.name());
    const Session& before = **cur;
    if (!actor.CanManageHub(before.hub)) return Denied(actor, absl::StrCat("move ", before.name()));
    if (absl::Status s = CheckEtag(before.name(), command.etag, before.version); !s.ok()) return s;
    if (before.state != SessionState::kScheduled) return NotScheduled(before);
    absl::StatusOr<std::optional<Event>> event = tx.GetEvent(before.event_id);
    if (!event.ok()) return event.status();
    if (!event->has_value()) return NotFound("event", absl::StrCat("events/", before.event_id));
    Session next = before;
    next.start = command.start;
    next.end = command.end;
    if (!command.time_zone.empty()) next.time_zone = command.time_zone;
    if (!command.room.empty()) {
      next.room = command.room;
      next.online_room = {};
    }
    std::optional<Venue> venue;
    if (std::optional<RoomRef> ref = ParseRoomName(next.room); ref.has_value()) {
      absl::StatusOr<std::optional<Venue>> v = tx.GetVenue(ref->venue_id);
      if (!v.ok()) return v.status();
      venue = *std::move(v);
    }
    if (absl::Status v = ValidateSessionFields(next, **event, venue ? &*venue : nullptr, "");
        !v.ok()) {
      return v;
    }
    const bool moved = next.start != before.start || next.end != before.end || next.room != before.room;
    if (!moved && next.time_zone == before.time_zone) {
      result = before;
      return absl::OkStatus();
    }
    if (moved) {
      if (absl::Status p = PlaceSession(tx, **event, next, &before); !p.ok()) return p;
    }
    next.sequence++;
    next.version++;
    next.update_time = clock_.Now();
    if (absl::Status w = tx.UpdateSession(next); !w.ok()) return w;
    absl::StatusOr<SessionContext> context = LoadContext(tx, next, &**event);
    if (!context.ok()) return context.status();
    absl::StatusOr<SessionContext> old_context = LoadContext(tx, before, &**event);
    if (!old_context.ok()) return old_context.status();
    Fact fact = NewFact(FactType::kSessionRescheduled, actor, next, *std::move(context));
    fact.previous = before.interval();
    fact.previous_time_zone = before.time_zone;
    if (before.room != next.room) fact.previous_location = old_context->location;
    AttendeeQuery everyone;
    everyone.session = command.ref;
    everyone.states = {AttendeeState::kRegistered, AttendeeState::kWaitlisted};
    everyone.limit = 100000;
    absl::StatusOr<std::vector<Attendee>> attendees = tx.ListAttendees(everyone);
    if (!attendees.ok()) return attendees.status();
    fact.attendees = *std::move(attendees);
    if (absl::Status p = tx.Publish(fact); !p.ok()) return p;
    if (!command.request_id.empty()) {
      if (absl::Status r = tx.RecordRequest(key, next.name()); !r.ok()) return r;
    }
    result = next;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Session> Scheduler::CancelSession(const Actor& actor,
                                                 const CancelSessionCommand& command) {
  if (absl::Status s = internal::ValidateRequestId(command.request_id); !s.ok()) return s;
  Session result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Session>> cur = tx.GetSession(command.ref);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("session", command.ref.name());
    Session s = **cur;
    if (!actor.CanManageHub(s.hub)) return Denied(actor, absl::StrCat("cancel ", s.name()));
    // Cancelling twice is a no-op: a retry sees the cancellation it asked for.
    if (s.state == SessionState::kCancelled) {
      result = s;
      return absl::OkStatus();
    }
    if (absl::Status e = CheckEtag(s.name(), command.etag, s.version); !e.ok()) return e;
    if (s.state != SessionState::kScheduled) return NotScheduled(s);
    if (absl::Status r = tx.ReleaseAll(s.name()); !r.ok()) return r;
    s.state = SessionState::kCancelled;
    s.cancel_reason = command.reason;
    s.sequence++;
    s.version++;
    s.update_time = clock_.Now();
    if (absl::Status w = tx.UpdateSession(s); !w.ok()) return w;
    absl::StatusOr<SessionContext> context = LoadContext(tx, s, nullptr);
    if (!context.ok()) return context.status();
    Fact fact = NewFact(FactType::kSessionCancelled, actor, s, *std::move(context));
    fact.reason = command.reason;
    AttendeeQuery everyone;
    everyone.session = command.ref;
    everyone.states = {AttendeeState::kRegistered, AttendeeState::kWaitlisted};
    everyone.limit = 100000;
    absl::StatusOr<std::vector<Attendee>> attendees = tx.ListAttendees(everyone);
    if (!attendees.ok()) return attendees.status();
    fact.attendees = *std::move(attendees);
    if (absl::Status p = tx.Publish(fact); !p.ok()) return p;
    result = s;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Session> Scheduler::MarkSessionHeld(const Actor& actor,
                                                   const MarkHeldCommand& command) {
  if (absl::Status s = internal::ValidateRequestId(command.request_id); !s.ok()) return s;
  Session result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Session>> cur = tx.GetSession(command.ref);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("session", command.ref.name());
    Session s = **cur;
    if (!actor.CanManageHub(s.hub)) return Denied(actor, absl::StrCat("mark ", s.name(), " held"));
    if (s.state == SessionState::kHeld) {
      result = s;
      return absl::OkStatus();
    }
    if (absl::Status e = CheckEtag(s.name(), command.etag, s.version); !e.ok()) return e;
    if (s.state != SessionState::kScheduled) return NotScheduled(s);
    const absl::Time now = clock_.Now();
    if (now < s.end) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                           absl::StrCat(s.name(), " ends at ", Rfc3339Utc(s.end)),
                           kReasonSessionNotOver, {{"resource", s.name()}});
    }
    s.state = SessionState::kHeld;
    s.sequence++;
    s.version++;
    s.update_time = now;
    if (absl::Status w = tx.UpdateSession(s); !w.ok()) return w;
    result = s;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<std::vector<Interval>> Scheduler::SuggestSlots(const Actor& actor,
                                                              const SuggestSlotsCommand& command) {
  if (actor.anonymous) return Denied(actor, "ask for slot suggestions");
  std::vector<FieldViolation> v;
  for (size_t i = 0; i < command.hosts.size(); ++i) {
    if (!IsExpertName(command.hosts[i])) {
      v.push_back({absl::StrCat("hosts[", i, "]"), "must be experts/{expert}"});
    }
  }
  if (command.hosts.empty() && command.room.empty()) v.push_back({"hosts", "give hosts or a room"});
  if (!command.room.empty() && !ParseRoomName(command.room)) {
    v.push_back({"room", "must be venues/{venue}/rooms/{room_id}"});
  }
  if (command.duration <= absl::ZeroDuration() || command.duration > kMaxSessionLength) {
    v.push_back({"duration", "must be positive and at most 24 hours"});
  }
  if (!(command.range.start < command.range.end)) {
    v.push_back({"search_range", "end_time must be after start_time"});
  } else if (command.range.length() > absl::Hours(24 * 400)) {
    v.push_back({"search_range", "at most 400 days"});
  }
  absl::TimeZone zone;
  if (command.time_zone.empty() || !absl::LoadTimeZone(command.time_zone, &zone)) {
    v.push_back({"time_zone", "must be an IANA time zone"});
  }
  const absl::Duration granularity =
      command.granularity == absl::ZeroDuration() ? absl::Minutes(15) : command.granularity;
  if (granularity < absl::Minutes(1)) v.push_back({"granularity", "at least one minute"});
  if (!v.empty()) return InvalidArgumentError("invalid slot search", std::move(v));

  SlotSearch search;
  search.duration = command.duration;
  search.granularity = granularity;
  search.zone = zone;
  search.max_results = command.max_results <= 0 ? 10 : std::min(command.max_results, 100);
  search.expert_buffer = options_.policy.expert_buffer;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    search.hosts.clear();
    search.room_busy.clear();
    absl::StatusOr<std::optional<Event>> event = tx.GetEvent(command.event_id);
    if (!event.ok()) return event.status();
    if (!event->has_value()) return NotFound("event", absl::StrCat("events/", command.event_id));
    absl::StatusOr<std::optional<StageWindow>> stage = tx.GetStage((*event)->stage);
    if (!stage.ok()) return stage.status();
    if (!stage->has_value()) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                           absl::StrCat("stage ", (*event)->stage, " is not known (yet)"),
                           kReasonStageUnknown, {{"stage", (*event)->stage}});
    }
    search.range = {std::max(command.range.start, (*stage)->window.start),
                    std::min(command.range.end, (*stage)->window.end)};
    if (search.range.empty()) return absl::OkStatus();
    // Reservations that can touch a candidate: up to one buffer (and one session) around.
    const absl::Duration margin = options_.policy.expert_buffer + kMaxSessionLength;
    const Interval wide{search.range.start - margin, search.range.end + margin};
    for (const std::string& host : command.hosts) {
      absl::StatusOr<std::optional<ExpertProfile>> expert = tx.GetExpert(host);
      if (!expert.ok()) return expert.status();
      if (!expert->has_value()) {
        return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                             absl::StrCat(host, " is not a known expert (yet)"),
                             kReasonExpertUnknown, {{"expert", host}});
      }
      SlotHost h;
      h.profile = **expert;
      h.weekly_limit = WeeklyLimitOf(h.profile, options_.policy);
      absl::StatusOr<std::vector<BusyRange>> busy = tx.ListBusy(host, wide);
      if (!busy.ok()) return busy.status();
      for (const BusyRange& b : *busy) h.busy.push_back(b.range);
      if (h.weekly_limit > 0) {
        SessionQuery hosted;
        hosted.host = host;
        hosted.states = {SessionState::kScheduled, SessionState::kHeld};
        hosted.ends_after = search.range.start - absl::Hours(24 * 8);
        hosted.starts_before = search.range.end + absl::Hours(24 * 8);
        hosted.limit = 100000;
        absl::StatusOr<std::vector<Session>> sessions = tx.ListSessions(hosted);
        if (!sessions.ok()) return sessions.status();
        for (const Session& s : *sessions) h.hosted_starts.push_back(s.start);
      }
      search.hosts.push_back(std::move(h));
    }
    if (!command.room.empty()) {
      absl::StatusOr<std::vector<BusyRange>> busy = tx.ListBusy(command.room, wide);
      if (!busy.ok()) return busy.status();
      for (const BusyRange& b : *busy) search.room_busy.push_back(b.range);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (search.range.empty()) return std::vector<Interval>{};
  return scheduling::SuggestSlots(search);
}

absl::StatusOr<bool> Scheduler::MaySeeAccessCode(const Actor& actor, const Session& session) {
  if (actor.anonymous) return false;
  if (actor.CanManageHub(session.hub)) return true;
  bool allowed = false;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    allowed = false;
    for (const std::string& host : session.hosts) {
      absl::StatusOr<std::optional<ExpertProfile>> expert = tx.GetExpert(host);
      if (!expert.ok()) return expert.status();
      if (expert->has_value() && !(*expert)->subject.empty() && (*expert)->subject == actor.subject) {
        allowed = true;
        return absl::OkStatus();
      }
    }
    AttendeeQuery mine;
    mine.session = SessionRef{session.event_id, session.id};
    mine.subject = actor.subject;
    mine.states = {AttendeeState::kRegistered};
    mine.limit = 1;
    absl::StatusOr<std::vector<Attendee>> rows = tx.ListAttendees(mine);
    if (!rows.ok()) return rows.status();
    allowed = !rows->empty();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return allowed;
}

}  // namespace etnik::scheduling
