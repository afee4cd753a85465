// The request validators of the hubs service (hub, expert, lead, contact), of the scheduling
// service (event, venue, session, expert profile) and of the registration selection runs and
// quotas; the registration form, answer and organisation rules have their own target
// (services/registration/domain). Properties:
//   - a validator answers OK or INVALID_ARGUMENT, never crashes or throws;
//   - every violation names a field under the request field's prefix and says what is wrong,
//     in UTF-8 whenever the request was UTF-8 (it goes into a google.rpc.BadRequest);
//   - a contact the hubs rules accept holds only values the value checks accept, and those
//     checks keep their documented shapes (E.164 phones, http(s) URIs without spaces).

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "fuzz/fuzz_input.h"
#include "google/protobuf/stubs/logging.h"
#include "etnik/registration/v1/selection.pb.h"
#include "services/hubs/domain/rules.h"
#include "services/registration/selection/quota_groups.h"
#include "services/registration/selection/selection.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/booking_rules.h"
#include "services/scheduling/domain/event.h"
#include "services/scheduling/domain/venue.h"

namespace {

using etnik::fuzz::FuzzInput;
namespace hubs = etnik::hubs;
namespace sched = etnik::scheduling;

constexpr const char* kTexts[] = {"", "Ткачество", "  ", "a", "'; DROP TABLE hubs; --", "\xD0", "Очень длинный текст"};
constexpr const char* kEmails[] = {"", "info@etnik-smolensk.ru", "a@b", "no-at", "a @b.ru", "@", "имя@пример.рф"};
constexpr const char* kPhones[] = {"", "+74812000000", "+0123456789", "84812000000", "+7", "+7481200000012345"};
constexpr const char* kUris[] = {"", "https://etnik.ru", "http://", "ftp://x", "https://a b", "https://meet.example/x\n"};
constexpr const char* kNames[] = {"", "programmes/etnik-2021", "hubs/media", "experts/ivanova", "venues/v1",
                                  "venues/v1/rooms/r1", "programmes/etnik-2021/stages/s1", "hubs/", "hubs/a/b"};
constexpr const char* kZones[] = {"", "Europe/Moscow", "Asia/Vladivostok", "Mars/Olympus", "/etc/passwd", "UTC"};
constexpr const char* kIds[] = {"", "media", "r1", "Bad Id", "a-b-c", "1"};

// Strings made from the input, remembering whether all were UTF-8.
struct Strings {
  FuzzInput& in;
  bool utf8 = true;
  template <size_t N>
  std::string operator()(const char* const (&pool)[N], size_t max = 64) {
    std::string s = in.Text(pool, max);
    utf8 = utf8 && etnik::fuzz::IsUtf8(s);
    return s;
  }
};

void CheckViolations(const std::vector<etnik::FieldViolation>& violations, const std::string& prefix, bool utf8) {
  for (const etnik::FieldViolation& v : violations) {
    FUZZ_CHECK(v.field == prefix || absl::StartsWith(v.field, prefix + ".") || absl::StartsWith(v.field, prefix + "["));
    FUZZ_CHECK(!v.description.empty());
    if (utf8) FUZZ_CHECK(etnik::fuzz::IsUtf8(v.description) && etnik::fuzz::IsUtf8(v.field));
  }
}

void CheckStatus(const absl::Status& status, const std::string& prefix, bool utf8) {
  if (status.ok()) return;
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  // The violations travel in a google.rpc.BadRequest detail, which only UTF-8 survives (requests
  // are UTF-8: proto3 parsing refuses anything else).
  if (!utf8) return;
  const std::vector<etnik::FieldViolation> violations = etnik::GetFieldViolations(status);
  FUZZ_CHECK(!violations.empty());
  CheckViolations(violations, prefix, utf8);
}

hubs::Contact HubsContact(Strings& s) {
  hubs::Contact c;
  c.email = s(kEmails);
  c.phone = s(kPhones);
  c.telegram = s(kIds, 40);
  c.website_uri = s(kUris);
  return c;
}

void Hubs(FuzzInput& in) {
  Strings s{in};
  hubs::Hub hub;
  hub.id = s(kIds);
  hub.programme = s(kNames);
  hub.title = {s(kTexts, 500), s(kTexts)};
  hub.theme = s(kIds);
  hub.theme_title = {s(kTexts), s(kTexts)};
  hub.description = {s(kTexts, 200), s(kTexts)};
  hub.contact = HubsContact(s);
  hub.participant_capacity = static_cast<int>(in.Int(-5, 100000));
  hubs::Expert expert;
  expert.full_name = {s(kTexts), s(kTexts)};
  expert.bio = {s(kTexts, 200), ""};
  for (int i = in.Byte() % 25; i > 0; --i) expert.topics.push_back(s(kIds));
  expert.city = s(kTexts);
  expert.time_zone = s(kZones);
  expert.contact = HubsContact(s);
  expert.photo_uri = s(kUris);
  for (int i = in.Byte() % 4; i > 0; --i) {
    hubs::AvailabilityWindow w;
    w.day_of_week = static_cast<int>(in.Int(-1, 8));
    w.start = {static_cast<int>(in.Int(-1, 25)), static_cast<int>(in.Int(-1, 61))};
    w.end = {static_cast<int>(in.Int(-1, 25)), static_cast<int>(in.Int(-1, 61))};
    expert.weekly_availability.push_back(w);
  }
  for (int i = in.Byte() % 3; i > 0; --i) {
    hubs::AvailabilityException e;
    e.year = static_cast<int>(in.Int(-1, 3000));
    e.month = static_cast<int>(in.Int(0, 13));
    e.day = static_cast<int>(in.Int(0, 32));
    e.available = in.Bool();
    e.whole_day = in.Bool();
    e.start = {static_cast<int>(in.Int(-1, 25)), static_cast<int>(in.Int(-1, 61))};
    e.end = {static_cast<int>(in.Int(-1, 25)), static_cast<int>(in.Int(-1, 61))};
    e.note = s(kTexts);
    expert.availability_exceptions.push_back(e);
  }
  hubs::HubLead lead;
  lead.full_name = s(kTexts);
  lead.contact = HubsContact(s);
  lead.time_zone = s(kZones);

  std::vector<etnik::FieldViolation> out;
  hubs::CheckHub(hub, "hub", &out);
  CheckViolations(out, "hub", s.utf8);
  out.clear();
  hubs::CheckExpert(expert, "expert", &out);
  CheckViolations(out, "expert", s.utf8);
  out.clear();
  hubs::CheckLead(lead, "lead", &out);
  CheckViolations(out, "lead", s.utf8);
  out.clear();
  hubs::CheckContact(hub.contact, "contact", &out);
  CheckViolations(out, "contact", s.utf8);
  if (out.empty()) {
    const hubs::Contact& c = hub.contact;
    FUZZ_CHECK(c.email.empty() || hubs::IsValidEmail(c.email));
    FUZZ_CHECK(c.phone.empty() || hubs::IsValidPhone(c.phone));
    FUZZ_CHECK(c.website_uri.empty() || hubs::IsValidHttpUri(c.website_uri));
  }
  if (hubs::IsValidPhone(hub.contact.phone)) {
    const std::string& p = hub.contact.phone;
    FUZZ_CHECK(p[0] == '+' && p.size() >= 8 && p.size() <= 16 && p[1] != '0');
    FUZZ_CHECK(p.find_first_not_of("0123456789", 1) == std::string::npos);
  }
  if (hubs::IsValidHttpUri(hub.contact.website_uri)) {
    const std::string& u = hub.contact.website_uri;
    FUZZ_CHECK(absl::StartsWith(u, "http://") || absl::StartsWith(u, "https://"));
    for (char c : u) FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7f);
  }
  CheckStatus(hubs::ViolationsStatus("hub", {}), "hub", true);
}

void Scheduling(FuzzInput& in) {
  Strings s{in};
  sched::Event event;
  event.id = s(kIds);
  event.programme = s(kNames);
  event.stage = s(kNames);
  event.kind = static_cast<sched::EventKind>(in.Int(0, sched::kMaxEventKind + 1));
  event.title = {s(kTexts, 500), s(kTexts)};
  event.description = {s(kTexts, 100), ""};
  event.hub = s(kNames);
  event.venue = s(kNames);
  event.time_zone = s(kZones);
  event.default_capacity = static_cast<int32_t>(in.Int(-3, 100000));
  for (int i = in.Byte() % 4; i > 0; --i) event.tracks.push_back({s(kIds), {s(kTexts), ""}, s(kNames)});

  sched::Venue venue;
  venue.id = s(kIds);
  venue.title = {s(kTexts), s(kTexts)};
  venue.address = s(kTexts);
  venue.city = s(kTexts);
  venue.time_zone = s(kZones);
  for (int i = in.Byte() % 4; i > 0; --i) {
    venue.rooms.push_back({s(kIds), {s(kTexts), ""}, static_cast<int32_t>(in.Int(-2, 5000))});
  }

  sched::Session session;
  session.event_id = event.id;
  session.title = {s(kTexts, 300), s(kTexts)};
  session.description = {s(kTexts, 100), ""};
  const absl::Time base = absl::FromUnixSeconds(1622534400);
  session.start = base + absl::Minutes(in.Int(-100000, 100000));
  session.end = session.start + absl::Minutes(in.Int(-120, 3000));
  session.time_zone = s(kZones);
  for (int i = in.Byte() % 12; i > 0; --i) session.hosts.push_back(s(kNames));
  session.hub = s(kNames);
  session.room = s(kNames);
  if (in.Bool()) session.online_room = {s(kUris), s(kTexts), s(kTexts)};
  session.capacity = static_cast<int32_t>(in.Int(-3, 100000));
  session.track = s(kIds);

  sched::ExpertProfile profile;
  profile.expert = s(kNames);
  profile.full_name = {s(kTexts), ""};
  profile.time_zone = s(kZones);
  for (int i = in.Byte() % 4; i > 0; --i) {
    profile.weekly.push_back({static_cast<absl::Weekday>(in.Int(0, 6)), static_cast<sched::LocalMinute>(in.Int(-10, 1500)),
                              static_cast<sched::LocalMinute>(in.Int(-10, 1500))});
  }
  for (int i = in.Byte() % 3; i > 0; --i) {
    sched::AvailabilityException e;
    e.date = absl::CivilDay(in.Int(1900, 2200), in.Int(1, 12), in.Int(1, 31));
    e.available = in.Bool();
    if (in.Bool()) e.start = static_cast<sched::LocalMinute>(in.Int(-10, 1500));
    if (in.Bool()) e.end = static_cast<sched::LocalMinute>(in.Int(-10, 1500));
    e.note = s(kTexts);
    profile.exceptions.push_back(e);
  }
  profile.weekly_session_limit = static_cast<int32_t>(in.Int(-2, 100));

  CheckStatus(sched::ValidateEvent(event, "event"), "event", s.utf8);
  CheckStatus(sched::ValidateVenue(venue, "venue"), "venue", s.utf8);
  const absl::Status session_status =
      sched::ValidateSessionFields(session, event, in.Bool() ? &venue : nullptr, "session");
  CheckStatus(session_status, "session", s.utf8);
  if (session_status.ok()) FUZZ_CHECK(session.start < session.end && session.capacity >= 0);
  const absl::Status profile_status = sched::ValidateExpertProfile(profile);
  FUZZ_CHECK(profile_status.ok() || profile_status.code() == absl::StatusCode::kInvalidArgument);
}

// A selection run as a client sends it (binary protobuf: every string is UTF-8 once parsed).
void Selection(FuzzInput& in) {
  namespace reg = etnik::registration;
  const int seats = static_cast<int>(in.Int(-1, 500));
  const reg::Language lang = in.Bool() ? reg::Language::kRussian : reg::Language::kEnglish;
  etnik::registration::v1::SelectionRun run;
  const std::string bytes = in.Rest();
  if (!run.ParseFromString(bytes) || run.quotas_size() > 200) return;
  const absl::Status status = reg::ValidateSelectionRun(run, seats, lang);
  CheckStatus(status, "selection_run", true);
  if (status.ok()) (void)reg::SettingsOf(run, seats);
  std::vector<etnik::FieldViolation> violations;
  reg::ValidateQuotas({run.quotas().begin(), run.quotas().end()}, "quotas", lang, &violations);
  CheckViolations(violations, "quotas", true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Protobuf logs every non-UTF-8 string it meets; the properties below are what count.
  static const google::protobuf::LogSilencer quiet;
  FuzzInput in(data, size);
  switch (in.Byte() % 3) {
    case 0:
      Scheduling(in);
      break;
    case 1:
      Hubs(in);
      break;
    default:
      Selection(in);
  }
  return 0;
}
