#include "services/scheduling/api/scheduling_api.h"

#include <exception>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/identity.h"
#include "common/ids/ids.h"
#include "common/server/request_id.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/scheduling/api/mapping.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/domain/icalendar.h"

namespace etnik::scheduling {

using api::SetTimestamp;
using api::ToProto;
using api::Violations;
namespace pb = etnik::scheduling::v1;

namespace {

// Runs a handler body and finishes the call with its status. Nothing thrown leaves a handler.
template <typename Body>
grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context, Body&& body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status;
  try {
    status = body();
  } catch (const std::exception& e) {
    status = absl::InternalError(absl::StrCat("unexpected error: ", e.what()));
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

absl::StatusOr<SessionRef> SessionName(const std::string& name, const char* field) {
  std::optional<SessionRef> ref = ParseSessionName(name);
  if (!ref.has_value()) {
    return InvalidArgumentError("invalid session name", {{field, "must be events/{event}/sessions/{session}"}});
  }
  return *ref;
}

absl::StatusOr<AttendeeRef> AttendeeName(const std::string& name) {
  std::optional<AttendeeRef> ref = ParseAttendeeName(name);
  if (!ref.has_value()) {
    return InvalidArgumentError("invalid attendee name",
                                {{"name", "must be events/{event}/sessions/{session}/attendees/{attendee}"}});
  }
  return *ref;
}

absl::StatusOr<std::string> EventId(absl::string_view name, const char* field) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "events/") || id.empty() || id.find('/') != absl::string_view::npos) {
    return InvalidArgumentError("invalid event name", {{field, "must be events/{event}"}});
  }
  return std::string(id);
}

absl::StatusOr<std::string> VenueId(absl::string_view name, const char* field) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "venues/") || id.empty() || id.find('/') != absl::string_view::npos) {
    return InvalidArgumentError("invalid venue name", {{field, "must be venues/{venue}"}});
  }
  return std::string(id);
}

// A stable cache key for a request: its deterministic serialization.
template <typename Message>
std::string RequestKey(const Message& m) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&out);
  }
  return absl::WebSafeBase64Escape(bytes);
}

// The bytes of a raw request, parsed as `Message`.
template <typename Message>
absl::Status ParseRaw(const grpc::ByteBuffer& buffer, Message* out, std::string* bytes) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return absl::InvalidArgumentError("unreadable request");
  bytes->clear();
  for (const grpc::Slice& slice : slices) {
    bytes->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  if (!out->ParseFromString(*bytes)) return absl::InvalidArgumentError("malformed request");
  return absl::OkStatus();
}

void SetRaw(const std::string& bytes, grpc::ByteBuffer* response) {
  grpc::Slice slice(bytes);
  grpc::ByteBuffer buffer(&slice, 1);
  response->Swap(&buffer);
}

// The cache scope of every listing and feed; a write invalidates it, dropping them all.
constexpr char kGeneration[] = "generation";

bool IsWriteConflict(const absl::Status& s) {
  std::optional<ErrorInfo> info = GetErrorInfo(s);
  return info.has_value() && s.code() == absl::StatusCode::kFailedPrecondition;
}

}  // namespace

SchedulingApi::SchedulingApi(Scheduler& scheduler, const auth::Authenticator& authenticator,
                             redis::Cache* cache, prometheus::Registry* registry,
                             SchedulingApiOptions options)
    : scheduler_(scheduler), authenticator_(authenticator), cache_(cache), options_(options) {
  if (cache_ != nullptr && options_.near_cache.enabled) {
    prometheus::Registry* metrics = registry != nullptr ? registry : &near_registry_;
    near_ = std::make_unique<redis::NearCache>(*cache_, options_.near_cache, *metrics);
  }
  if (registry != nullptr) {
    booked_ = &prometheus::BuildCounter()
                   .Name("etnik_sessions_booked_total")
                   .Help("Sessions booked.")
                   .Register(*registry)
                   .Add({});
    refused_ = &prometheus::BuildCounter()
                    .Name("etnik_bookings_refused_total")
                    .Help("Bookings and moves refused by a scheduling rule, by ErrorInfo reason.")
                    .Register(*registry);
  }
}

absl::StatusOr<Actor> SchedulingApi::ActorOf(Ctx* context) const {
  absl::StatusOr<auth::Identity> identity = authenticator_.Authenticate(*context);
  if (!identity.ok()) return identity.status();
  Actor actor;
  actor.anonymous = identity->anonymous;
  actor.subject = identity->subject;
  actor.name = identity->name;
  actor.email = identity->email;
  actor.organiser = auth::HasRole(*identity, auth::Role::kOrganiser);
  actor.service = auth::HasRole(*identity, auth::Role::kService);
  actor.hub_lead = auth::HasRole(*identity, auth::Role::kHubLead);
  actor.expert = auth::HasRole(*identity, auth::Role::kExpert);
  actor.participant = auth::HasRole(*identity, auth::Role::kParticipant);
  actor.manages_hub = [id = *identity](absl::string_view hub_id) {
    return auth::CanManageHub(id, hub_id);
  };
  actor.request_id = server::RequestIdOf(*context);
  return actor;
}

void SchedulingApi::InvalidateListings() {
  if (near_ != nullptr) {
    near_->Invalidate(kGeneration).IgnoreError();
  } else if (cache_ != nullptr) {
    cache_->Invalidate(kGeneration).IgnoreError();
  }
}

absl::StatusOr<std::string> SchedulingApi::Cached(const std::string& key, absl::Duration ttl,
                                                  const redis::Cache::Loader& loader) {
  if (cache_ == nullptr) return loader();
  // A near hit makes no Redis call; otherwise one round trip reads generation and listing.
  if (near_ != nullptr) {
    return near_->GetOrLoadScoped(kGeneration, options_.generation_ttl, key, ttl, loader);
  }
  return cache_->GetOrLoadScoped(kGeneration, options_.generation_ttl, key, ttl, loader);
}

void SchedulingApi::CountBookingResult(const absl::Status& status) {
  // Successes are bookings; refusals (of bookings and moves) are counted by reason.
  if (status.ok()) {
    if (booked_ != nullptr) booked_->Increment();
    return;
  }
  if (refused_ != nullptr && IsWriteConflict(status)) {
    refused_->Add({{"reason", GetErrorInfo(status)->reason}}).Increment();
  }
}

// ---- Venues ----

SchedulingApi::Reactor* SchedulingApi::CreateVenue(Ctx* ctx, In<pb::CreateVenueRequest> req,
                                                   pb::Venue* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<Venue> v =
        scheduler_.CreateVenue(*actor, api::VenueFrom(req->venue()), req->venue_id(), req->request_id());
    if (!v.ok()) return v.status();
    ToProto(*v, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::GetVenue(Ctx* ctx, In<pb::GetVenueRequest> req, pb::Venue* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<std::string> id = VenueId(req->name(), "name");
    if (!id.ok()) return id.status();
    absl::StatusOr<Venue> v = scheduler_.GetVenue(*id);
    if (!v.ok()) return v.status();
    ToProto(*v, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::ListVenues(Ctx* ctx, In<pb::ListVenuesRequest> req,
                                                  pb::ListVenuesResponse* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Page<Venue>> page = scheduler_.ListVenues(req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    for (const Venue& v : page->items) ToProto(v, resp->add_venues());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::UpdateVenue(Ctx* ctx, In<pb::UpdateVenueRequest> req,
                                                   pb::Venue* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<std::string> id = VenueId(req->venue().name(), "venue.name");
    if (!id.ok()) return id.status();
    Venue venue = api::VenueFrom(req->venue());
    venue.id = *id;
    absl::StatusOr<Venue> v = scheduler_.UpdateVenue(*actor, venue, api::MaskFields(req->update_mask()),
                                                     req->venue().etag());
    if (!v.ok()) return v.status();
    InvalidateListings();
    ToProto(*v, resp);
    return absl::OkStatus();
  });
}

// ---- Events ----

SchedulingApi::Reactor* SchedulingApi::CreateEvent(Ctx* ctx, In<pb::CreateEventRequest> req,
                                                   pb::Event* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    Violations v;
    Event event = api::EventFrom(req->event(), v);
    if (absl::Status s = api::ViolationsStatus(v); !s.ok()) return s;
    absl::StatusOr<Event> e = scheduler_.CreateEvent(*actor, event, req->event_id(), req->request_id());
    if (!e.ok()) return e.status();
    InvalidateListings();
    ToProto(*e, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::GetEvent(Ctx* ctx, In<pb::GetEventRequest> req, pb::Event* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<std::string> id = EventId(req->name(), "name");
    if (!id.ok()) return id.status();
    absl::StatusOr<Event> e = scheduler_.GetEvent(*id);
    if (!e.ok()) return e.status();
    ToProto(*e, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::ListEvents(Ctx* ctx, In<pb::ListEventsRequest> req,
                                                  pb::ListEventsResponse* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    Violations v;
    EventQuery q;
    q.programme = req->programme();
    q.hub = req->hub();
    q.stage = req->stage();
    q.kind = api::KindFrom(req->kind(), "kind", v);
    if (absl::Status s = api::ViolationsStatus(v); !s.ok()) return s;
    absl::StatusOr<std::string> bytes =
        Cached(absl::StrCat("events:", RequestKey(*req)), options_.listing_ttl,
               [&]() -> absl::StatusOr<std::string> {
                 absl::StatusOr<Page<Event>> page =
                     scheduler_.ListEvents(q, req->page_size(), req->page_token());
                 if (!page.ok()) return page.status();
                 pb::ListEventsResponse out;
                 for (const Event& e : page->items) ToProto(e, out.add_events());
                 out.set_next_page_token(page->next_page_token);
                 return out.SerializeAsString();
               });
    if (!bytes.ok()) return bytes.status();
    if (!resp->ParseFromString(*bytes)) return absl::InternalError("corrupt cached listing");
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::UpdateEvent(Ctx* ctx, In<pb::UpdateEventRequest> req,
                                                   pb::Event* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<std::string> id = EventId(req->event().name(), "event.name");
    if (!id.ok()) return id.status();
    Violations v;
    Event event = api::EventFrom(req->event(), v);
    if (absl::Status s = api::ViolationsStatus(v); !s.ok()) return s;
    event.id = *id;
    absl::StatusOr<Event> e = scheduler_.UpdateEvent(*actor, event, api::MaskFields(req->update_mask()),
                                                     req->event().etag());
    if (!e.ok()) return e.status();
    InvalidateListings();
    ToProto(*e, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::DeleteEvent(Ctx* ctx, In<pb::DeleteEventRequest> req, Empty*) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<std::string> id = EventId(req->name(), "name");
    if (!id.ok()) return id.status();
    absl::Status s = scheduler_.DeleteEvent(*actor, *id, req->etag());
    if (s.ok()) InvalidateListings();
    return s;
  });
}

// ---- Sessions ----

SchedulingApi::Reactor* SchedulingApi::BookSession(Ctx* ctx, In<pb::BookSessionRequest> req,
                                                   pb::Session* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<std::string> event = EventId(req->parent(), "parent");
    if (!event.ok()) return event.status();
    Violations v;
    BookSessionCommand c;
    c.event_id = *event;
    c.session = api::SessionFrom(req->session(), v);
    if (absl::Status s = api::ViolationsStatus(v); !s.ok()) return s;
    c.session_id = req->session_id();
    c.request_id = req->request_id();
    absl::StatusOr<Session> s = scheduler_.BookSession(*actor, std::move(c));
    CountBookingResult(s.status());
    if (!s.ok()) return s.status();
    InvalidateListings();
    ToProto(*s, /*with_access_code=*/true, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::GetSession(Ctx* ctx, In<pb::GetSessionRequest> req,
                                                  pb::Session* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<SessionRef> ref = SessionName(req->name(), "name");
    if (!ref.ok()) return ref.status();
    absl::StatusOr<Session> s = scheduler_.GetSession(*ref);
    if (!s.ok()) return s.status();
    absl::StatusOr<bool> code = scheduler_.MaySeeAccessCode(*actor, *s);
    if (!code.ok()) return code.status();
    ToProto(*s, *code, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::ListSessions(Ctx* ctx, const grpc::ByteBuffer* request,
                                                    grpc::ByteBuffer* response) {
  return Unary(ctx, [&]() -> absl::Status {
    pb::ListSessionsRequest parsed;
    std::string raw;
    if (absl::Status s = ParseRaw(*request, &parsed, &raw); !s.ok()) return s;
    const pb::ListSessionsRequest* req = &parsed;
    ListSessionsCommand c;
    if (req->parent() != "events/-") {
      absl::StatusOr<std::string> event = EventId(req->parent(), "parent");
      if (!event.ok()) return event.status();
      c.query.event_id = *event;
    }
    Violations v;
    c.query.programme = req->programme();
    c.query.hub = req->hub();
    c.query.host = req->host();
    c.query.room = req->room();
    c.query.kind = api::KindFrom(req->event_kind(), "event_kind", v);
    for (int state : req->states()) {
      if (state < 0 || state > kMaxSessionState) {
        v.push_back({"states", "unknown session state"});
      } else {
        c.query.states.push_back(static_cast<SessionState>(state));
      }
    }
    if (req->has_start_time()) {
      c.query.ends_after = api::TimeFrom(req->start_time(), true, "start_time", v);
    }
    if (req->has_end_time()) {
      c.query.starts_before = api::TimeFrom(req->end_time(), true, "end_time", v);
    }
    if (absl::Status s = api::ViolationsStatus(v); !s.ok()) return s;
    c.page_size = req->page_size();
    c.page_token = req->page_token();
    // Public and identical for every caller (access codes are never listed): cacheable.
    absl::StatusOr<std::string> bytes =
        Cached(absl::StrCat("sessions:", absl::WebSafeBase64Escape(raw)), options_.listing_ttl,
               [&]() -> absl::StatusOr<std::string> {
                 absl::StatusOr<Page<Session>> page = scheduler_.ListSessions(c);
                 if (!page.ok()) return page.status();
                 pb::ListSessionsResponse out;
                 for (const Session& s : page->items) ToProto(s, false, out.add_sessions());
                 out.set_next_page_token(page->next_page_token);
                 return out.SerializeAsString();
               });
    if (!bytes.ok()) return bytes.status();
    SetRaw(*bytes, response);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::UpdateSession(Ctx* ctx, In<pb::UpdateSessionRequest> req,
                                                     pb::Session* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<SessionRef> ref = SessionName(req->session().name(), "session.name");
    if (!ref.ok()) return ref.status();
    Violations v;
    UpdateSessionCommand c;
    c.ref = *ref;
    c.values = api::SessionFrom(req->session(), v);
    c.fields = api::MaskFields(req->update_mask());
    c.etag = req->session().etag();
    absl::StatusOr<Session> s = scheduler_.UpdateSession(*actor, c);
    if (!s.ok()) return s.status();
    InvalidateListings();
    ToProto(*s, true, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::RescheduleSession(Ctx* ctx, In<pb::RescheduleSessionRequest> req,
                                                         pb::Session* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<SessionRef> ref = SessionName(req->name(), "name");
    if (!ref.ok()) return ref.status();
    Violations v;
    RescheduleCommand c;
    c.ref = *ref;
    c.start = api::TimeFrom(req->start_time(), req->has_start_time(), "start_time", v);
    c.end = api::TimeFrom(req->end_time(), req->has_end_time(), "end_time", v);
    c.time_zone = req->time_zone();
    c.room = req->room();
    c.etag = req->etag();
    c.request_id = req->request_id();
    if (absl::Status s = api::ViolationsStatus(v); !s.ok()) return s;
    absl::StatusOr<Session> s = scheduler_.RescheduleSession(*actor, c);
    if (!s.ok()) {
      CountBookingResult(s.status());
      return s.status();
    }
    InvalidateListings();
    ToProto(*s, true, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::CancelSession(Ctx* ctx, In<pb::CancelSessionRequest> req,
                                                     pb::Session* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<SessionRef> ref = SessionName(req->name(), "name");
    if (!ref.ok()) return ref.status();
    absl::StatusOr<Session> s =
        scheduler_.CancelSession(*actor, {*ref, req->reason(), req->etag(), req->request_id()});
    if (!s.ok()) return s.status();
    InvalidateListings();
    ToProto(*s, true, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::MarkSessionHeld(Ctx* ctx, In<pb::MarkSessionHeldRequest> req,
                                                       pb::Session* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<SessionRef> ref = SessionName(req->name(), "name");
    if (!ref.ok()) return ref.status();
    absl::StatusOr<Session> s = scheduler_.MarkSessionHeld(*actor, {*ref, req->etag(), req->request_id()});
    if (!s.ok()) return s.status();
    InvalidateListings();
    ToProto(*s, true, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::SuggestSlots(Ctx* ctx, In<pb::SuggestSlotsRequest> req,
                                                    pb::SuggestSlotsResponse* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<std::string> event = EventId(req->event(), "event");
    if (!event.ok()) return event.status();
    Violations v;
    SuggestSlotsCommand c;
    c.event_id = *event;
    c.hosts = {req->hosts().begin(), req->hosts().end()};
    c.room = req->room();
    c.duration = api::DurationFrom(req->duration());
    c.range.start = api::TimeFrom(req->search_range().start_time(), req->search_range().has_start_time(),
                                  "search_range.start_time", v);
    c.range.end = api::TimeFrom(req->search_range().end_time(), req->search_range().has_end_time(),
                                "search_range.end_time", v);
    c.time_zone = req->time_zone();
    c.max_results = req->max_results();
    c.granularity = req->has_granularity() ? api::DurationFrom(req->granularity()) : absl::ZeroDuration();
    if (absl::Status s = api::ViolationsStatus(v); !s.ok()) return s;
    absl::StatusOr<std::vector<Interval>> slots = scheduler_.SuggestSlots(*actor, c);
    if (!slots.ok()) return slots.status();
    absl::TimeZone zone;
    absl::LoadTimeZone(c.time_zone, &zone);
    for (const Interval& i : *slots) {
      pb::Slot* slot = resp->add_slots();
      SetTimestamp(slot->mutable_start_time(), i.start);
      SetTimestamp(slot->mutable_end_time(), i.end);
      slot->set_local_start(api::LocalRfc3339(i.start, zone));
      slot->set_local_end(api::LocalRfc3339(i.end, zone));
    }
    resp->set_time_zone(c.time_zone);
    return absl::OkStatus();
  });
}

// ---- Attendees ----

SchedulingApi::Reactor* SchedulingApi::RegisterAttendee(Ctx* ctx, In<pb::RegisterAttendeeRequest> req,
                                                        pb::Attendee* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<SessionRef> ref = SessionName(req->parent(), "parent");
    if (!ref.ok()) return ref.status();
    RegisterCommand c;
    c.ref = *ref;
    c.attendee = api::AttendeeFrom(req->attendee());
    c.request_id = req->request_id();
    absl::StatusOr<Attendee> a = scheduler_.RegisterAttendee(*actor, std::move(c));
    if (!a.ok()) return a.status();
    InvalidateListings();
    ToProto(*a, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::CancelRegistration(Ctx* ctx, In<pb::CancelRegistrationRequest> req,
                                                          pb::Attendee* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<AttendeeRef> ref = AttendeeName(req->name());
    if (!ref.ok()) return ref.status();
    absl::StatusOr<Attendee> a =
        scheduler_.CancelRegistration(*actor, {*ref, req->etag(), req->request_id()});
    if (!a.ok()) return a.status();
    InvalidateListings();
    ToProto(*a, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::CheckIn(Ctx* ctx, In<pb::CheckInRequest> req, pb::Attendee* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<AttendeeRef> ref = AttendeeName(req->name());
    if (!ref.ok()) return ref.status();
    absl::StatusOr<Attendee> a = scheduler_.CheckIn(*actor, {*ref, req->request_id()});
    if (!a.ok()) return a.status();
    InvalidateListings();
    ToProto(*a, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::ListAttendees(Ctx* ctx, In<pb::ListAttendeesRequest> req,
                                                     pb::ListAttendeesResponse* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    ListAttendeesCommand c;
    if (req->parent() != "events/-/sessions/-") {
      absl::StatusOr<SessionRef> ref = SessionName(req->parent(), "parent");
      if (!ref.ok()) return ref.status();
      c.session = *ref;
    }
    c.participant = req->participant();
    c.email = req->email();
    for (int state : req->states()) {
      if (state < 0 || state > kMaxAttendeeState) {
        return InvalidArgumentError("invalid request", {{"states", "unknown attendee state"}});
      }
      c.states.push_back(static_cast<AttendeeState>(state));
    }
    c.page_size = req->page_size();
    c.page_token = req->page_token();
    absl::StatusOr<Page<Attendee>> page = scheduler_.ListAttendees(*actor, c);
    if (!page.ok()) return page.status();
    for (const Attendee& a : page->items) ToProto(a, resp->add_attendees());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::GetAttendance(Ctx* ctx, In<pb::GetAttendanceRequest> req,
                                                     pb::Attendance* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<AttendanceReport> r = scheduler_.GetAttendance(*actor, req->programme(), req->participant());
    if (!r.ok()) return r.status();
    ToProto(*r, resp);
    return absl::OkStatus();
  });
}

// ---- Reports and calendars ----

SchedulingApi::Reactor* SchedulingApi::GetProgrammeProgress(Ctx* ctx,
                                                            In<pb::GetProgrammeProgressRequest> req,
                                                            pb::ProgrammeProgress* resp) {
  return Unary(ctx, [&]() -> absl::Status {
    absl::StatusOr<Actor> actor = ActorOf(ctx);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<ProgressReport> r = scheduler_.GetProgrammeProgress(*actor, req->programme());
    if (!r.ok()) return r.status();
    ToProto(*r, resp);
    return absl::OkStatus();
  });
}

SchedulingApi::Reactor* SchedulingApi::GetCalendarFeed(Ctx* ctx, const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return Unary(ctx, [&]() -> absl::Status {
    pb::GetCalendarFeedRequest parsed;
    std::string raw;
    if (absl::Status s = ParseRaw(*request, &parsed, &raw); !s.ok()) return s;
    const pb::GetCalendarFeedRequest* req = &parsed;
    FeedCommand c;
    switch (req->scope_case()) {
      case pb::GetCalendarFeedRequest::kProgramme:
        c.scope = FeedScope::kProgramme;
        c.value = req->programme();
        break;
      case pb::GetCalendarFeedRequest::kHub:
        c.scope = FeedScope::kHub;
        c.value = req->hub();
        break;
      case pb::GetCalendarFeedRequest::kParticipant:
        c.scope = FeedScope::kParticipant;
        c.value = req->participant();
        break;
      case pb::GetCalendarFeedRequest::kExpert:
        c.scope = FeedScope::kExpert;
        c.value = req->expert();
        break;
      default:
        return InvalidArgumentError("invalid feed", {{"scope", "give a programme, hub, participant or expert"}});
    }
    c.language = req->language() == etnik::common::v1::LANGUAGE_EN ? Language::kEn : Language::kRu;
    auto render = [&](const Actor& actor) -> absl::StatusOr<std::string> {
      absl::StatusOr<CalendarFeed> feed = scheduler_.GetCalendarFeed(actor, c);
      if (!feed.ok()) return feed.status();
      pb::CalendarFeed out;
      out.set_body(feed->body);
      out.set_content_type("text/calendar; charset=utf-8");
      out.set_filename(feed->filename);
      out.set_etag(feed->etag);
      SetTimestamp(out.mutable_update_time(), feed->update_time);
      return out.SerializeAsString();
    };
    absl::StatusOr<std::string> bytes;
    if (Scheduler::FeedIsPublic(c.scope)) {
      bytes = Cached(absl::StrCat("feed:", absl::WebSafeBase64Escape(raw)), options_.feed_ttl,
                     [&] { return render(Actor{}); });
    } else {
      absl::StatusOr<Actor> actor = ActorOf(ctx);
      if (!actor.ok()) return actor.status();
      bytes = render(*actor);
    }
    if (!bytes.ok()) return bytes.status();
    SetRaw(*bytes, response);
    return absl::OkStatus();
  });
}

}  // namespace etnik::scheduling
