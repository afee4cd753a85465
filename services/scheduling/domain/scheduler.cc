// Venues, events, read models and the helpers the other use cases share.

#include "services/scheduling/domain/scheduler.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/domain/page_token.h"
#include "services/scheduling/domain/scheduler_internal.h"

namespace etnik::scheduling {
namespace internal {

std::string RequestKey(absl::string_view method, const Actor& actor, absl::string_view request_id) {
  return absl::StrCat(method, ":", actor.anonymous ? "-" : actor.subject, ":", request_id);
}

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.size() > 128) {
    return InvalidArgumentError("invalid request id", {{"request_id", "at most 128 characters"}});
  }
  return absl::OkStatus();
}

absl::Status ValidateChosenId(absl::string_view id, absl::string_view field) {
  if (id.empty() || IsValidResourceId(id)) return absl::OkStatus();
  return InvalidArgumentError("invalid resource id",
                              {{std::string(field), "must match [a-z][a-z0-9-]{0,62}"}});
}

absl::Status CheckEtag(absl::string_view name, absl::string_view etag, int64_t version) {
  if (etag.empty() || etag == EtagOf(version)) return absl::OkStatus();
  return EtagMismatch(name, etag, EtagOf(version));
}

}  // namespace internal

using internal::CheckEtag;
using internal::RequestKey;

namespace {

absl::Status FillSessionCount(SchedulingTx& tx, Event& event) {
  absl::StatusOr<int64_t> live = tx.CountSessionsOfEvent(event.id, true);
  if (!live.ok()) return live.status();
  event.session_count = static_cast<int32_t>(*live);
  return absl::OkStatus();
}

}  // namespace

Scheduler::Scheduler(SchedulingStore& store, const Clock& clock, SchedulerOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

int Scheduler::PageSize(int requested) const {
  if (requested <= 0) return options_.default_page_size;
  return std::min(requested, options_.max_page_size);
}

// ---- Venues ----

absl::StatusOr<Venue> Scheduler::CreateVenue(const Actor& actor, Venue venue, std::string venue_id,
                                             std::string request_id) {
  if (!actor.staff()) return Denied(actor, "create venues");
  if (absl::Status s = internal::ValidateRequestId(request_id); !s.ok()) return s;
  if (absl::Status s = internal::ValidateChosenId(venue_id, "venue_id"); !s.ok()) return s;
  if (absl::Status s = ValidateVenue(venue, "venue"); !s.ok()) return s;
  venue.id = venue_id.empty() ? NewId() : venue_id;
  venue.create_time = venue.update_time = clock_.Now();
  venue.version = 1;
  Venue result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    const std::string key = RequestKey("CreateVenue", actor, request_id);
    if (!request_id.empty()) {
      absl::StatusOr<std::optional<std::string>> done = tx.FindRequest(key);
      if (!done.ok()) return done.status();
      if (done->has_value()) {
        absl::StatusOr<std::optional<Venue>> v = tx.GetVenue(absl::StripPrefix(**done, "venues/"));
        if (!v.ok()) return v.status();
        if (!v->has_value()) return NotFound("venue", **done);
        result = **v;
        return absl::OkStatus();
      }
    }
    absl::StatusOr<std::optional<Venue>> existing = tx.GetVenue(venue.id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return ErrorWithInfo(absl::StatusCode::kAlreadyExists,
                           absl::StrCat(venue.name(), " already exists"), kReasonAlreadyExists,
                           {{"resource", venue.name()}});
    }
    if (absl::Status s = tx.InsertVenue(venue); !s.ok()) return s;
    if (!request_id.empty()) {
      if (absl::Status s = tx.RecordRequest(key, venue.name()); !s.ok()) return s;
    }
    result = venue;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Venue> Scheduler::GetVenue(absl::string_view venue_id) {
  std::optional<Venue> venue;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Venue>> v = tx.GetVenue(venue_id);
    if (!v.ok()) return v.status();
    venue = *std::move(v);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!venue.has_value()) return NotFound("venue", absl::StrCat("venues/", venue_id));
  return *std::move(venue);
}

absl::StatusOr<Page<Venue>> Scheduler::ListVenues(int page_size, absl::string_view page_token) {
  const int limit = PageSize(page_size);
  std::string after;
  if (!page_token.empty()) {
    absl::StatusOr<std::vector<std::string>> pos = DecodePageToken(page_token, "venues", 1);
    if (!pos.ok()) return pos.status();
    after = (*pos)[0];
  }
  Page<Venue> page;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<Venue>> rows = tx.ListVenues(after, limit + 1);
    if (!rows.ok()) return rows.status();
    page.items = *std::move(rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next_page_token = EncodePageToken("venues", {page.items.back().id});
  }
  return page;
}

absl::StatusOr<Venue> Scheduler::UpdateVenue(const Actor& actor, const Venue& venue,
                                             const std::set<std::string>& fields,
                                             absl::string_view etag) {
  if (!actor.staff()) return Denied(actor, "change venues");
  static const std::set<std::string> kWritable = {"title", "address", "city", "time_zone", "rooms"};
  for (const std::string& f : fields) {
    if (!kWritable.count(f)) {
      return InvalidArgumentError("invalid update mask",
                                  {{"update_mask", absl::StrCat("cannot change '", f, "'")}});
    }
  }
  auto wants = [&](const char* f) { return fields.empty() || fields.count(f) > 0; };
  Venue result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Venue>> cur = tx.GetVenue(venue.id);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("venue", venue.name());
    Venue next = **cur;
    if (absl::Status s = CheckEtag(next.name(), etag, next.version); !s.ok()) return s;
    if (wants("title")) next.title = venue.title;
    if (wants("address")) next.address = venue.address;
    if (wants("city")) next.city = venue.city;
    if (wants("time_zone")) next.time_zone = venue.time_zone;
    if (wants("rooms")) next.rooms = venue.rooms;
    if (absl::Status s = ValidateVenue(next, "venue"); !s.ok()) return s;
    // Rooms that hold reservations cannot disappear from under their sessions.
    for (const Room& room : (*cur)->rooms) {
      if (next.FindRoom(room.room_id) != nullptr) continue;
      const std::string room_name = RoomRef{next.id, room.room_id}.name();
      absl::StatusOr<std::vector<BusyRange>> busy =
          tx.ListBusy(room_name, {absl::InfinitePast(), absl::InfiniteFuture()});
      if (!busy.ok()) return busy.status();
      if (!busy->empty()) {
        return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                             absl::StrCat(room_name, " has sessions; move them first"),
                             kReasonRoomDoubleBooked,
                             {{"resource", room_name}, {"conflictingSession", busy->front().holder}});
      }
    }
    next.version++;
    next.update_time = clock_.Now();
    if (absl::Status s = tx.UpdateVenue(next); !s.ok()) return s;
    result = next;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

// ---- Events ----

absl::StatusOr<Event> Scheduler::CreateEvent(const Actor& actor, Event event, std::string event_id,
                                             std::string request_id) {
  if (event.hub.empty() ? !actor.staff() : !actor.CanManageHub(event.hub)) {
    return Denied(actor, event.hub.empty() ? "create organiser-run events"
                                           : absl::StrCat("create events of ", event.hub));
  }
  if (absl::Status s = internal::ValidateRequestId(request_id); !s.ok()) return s;
  if (absl::Status s = internal::ValidateChosenId(event_id, "event_id"); !s.ok()) return s;
  if (absl::Status s = ValidateEvent(event, "event"); !s.ok()) return s;
  event.id = event_id.empty() ? NewId() : event_id;
  event.create_time = event.update_time = clock_.Now();
  event.version = 1;
  event.session_count = 0;
  Event result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    const std::string key = RequestKey("CreateEvent", actor, request_id);
    if (!request_id.empty()) {
      absl::StatusOr<std::optional<std::string>> done = tx.FindRequest(key);
      if (!done.ok()) return done.status();
      if (done->has_value()) {
        absl::StatusOr<std::optional<Event>> e = tx.GetEvent(absl::StripPrefix(**done, "events/"));
        if (!e.ok()) return e.status();
        if (!e->has_value()) return NotFound("event", **done);
        result = **e;
        return absl::OkStatus();
      }
    }
    absl::StatusOr<std::optional<StageWindow>> stage = tx.GetStage(event.stage);
    if (!stage.ok()) return stage.status();
    if (!stage->has_value() || (*stage)->removed) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                           absl::StrCat("stage ", event.stage, " is not known (yet)"),
                           kReasonStageUnknown, {{"stage", event.stage}});
    }
    if (!event.venue.empty()) {
      absl::StatusOr<std::optional<Venue>> venue =
          tx.GetVenue(absl::StripPrefix(event.venue, "venues/"));
      if (!venue.ok()) return venue.status();
      if (!venue->has_value()) {
        return InvalidArgumentError("invalid event", {{"event.venue", "no such venue"}});
      }
      for (size_t i = 0; i < event.tracks.size(); ++i) {
        const Track& t = event.tracks[i];
        std::optional<RoomRef> room = ParseRoomName(t.room);
        if (!t.room.empty() && (!room.has_value() || room->venue_id != (*venue)->id ||
                                (*venue)->FindRoom(room->room_id) == nullptr)) {
          return InvalidArgumentError(
              "invalid event", {{absl::StrCat("event.tracks[", i, "].room"), "no such room in the venue"}});
        }
      }
    }
    absl::StatusOr<std::optional<Event>> existing = tx.GetEvent(event.id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return ErrorWithInfo(absl::StatusCode::kAlreadyExists,
                           absl::StrCat(event.name(), " already exists"), kReasonAlreadyExists,
                           {{"resource", event.name()}});
    }
    if (absl::Status s = tx.InsertEvent(event); !s.ok()) return s;
    if (!request_id.empty()) {
      if (absl::Status s = tx.RecordRequest(key, event.name()); !s.ok()) return s;
    }
    result = event;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Event> Scheduler::GetEvent(absl::string_view event_id) {
  std::optional<Event> event;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Event>> e = tx.GetEvent(event_id);
    if (!e.ok()) return e.status();
    event = *std::move(e);
    if (event.has_value()) return FillSessionCount(tx, *event);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!event.has_value()) return NotFound("event", absl::StrCat("events/", event_id));
  return *std::move(event);
}

absl::StatusOr<Page<Event>> Scheduler::ListEvents(EventQuery query, int page_size,
                                                  absl::string_view page_token) {
  const int limit = PageSize(page_size);
  const std::string filters = absl::StrJoin(
      {query.programme, query.hub, query.stage, absl::StrCat(static_cast<int>(query.kind))}, "|");
  query.after_id.clear();
  if (!page_token.empty()) {
    absl::StatusOr<std::vector<std::string>> pos = DecodePageToken(page_token, filters, 1);
    if (!pos.ok()) return pos.status();
    query.after_id = (*pos)[0];
  }
  query.limit = limit + 1;
  Page<Event> page;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<Event>> rows = tx.ListEvents(query);
    if (!rows.ok()) return rows.status();
    page.items = *std::move(rows);
    for (Event& e : page.items) {
      if (absl::Status s = FillSessionCount(tx, e); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next_page_token = EncodePageToken(filters, {page.items.back().id});
  }
  return page;
}

absl::StatusOr<Event> Scheduler::UpdateEvent(const Actor& actor, const Event& event,
                                             const std::set<std::string>& fields,
                                             absl::string_view etag) {
  static const std::set<std::string> kWritable = {
      "stage", "title", "description", "venue", "time_zone", "open_registration", "tracks",
      "default_capacity"};
  for (const std::string& f : fields) {
    if (!kWritable.count(f)) {
      return InvalidArgumentError("invalid update mask",
                                  {{"update_mask", absl::StrCat("cannot change '", f, "'")}});
    }
  }
  auto wants = [&](const char* f) { return fields.empty() || fields.count(f) > 0; };
  Event result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Event>> cur = tx.GetEvent(event.id);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("event", event.name());
    Event next = **cur;
    if (next.hub.empty() ? !actor.staff() : !actor.CanManageHub(next.hub)) {
      return Denied(actor, absl::StrCat("change ", next.name()));
    }
    if (absl::Status s = CheckEtag(next.name(), etag, next.version); !s.ok()) return s;
    absl::StatusOr<int64_t> sessions = tx.CountSessionsOfEvent(next.id, false);
    if (!sessions.ok()) return sessions.status();
    // Sessions were checked against the stage and venue they have now.
    if (*sessions > 0 && ((wants("stage") && event.stage != next.stage) ||
                          (wants("venue") && event.venue != next.venue))) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                           "the stage and venue of an event with sessions cannot change",
                           kReasonEventHasSessions, {{"resource", next.name()}});
    }
    if (wants("stage")) next.stage = event.stage;
    if (wants("title")) next.title = event.title;
    if (wants("description")) next.description = event.description;
    if (wants("venue")) next.venue = event.venue;
    if (wants("time_zone")) next.time_zone = event.time_zone;
    if (wants("open_registration")) next.open_registration = event.open_registration;
    if (wants("tracks")) next.tracks = event.tracks;
    if (wants("default_capacity")) next.default_capacity = event.default_capacity;
    if (absl::Status s = ValidateEvent(next, "event"); !s.ok()) return s;
    if (next.stage != (*cur)->stage) {
      absl::StatusOr<std::optional<StageWindow>> stage = tx.GetStage(next.stage);
      if (!stage.ok()) return stage.status();
      if (!stage->has_value()) {
        return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                             absl::StrCat("stage ", next.stage, " is not known (yet)"),
                             kReasonStageUnknown, {{"stage", next.stage}});
      }
    }
    next.version++;
    next.update_time = clock_.Now();
    if (absl::Status s = tx.UpdateEvent(next); !s.ok()) return s;
    result = next;
    return FillSessionCount(tx, result);
  });
  if (!status.ok()) return status;
  return result;
}

absl::Status Scheduler::DeleteEvent(const Actor& actor, absl::string_view event_id,
                                    absl::string_view etag) {
  return store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Event>> cur = tx.GetEvent(event_id);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("event", absl::StrCat("events/", event_id));
    const Event& e = **cur;
    if (e.hub.empty() ? !actor.staff() : !actor.CanManageHub(e.hub)) {
      return Denied(actor, absl::StrCat("delete ", e.name()));
    }
    if (absl::Status s = CheckEtag(e.name(), etag, e.version); !s.ok()) return s;
    absl::StatusOr<int64_t> sessions = tx.CountSessionsOfEvent(e.id, false);
    if (!sessions.ok()) return sessions.status();
    if (*sessions > 0) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                           absl::StrCat(e.name(), " has sessions; cancel them instead"),
                           kReasonEventHasSessions, {{"resource", e.name()}});
    }
    return tx.DeleteEvent(e.id);
  });
}

// ---- Read models ----

absl::Status ValidateStage(const StageWindow& stage) {
  if (!IsStageName(stage.stage) || ProgrammeOf(stage.stage) != stage.programme ||
      !(stage.window.start < stage.window.end)) {
    return InvalidArgumentError("invalid stage", {{"stage", "needs a stage name of its programme and a window"}});
  }
  return absl::OkStatus();
}

absl::Status ValidateHub(const HubInfo& hub) {
  if (!IsHubName(hub.hub)) return InvalidArgumentError("invalid hub", {{"hub", "must be hubs/{hub}"}});
  return absl::OkStatus();
}

absl::Status Scheduler::ApplyStage(const StageWindow& stage) {
  if (absl::Status s = ValidateStage(stage); !s.ok()) return s;
  return store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) { return tx.PutStage(stage); });
}

absl::Status Scheduler::ApplyExpert(const ExpertProfile& expert) {
  if (!IsExpertName(expert.expert)) {
    return InvalidArgumentError("invalid expert", {{"expert", "must be experts/{expert}"}});
  }
  if (absl::Status s = ValidateExpertProfile(expert); !s.ok()) return s;
  return store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) { return tx.PutExpert(expert); });
}

absl::Status Scheduler::ApplyHub(const HubInfo& hub) {
  if (absl::Status s = ValidateHub(hub); !s.ok()) return s;
  return store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) { return tx.PutHub(hub); });
}

// ---- Shared ----

absl::StatusOr<SessionContext> Scheduler::LoadContext(SchedulingTx& tx, const Session& session,
                                                      const Event* event) {
  SessionContext context;
  if (event != nullptr) {
    context.event = *event;
  } else {
    absl::StatusOr<std::optional<Event>> e = tx.GetEvent(session.event_id);
    if (!e.ok()) return e.status();
    if (!e->has_value()) return NotFound("event", absl::StrCat("events/", session.event_id));
    context.event = **e;
  }
  if (!session.hub.empty()) {
    absl::StatusOr<std::optional<HubInfo>> hub = tx.GetHub(session.hub);
    if (!hub.ok()) return hub.status();
    context.hub = *std::move(hub);
  }
  for (const std::string& host : session.hosts) {
    absl::StatusOr<std::optional<ExpertProfile>> expert = tx.GetExpert(host);
    if (!expert.ok()) return expert.status();
    if (expert->has_value()) context.hosts.push_back(**expert);
  }
  if (std::optional<RoomRef> ref = ParseRoomName(session.room); ref.has_value()) {
    absl::StatusOr<std::optional<Venue>> venue = tx.GetVenue(ref->venue_id);
    if (!venue.ok()) return venue.status();
    if (venue->has_value()) {
      const Venue& v = **venue;
      const Room* room = v.FindRoom(ref->room_id);
      std::vector<std::string> parts = {v.title.ru};
      if (room != nullptr && !room->title.ru.empty()) parts.push_back(room->title.ru);
      if (!v.address.empty()) parts.push_back(v.address);
      if (!v.city.empty()) parts.push_back(v.city);
      context.location = absl::StrJoin(parts, ", ");
    }
  }
  return context;
}

Fact Scheduler::NewFact(FactType type, const Actor& actor, const Session& session,
                        SessionContext context) {
  Fact fact;
  fact.type = type;
  fact.event_id = NewId();
  fact.aggregate = session.name();
  fact.aggregate_version = session.version;
  fact.occur_time = clock_.Now();
  fact.actor = actor.subject;
  fact.request_id = actor.request_id;
  fact.session = session;
  fact.context = std::move(context);
  return fact;
}

}  // namespace etnik::scheduling
