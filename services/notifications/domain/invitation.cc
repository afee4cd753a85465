#include "services/notifications/domain/invitation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace etnik::notifications {
namespace {

constexpr size_t kMaxLineOctets = 75;

std::string UtcStamp(absl::Time t) { return absl::FormatTime("%Y%m%dT%H%M%SZ", t, absl::UTCTimeZone()); }

std::string LocalStamp(absl::CivilSecond cs) {
  return absl::StrFormat("%04d%02d%02dT%02d%02d%02d", cs.year(), cs.month(), cs.day(), cs.hour(),
                         cs.minute(), cs.second());
}

std::string Offset(int seconds) {
  const char sign = seconds < 0 ? '-' : '+';
  const int s = seconds < 0 ? -seconds : seconds;
  std::string out = absl::StrFormat("%c%02d%02d", sign, s / 3600, (s / 60) % 60);
  if (s % 60 != 0) absl::StrAppendFormat(&out, "%02d", s % 60);
  return out;
}

// TEXT escaping (RFC 5545 3.3.11); other control characters are dropped.
std::string EscapeText(absl::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        out += c;
    }
  }
  return out;
}

// A parameter value (CN=...): quoted, without the characters a quoted value cannot hold.
std::string ParamValue(absl::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

// URIs and addresses: no control characters, nothing that would end the line.
std::string Clean(absl::string_view v) {
  std::string out;
  for (char c : v) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  }
  return out;
}

void Line(std::string* out, absl::string_view line) {
  size_t limit = kMaxLineOctets;  // first line 75 octets, continuations 1 + 74
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    if (cut == 0) cut = limit;
    out->append(line.data(), cut);
    out->append("\r\n ");
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;
  }
  out->append(line.data(), line.size());
  out->append("\r\n");
}

// "Name <a@b>" -> {"Name", "a@b"}; "a@b" -> {"", "a@b"}.
std::pair<std::string, std::string> SplitAddress(absl::string_view a) {
  const size_t lt = a.find('<');
  const size_t gt = a.rfind('>');
  if (lt == absl::string_view::npos || gt == absl::string_view::npos || gt < lt) {
    return {"", std::string(absl::StripAsciiWhitespace(a))};
  }
  return {std::string(absl::StripAsciiWhitespace(a.substr(0, lt))),
          std::string(absl::StripAsciiWhitespace(a.substr(lt + 1, gt - lt - 1)))};
}

// The VTIMEZONE valid from before `from` to `to`, from the zone's real transitions.
void VTimezone(std::string* out, absl::string_view name, const absl::TimeZone& zone, absl::Time from,
               absl::Time to) {
  Line(out, "BEGIN:VTIMEZONE");
  Line(out, absl::StrCat("TZID:", name));
  auto observance = [&](absl::CivilSecond start, absl::Time at) {
    const absl::TimeZone::CivilInfo before = zone.At(at - absl::Seconds(1));
    const absl::TimeZone::CivilInfo after = zone.At(at);
    const char* kind = after.is_dst ? "DAYLIGHT" : "STANDARD";
    Line(out, absl::StrCat("BEGIN:", kind));
    Line(out, absl::StrCat("DTSTART:", LocalStamp(start)));
    Line(out, absl::StrCat("TZOFFSETFROM:", Offset(before.offset)));
    Line(out, absl::StrCat("TZOFFSETTO:", Offset(after.offset)));
    if (after.zone_abbr != nullptr && after.zone_abbr[0] != '\0') {
      Line(out, absl::StrCat("TZNAME:", EscapeText(after.zone_abbr)));
    }
    Line(out, absl::StrCat("END:", kind));
  };
  auto instant_of = [&](const absl::TimeZone::CivilTransition& t) { return zone.At(t.to).post; };
  absl::TimeZone::CivilTransition trans;
  if (zone.PrevTransition(from + absl::Seconds(1), &trans)) {
    observance(trans.from, instant_of(trans));
  } else {
    const int offset = zone.At(from).offset;
    Line(out, "BEGIN:STANDARD");
    Line(out, "DTSTART:19700101T000000");
    Line(out, absl::StrCat("TZOFFSETFROM:", Offset(offset)));
    Line(out, absl::StrCat("TZOFFSETTO:", Offset(offset)));
    Line(out, "END:STANDARD");
  }
  absl::Time cursor = from;
  while (zone.NextTransition(cursor, &trans)) {
    const absl::Time at = instant_of(trans);
    if (at > to || at <= cursor) break;
    observance(trans.from, at);
    cursor = at;
  }
  Line(out, "END:VTIMEZONE");
}

// DTSTART/DTEND in the zone. A local time that occurs twice (the hour repeated when clocks go
// back) is written in UTC: RFC 5545 means its first occurrence, but not every reader agrees
// (python3-icalendar 4 takes the second), and UTC cannot be misread.
std::string DateTime(absl::string_view property, absl::Time t, absl::string_view name,
                     const absl::TimeZone* zone) {
  if (zone == nullptr) return absl::StrCat(property, ":", UtcStamp(t));
  const absl::CivilSecond local = absl::ToCivilSecond(t, *zone);
  const absl::TimeZone::TimeInfo info = zone->At(local);
  if (info.kind == absl::TimeZone::TimeInfo::REPEATED) {
    return absl::StrCat(property, ":", UtcStamp(t));
  }
  return absl::StrCat(property, ";TZID=", name, ":", LocalStamp(local));
}

}  // namespace

std::string InvitationContentType(const SessionInfo& s) {
  return absl::StrCat("text/calendar; method=", s.cancelled ? "CANCEL" : "REQUEST", "; charset=UTF-8");
}

std::string BuildInvitation(const SessionInfo& s, absl::string_view organizer_email,
                            absl::string_view attendee_email, absl::Time now) {
  absl::TimeZone zone;
  const bool zoned = !s.zone.empty() && s.zone != "UTC" && absl::LoadTimeZone(s.zone, &zone);
  const std::string zone_name = Clean(s.zone);
  std::string out;
  Line(&out, "BEGIN:VCALENDAR");
  Line(&out, "VERSION:2.0");
  Line(&out, "PRODID:-//etnik//notifications//RU");
  Line(&out, "CALSCALE:GREGORIAN");
  Line(&out, absl::StrCat("METHOD:", s.cancelled ? "CANCEL" : "REQUEST"));
  if (zoned) VTimezone(&out, zone_name, zone, s.start, s.end);
  Line(&out, "BEGIN:VEVENT");
  Line(&out, absl::StrCat("UID:", Clean(s.uid)));
  Line(&out, absl::StrCat("DTSTAMP:", UtcStamp(now)));
  Line(&out, DateTime("DTSTART", s.start, zone_name, zoned ? &zone : nullptr));
  Line(&out, DateTime("DTEND", s.end, zone_name, zoned ? &zone : nullptr));
  Line(&out, absl::StrCat("SEQUENCE:", s.sequence));
  Line(&out, absl::StrCat("STATUS:", s.cancelled ? "CANCELLED" : "CONFIRMED"));
  Line(&out, absl::StrCat("SUMMARY:", EscapeText(s.title)));
  const std::string location = s.location.empty() ? s.url : s.location;
  if (!location.empty()) Line(&out, absl::StrCat("LOCATION:", EscapeText(location)));
  if (!s.url.empty()) Line(&out, absl::StrCat("URL:", Clean(s.url)));
  const auto [org_name, org_addr] = SplitAddress(organizer_email);
  Line(&out, absl::StrCat("ORGANIZER", org_name.empty() ? "" : absl::StrCat(";CN=", ParamValue(org_name)),
                          ":mailto:", Clean(org_addr)));
  const auto [att_name, att_addr] = SplitAddress(attendee_email);
  Line(&out, absl::StrCat("ATTENDEE", att_name.empty() ? "" : absl::StrCat(";CN=", ParamValue(att_name)),
                          ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:", Clean(att_addr)));
  Line(&out, "TRANSP:OPAQUE");
  Line(&out, "END:VEVENT");
  Line(&out, "END:VCALENDAR");
  return out;
}

}  // namespace etnik::notifications
