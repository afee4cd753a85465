// Resource names of scheduling and of the services it refers to.

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/scheduling/domain/attendee.h"
#include "services/scheduling/domain/event.h"
#include "services/scheduling/domain/session.h"
#include "services/scheduling/domain/venue.h"

namespace etnik::scheduling {
namespace {

// A segment of another service's resource name: printable, no separators, bounded.
bool IsSegment(absl::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (c == '/' || static_cast<unsigned char>(c) <= ' ') return false;
  }
  return true;
}

// True when `name` is "<collection>/<id>[/<collection>/<id>...]" with these collections.
bool Matches(absl::string_view name, std::initializer_list<absl::string_view> collections,
             std::vector<absl::string_view>* ids = nullptr) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 * collections.size()) return false;
  size_t i = 0;
  for (absl::string_view c : collections) {
    if (parts[i] != c || !IsSegment(parts[i + 1])) return false;
    if (ids != nullptr) ids->push_back(parts[i + 1]);
    i += 2;
  }
  return true;
}

}  // namespace

bool IsProgrammeName(absl::string_view name) { return Matches(name, {"programmes"}); }
bool IsStageName(absl::string_view name) { return Matches(name, {"programmes", "stages"}); }
bool IsHubName(absl::string_view name) { return Matches(name, {"hubs"}); }
bool IsExpertName(absl::string_view name) { return Matches(name, {"experts"}); }
bool IsParticipantName(absl::string_view name) {
  return Matches(name, {"programmes", "participants"});
}

std::string ProgrammeOf(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() < 2 || parts[0] != "programmes") return "";
  return absl::StrCat("programmes/", parts[1]);
}

absl::string_view HubIdOf(absl::string_view hub_name) {
  absl::string_view id = hub_name;
  absl::ConsumePrefix(&id, "hubs/");
  return id;
}

std::optional<RoomRef> ParseRoomName(absl::string_view name) {
  std::vector<absl::string_view> ids;
  if (!Matches(name, {"venues", "rooms"}, &ids)) return std::nullopt;
  return RoomRef{std::string(ids[0]), std::string(ids[1])};
}

std::optional<SessionRef> ParseSessionName(absl::string_view name) {
  std::vector<absl::string_view> ids;
  if (!Matches(name, {"events", "sessions"}, &ids)) return std::nullopt;
  return SessionRef{std::string(ids[0]), std::string(ids[1])};
}

std::optional<AttendeeRef> ParseAttendeeName(absl::string_view name) {
  std::vector<absl::string_view> ids;
  if (!Matches(name, {"events", "sessions", "attendees"}, &ids)) return std::nullopt;
  return AttendeeRef{{std::string(ids[0]), std::string(ids[1])}, std::string(ids[2])};
}

std::string EtagOf(int64_t version) { return absl::StrCat("\"v", version, "\""); }

}  // namespace etnik::scheduling
