#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_EVENT_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_EVENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/scheduling/domain/types.h"

namespace etnik::scheduling {

// A conference track, usually held in one room.
struct Track {
  std::string track_id;
  LocalizedText title;
  std::string room;  // venues/{venue}/rooms/{room_id}, may be empty
};

// An event of a programme stage; its sessions must lie in the stage's window.
// Resource name events/{id}.
struct Event {
  std::string id;
  std::string programme;  // programmes/{programme}
  std::string stage;      // programmes/{programme}/stages/{stage_id}
  EventKind kind = EventKind::kUnspecified;
  LocalizedText title;
  LocalizedText description;
  std::string hub;    // hubs/{hub}; empty for organiser-run events
  std::string venue;  // venues/{venue}; empty online
  std::string time_zone;
  bool open_registration = false;
  std::vector<Track> tracks;
  int32_t default_capacity = 0;
  int32_t session_count = 0;  // not cancelled
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 0;

  std::string name() const { return "events/" + id; }
  const Track* FindTrack(absl::string_view track_id) const;
};

// INVALID_ARGUMENT with one violation per bad field.
absl::Status ValidateEvent(const Event& event, absl::string_view prefix);

// True when `name` is programmes/{p} / hubs/{h} / ... with a valid id.
bool IsProgrammeName(absl::string_view name);
bool IsStageName(absl::string_view name);
bool IsHubName(absl::string_view name);
bool IsExpertName(absl::string_view name);
bool IsParticipantName(absl::string_view name);
// The programme part of a stage or participant name ("programmes/p").
std::string ProgrammeOf(absl::string_view name);
// "media" for "hubs/media".
absl::string_view HubIdOf(absl::string_view hub_name);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_EVENT_H_
