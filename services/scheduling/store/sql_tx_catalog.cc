// Idempotency records, venues and events.

#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "common/db/time_micros.h"
#include "services/scheduling/store/sql_query.h"
#include "services/scheduling/store/sql_tx.h"

namespace etnik::scheduling::store {
namespace {

using db::CatchDbErrors;
using db::MicrosToTime;
using db::TimeToMicros;

struct VenueRow {
  std::string id, title_ru, title_en, address, city, time_zone;
  long long create_us = 0, update_us = 0, version = 0;
  void Into(soci::statement& st) {
    for (std::string* s : {&id, &title_ru, &title_en, &address, &city, &time_zone}) {
      st.exchange(soci::into(*s));
    }
    for (long long* l : {&create_us, &update_us, &version}) st.exchange(soci::into(*l));
  }
  Venue ToVenue() const {
    Venue v;
    v.id = id;
    v.title = {title_ru, title_en};
    v.address = address;
    v.city = city;
    v.time_zone = time_zone;
    v.create_time = MicrosToTime(create_us);
    v.update_time = MicrosToTime(update_us);
    v.version = version;
    return v;
  }
};
constexpr char kVenueColumns[] =
    "id, title_ru, title_en, address, city, time_zone, create_us, update_us, version";

struct RoomRow {
  Room room;
  void Into(soci::statement& s) {
    s.exchange(soci::into(room.room_id));
    s.exchange(soci::into(room.title.ru));
    s.exchange(soci::into(room.title.en));
    s.exchange(soci::into(room.capacity));
  }
};

std::vector<Room> LoadRooms(soci::session& session, const std::string& venue_id) {
  SqlQuery q;
  q << "SELECT room_id, title_ru, title_en, capacity FROM sched_rooms WHERE venue_id = ";
  q.Bind(venue_id) << " ORDER BY position";
  std::vector<Room> out;
  q.Fetch<RoomRow>(session, [&](const RoomRow& r) { out.push_back(r.room); });
  return out;
}

void WriteRooms(soci::session& session, const Venue& v) {
  SqlQuery del;
  del << "DELETE FROM sched_rooms WHERE venue_id = ";
  del.Bind(v.id);
  del.Exec(session);
  for (size_t i = 0; i < v.rooms.size(); ++i) {
    SqlQuery ins;
    ins << "INSERT INTO sched_rooms (venue_id, room_id, position, title_ru, title_en, capacity) VALUES (";
    ins.Bind(v.id) << ", ";
    ins.Bind(v.rooms[i].room_id) << ", ";
    ins.Bind(static_cast<int>(i)) << ", ";
    ins.Bind(v.rooms[i].title.ru) << ", ";
    ins.Bind(v.rooms[i].title.en) << ", ";
    ins.Bind(v.rooms[i].capacity) << ")";
    ins.Exec(session);
  }
}

struct EventRow {
  std::string id, programme, stage, title_ru, title_en, description_ru, description_en, hub,
      venue, time_zone;
  int kind = 0, open_registration = 0, default_capacity = 0;
  long long create_us = 0, update_us = 0, version = 0;
  void Into(soci::statement& st) {
    for (std::string* s : {&id, &programme, &stage, &title_ru, &title_en, &description_ru,
                           &description_en, &hub, &venue, &time_zone}) {
      st.exchange(soci::into(*s));
    }
    for (int* i : {&kind, &open_registration, &default_capacity}) st.exchange(soci::into(*i));
    for (long long* l : {&create_us, &update_us, &version}) st.exchange(soci::into(*l));
  }
  Event ToEvent() const {
    Event e;
    e.id = id;
    e.programme = programme;
    e.stage = stage;
    e.kind = static_cast<EventKind>(kind);
    e.title = {title_ru, title_en};
    e.description = {description_ru, description_en};
    e.hub = hub;
    e.venue = venue;
    e.time_zone = time_zone;
    e.open_registration = open_registration != 0;
    e.default_capacity = default_capacity;
    e.create_time = MicrosToTime(create_us);
    e.update_time = MicrosToTime(update_us);
    e.version = version;
    return e;
  }
};
// session_count is not read here: a booking reads its event and must not pay for counting the
// event's sessions (CountSessionsOfEvent does, for the read paths that show it).
constexpr char kEventSelect[] =
    "SELECT e.id, e.programme, e.stage, e.title_ru, e.title_en, e.description_ru,"
    " e.description_en, e.hub, e.venue, e.time_zone, e.kind, e.open_registration,"
    " e.default_capacity, e.create_us, e.update_us, e.version"
    " FROM sched_events e";

struct TrackRow {
  Track track;
  void Into(soci::statement& s) {
    s.exchange(soci::into(track.track_id));
    s.exchange(soci::into(track.title.ru));
    s.exchange(soci::into(track.title.en));
    s.exchange(soci::into(track.room));
  }
};

std::vector<Track> LoadTracks(soci::session& session, const std::string& event_id) {
  SqlQuery q;
  q << "SELECT track_id, title_ru, title_en, room FROM sched_tracks WHERE event_id = ";
  q.Bind(event_id) << " ORDER BY position";
  std::vector<Track> out;
  q.Fetch<TrackRow>(session, [&](const TrackRow& r) { out.push_back(r.track); });
  return out;
}

void WriteTracks(soci::session& session, const Event& e) {
  SqlQuery del;
  del << "DELETE FROM sched_tracks WHERE event_id = ";
  del.Bind(e.id);
  del.Exec(session);
  for (size_t i = 0; i < e.tracks.size(); ++i) {
    SqlQuery ins;
    ins << "INSERT INTO sched_tracks (event_id, track_id, position, title_ru, title_en, room) VALUES (";
    ins.Bind(e.id) << ", ";
    ins.Bind(e.tracks[i].track_id) << ", ";
    ins.Bind(static_cast<int>(i)) << ", ";
    ins.Bind(e.tracks[i].title.ru) << ", ";
    ins.Bind(e.tracks[i].title.en) << ", ";
    ins.Bind(e.tracks[i].room) << ")";
    ins.Exec(session);
  }
}

void BindEventValues(SqlQuery& q, const Event& e) {
  q.Bind(e.programme) << ", ";
  q.Bind(e.stage) << ", ";
  q.Bind(static_cast<int>(e.kind)) << ", ";
  q.Bind(e.title.ru) << ", ";
  q.Bind(e.title.en) << ", ";
  q.Bind(e.description.ru) << ", ";
  q.Bind(e.description.en) << ", ";
  q.Bind(e.hub) << ", ";
  q.Bind(e.venue) << ", ";
  q.Bind(e.time_zone) << ", ";
  q.Bind(e.open_registration ? 1 : 0) << ", ";
  q.Bind(e.default_capacity) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(e.create_time))) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(e.update_time))) << ", ";
  q.Bind(static_cast<long long>(e.version));
}
constexpr char kEventValueColumns[] =
    "programme, stage, kind, title_ru, title_en, description_ru, description_en, hub, venue,"
    " time_zone, open_registration, default_capacity, create_us, update_us, version";

}  // namespace

absl::StatusOr<std::optional<std::string>> SqlTx::FindRequest(absl::string_view key) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<std::string>> {
    SqlQuery q;
    q << "SELECT resource FROM sched_requests WHERE request_key = ";
    q.Bind(std::string(key));
    std::optional<std::string> resource;
    q.Fetch<ValueRow<std::string>>(session_,
                                   [&](const ValueRow<std::string>& r) { resource = r.value; });
    return resource;
  });
}

absl::Status SqlTx::RecordRequest(absl::string_view key, absl::string_view resource) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "INSERT INTO sched_requests (request_key, resource, create_us) VALUES (";
    q.Bind(std::string(key)) << ", ";
    q.Bind(std::string(resource)) << ", ";
    q.Bind(static_cast<long long>(TimeToMicros(clock_.Now()))) << ")";
    q.Exec(session_);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<Venue>> SqlTx::GetVenue(absl::string_view id) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Venue>> {
    SqlQuery q;
    q << "SELECT " << kVenueColumns << " FROM sched_venues WHERE id = ";
    q.Bind(std::string(id));
    std::optional<Venue> found;
    q.Fetch<VenueRow>(session_, [&](const VenueRow& row) { found = row.ToVenue(); });
    if (found.has_value()) found->rooms = LoadRooms(session_, found->id);
    return found;
  });
}

absl::Status SqlTx::InsertVenue(const Venue& v) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "INSERT INTO sched_venues (" << kVenueColumns << ") VALUES (";
    q.Bind(v.id) << ", ";
    q.Bind(v.title.ru) << ", ";
    q.Bind(v.title.en) << ", ";
    q.Bind(v.address) << ", ";
    q.Bind(v.city) << ", ";
    q.Bind(v.time_zone) << ", ";
    q.Bind(static_cast<long long>(TimeToMicros(v.create_time))) << ", ";
    q.Bind(static_cast<long long>(TimeToMicros(v.update_time))) << ", ";
    q.Bind(static_cast<long long>(v.version)) << ")";
    q.Exec(session_);
    WriteRooms(session_, v);
    return absl::OkStatus();
  });
}

absl::Status SqlTx::UpdateVenue(const Venue& v) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "UPDATE sched_venues SET title_ru = ";
    q.Bind(v.title.ru) << ", title_en = ";
    q.Bind(v.title.en) << ", address = ";
    q.Bind(v.address) << ", city = ";
    q.Bind(v.city) << ", time_zone = ";
    q.Bind(v.time_zone) << ", update_us = ";
    q.Bind(static_cast<long long>(TimeToMicros(v.update_time))) << ", version = ";
    q.Bind(static_cast<long long>(v.version)) << " WHERE id = ";
    q.Bind(v.id);
    if (q.Exec(session_) != 1) return absl::NotFoundError(absl::StrCat(v.name(), " not found"));
    WriteRooms(session_, v);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Venue>> SqlTx::ListVenues(absl::string_view after_id, int limit) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Venue>> {
    SqlQuery q;
    q << "SELECT " << kVenueColumns << " FROM sched_venues WHERE id > ";
    q.Bind(std::string(after_id)) << " ORDER BY id LIMIT ";
    q.Bind(limit);
    VenueRow row;
    std::vector<Venue> out;
    {
      soci::statement st(session_);
      q.Prepare(st, [&](soci::statement& s) { row.Into(s); });
      st.execute(false);
      while (st.fetch()) out.push_back(row.ToVenue());
    }
    for (Venue& v : out) v.rooms = LoadRooms(session_, v.id);
    return out;
  });
}

absl::StatusOr<std::optional<Event>> SqlTx::GetEvent(absl::string_view id) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::optional<Event>> {
    SqlQuery q;
    q << kEventSelect << " WHERE e.id = ";
    q.Bind(std::string(id));
    std::optional<Event> found;
    q.Fetch<EventRow>(session_, [&](const EventRow& row) { found = row.ToEvent(); });
    if (found.has_value()) found->tracks = LoadTracks(session_, found->id);
    return found;
  });
}

absl::Status SqlTx::InsertEvent(const Event& e) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "INSERT INTO sched_events (id, " << kEventValueColumns << ") VALUES (";
    q.Bind(e.id) << ", ";
    BindEventValues(q, e);
    q << ")";
    q.Exec(session_);
    WriteTracks(session_, e);
    return absl::OkStatus();
  });
}

absl::Status SqlTx::UpdateEvent(const Event& e) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "UPDATE sched_events SET (" << kEventValueColumns << ") = (";
    BindEventValues(q, e);
    q << ") WHERE id = ";
    q.Bind(e.id);
    if (q.Exec(session_) != 1) return absl::NotFoundError(absl::StrCat(e.name(), " not found"));
    WriteTracks(session_, e);
    return absl::OkStatus();
  });
}

absl::Status SqlTx::DeleteEvent(absl::string_view id) {
  return CatchDbErrors([&]() -> absl::Status {
    SqlQuery q;
    q << "DELETE FROM sched_events WHERE id = ";
    q.Bind(std::string(id));
    q.Exec(session_);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Event>> SqlTx::ListEvents(const EventQuery& query) {
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<Event>> {
    SqlQuery q;
    q << kEventSelect << " WHERE e.id > ";
    q.Bind(query.after_id);
    if (!query.programme.empty()) {
      q << " AND e.programme = ";
      q.Bind(query.programme);
    }
    if (!query.hub.empty()) {
      q << " AND e.hub = ";
      q.Bind(query.hub);
    }
    if (!query.stage.empty()) {
      q << " AND e.stage = ";
      q.Bind(query.stage);
    }
    if (query.kind != EventKind::kUnspecified) {
      q << " AND e.kind = ";
      q.Bind(static_cast<int>(query.kind));
    }
    q << " ORDER BY e.id LIMIT ";
    q.Bind(query.limit);
    EventRow row;
    std::vector<Event> out;
    {
      soci::statement st(session_);
      q.Prepare(st, [&](soci::statement& s) { row.Into(s); });
      st.execute(false);
      while (st.fetch()) out.push_back(row.ToEvent());
    }
    for (Event& e : out) e.tracks = LoadTracks(session_, e.id);
    return out;
  });
}

absl::StatusOr<int64_t> SqlTx::CountSessionsOfEvent(absl::string_view event_id, bool live_only) {
  return CatchDbErrors([&]() -> absl::StatusOr<int64_t> {
    SqlQuery q;
    q << "SELECT COUNT(*) FROM sched_sessions WHERE event_id = ";
    q.Bind(std::string(event_id));
    if (live_only) q << " AND state <> 2";
    long long count = 0;
    soci::statement st(session_);
    q.Prepare(st, [&](soci::statement& s) { s.exchange(soci::into(count)); });
    st.execute(true);
    return static_cast<int64_t>(count);
  });
}

}  // namespace etnik::scheduling::store
