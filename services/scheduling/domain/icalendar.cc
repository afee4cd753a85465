#include "services/scheduling/domain/icalendar.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"

namespace etnik::scheduling {
namespace {

constexpr size_t kMaxLineOctets = 75;

std::string UtcStamp(absl::Time t) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", t, absl::UTCTimeZone());
}

std::string LocalStamp(absl::CivilSecond cs) {
  return absl::StrFormat("%04d%02d%02dT%02d%02d%02d", cs.year(), cs.month(), cs.day(), cs.hour(),
                         cs.minute(), cs.second());
}

// UTC offset as +hhmm or +hhmmss.
std::string Offset(int seconds) {
  const char sign = seconds < 0 ? '-' : '+';
  int s = seconds < 0 ? -seconds : seconds;
  std::string out = absl::StrFormat("%c%02d%02d", sign, s / 3600, (s / 60) % 60);
  if (s % 60 != 0) absl::StrAppendFormat(&out, "%02d", s % 60);
  return out;
}

// DTSTART/DTEND of an instant in the session's zone. A local time that occurs twice (the hour
// repeated when clocks go back) is read by calendar programs as its first occurrence, so an
// instant in the second occurrence is written in UTC instead and never shifts.
std::string DateTimeProperty(absl::string_view property, absl::Time t, absl::string_view zone_name,
                             const absl::TimeZone& zone) {
  const absl::CivilSecond local = absl::ToCivilSecond(t, zone);
  const absl::TimeZone::TimeInfo info = zone.At(local);
  if (info.kind == absl::TimeZone::TimeInfo::REPEATED && info.pre != t) {
    return absl::StrCat(property, ":", UtcStamp(t));
  }
  return absl::StrCat(property, ";TZID=", zone_name, ":", LocalStamp(local));
}

void Line(std::string* out, absl::string_view line) { out->append(FoldLine(line)); }

// A URI value is written unescaped; it never holds control characters, and dropping any that a
// stored value has keeps it from starting a property of its own.
std::string UriValue(absl::string_view uri) {
  std::string out;
  for (char c : uri) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != '\x7f') out += c;
  }
  return out;
}

}  // namespace

std::string EscapeText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default:
        // Other control characters are not allowed in TEXT.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        out += c;
    }
  }
  return out;
}

std::string FoldLine(absl::string_view line) {
  std::string out;
  size_t limit = kMaxLineOctets;  // the first line has 75 octets, continuations 1 + 74
  while (line.size() > limit) {
    size_t cut = limit;
    // Never split a UTF-8 sequence: back off over continuation bytes (10xxxxxx).
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0) cut = limit;  // not UTF-8; split anyway
    out.append(line.data(), cut);
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;
  }
  out.append(line.data(), line.size());
  out += "\r\n";
  return out;
}

std::string SessionUid(const Session& session, absl::string_view domain) {
  return absl::StrCat(absl::StrReplaceAll(session.name(), {{"/", "."}}), "@", domain);
}

std::string ContentEtag(absl::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return absl::StrFormat("\"%016x\"", h);
}

absl::StatusOr<std::string> RenderVTimezone(absl::string_view zone_name, const Interval& span) {
  absl::TimeZone zone;
  if (zone_name.empty() || !absl::LoadTimeZone(std::string(zone_name), &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone '", zone_name, "'"));
  }
  std::string out;
  Line(&out, "BEGIN:VTIMEZONE");
  Line(&out, absl::StrCat("TZID:", zone_name));
  auto observance = [&](absl::CivilSecond start, absl::Time at) {
    const absl::TimeZone::CivilInfo before = zone.At(at - absl::Seconds(1));
    const absl::TimeZone::CivilInfo after = zone.At(at);
    const char* kind = after.is_dst ? "DAYLIGHT" : "STANDARD";
    Line(&out, absl::StrCat("BEGIN:", kind));
    Line(&out, absl::StrCat("DTSTART:", LocalStamp(start)));
    Line(&out, absl::StrCat("TZOFFSETFROM:", Offset(before.offset)));
    Line(&out, absl::StrCat("TZOFFSETTO:", Offset(after.offset)));
    if (after.zone_abbr != nullptr && after.zone_abbr[0] != '\0') {
      Line(&out, absl::StrCat("TZNAME:", EscapeText(after.zone_abbr)));
    }
    Line(&out, absl::StrCat("END:", kind));
  };
  // The instant a transition takes effect: its new local time, second occurrence if repeated.
  auto instant_of = [&](const absl::TimeZone::CivilTransition& t) { return zone.At(t.to).post; };
  absl::TimeZone::CivilTransition trans;
  if (zone.PrevTransition(span.start + absl::Seconds(1), &trans)) {
    observance(trans.from, instant_of(trans));
  } else {
    // No transition ever (UTC, fixed offsets): one observance from 1970 on.
    const absl::TimeZone::CivilInfo info = zone.At(span.start);
    Line(&out, "BEGIN:STANDARD");
    Line(&out, "DTSTART:19700101T000000");
    Line(&out, absl::StrCat("TZOFFSETFROM:", Offset(info.offset)));
    Line(&out, absl::StrCat("TZOFFSETTO:", Offset(info.offset)));
    Line(&out, "END:STANDARD");
  }
  absl::Time cursor = span.start;
  while (zone.NextTransition(cursor, &trans)) {
    const absl::Time at = instant_of(trans);
    if (at > span.end || at <= cursor) break;
    observance(trans.from, at);
    cursor = at;
  }
  Line(&out, "END:VTIMEZONE");
  return out;
}

absl::StatusOr<std::string> RenderCalendar(const std::vector<CalendarEntry>& entries,
                                           const CalendarOptions& options) {
  std::string out;
  Line(&out, "BEGIN:VCALENDAR");
  Line(&out, "VERSION:2.0");
  Line(&out, "PRODID:-//etnik//scheduling//RU");
  Line(&out, "CALSCALE:GREGORIAN");
  Line(&out, "METHOD:PUBLISH");
  if (!options.name.empty()) Line(&out, absl::StrCat("X-WR-CALNAME:", EscapeText(options.name)));
  // Every zone used, with the span of its sessions.
  std::map<std::string, Interval> spans;
  for (const CalendarEntry& e : entries) {
    auto [it, inserted] = spans.emplace(e.session.time_zone, e.session.interval());
    if (!inserted) {
      it->second.start = std::min(it->second.start, e.session.start);
      it->second.end = std::max(it->second.end, e.session.end);
    }
  }
  std::map<std::string, absl::TimeZone> zones;
  for (const auto& [name, span] : spans) {
    absl::StatusOr<std::string> vtimezone = RenderVTimezone(name, span);
    if (!vtimezone.ok()) return vtimezone.status();
    out += *vtimezone;
    absl::LoadTimeZone(name, &zones[name]);
  }
  for (const CalendarEntry& e : entries) {
    const Session& s = e.session;
    const absl::TimeZone& zone = zones[s.time_zone];
    Line(&out, "BEGIN:VEVENT");
    Line(&out, absl::StrCat("UID:", SessionUid(s, options.uid_domain)));
    Line(&out, absl::StrCat("DTSTAMP:", UtcStamp(s.update_time)));
    Line(&out, DateTimeProperty("DTSTART", s.start, s.time_zone, zone));
    Line(&out, DateTimeProperty("DTEND", s.end, s.time_zone, zone));
    Line(&out, absl::StrCat("CREATED:", UtcStamp(s.create_time)));
    Line(&out, absl::StrCat("LAST-MODIFIED:", UtcStamp(s.update_time)));
    Line(&out, absl::StrCat("SEQUENCE:", s.sequence));
    Line(&out, absl::StrCat("STATUS:", s.state == SessionState::kCancelled ? "CANCELLED" : "CONFIRMED"));
    const std::string& title = s.title.empty() ? e.event_title.In(options.language)
                                               : s.title.In(options.language);
    Line(&out, absl::StrCat("SUMMARY:", EscapeText(title)));
    std::string description = s.description.In(options.language);
    if (!s.online_room.join_uri.empty()) {
      if (!description.empty()) description += "\n\n";
      absl::StrAppend(&description, s.online_room.join_uri);
    }
    if (!description.empty()) Line(&out, absl::StrCat("DESCRIPTION:", EscapeText(description)));
    const std::string& location = e.location.empty() ? s.online_room.join_uri : e.location;
    if (!location.empty()) Line(&out, absl::StrCat("LOCATION:", EscapeText(location)));
    if (!s.online_room.join_uri.empty()) Line(&out, absl::StrCat("URL:", UriValue(s.online_room.join_uri)));
    Line(&out, absl::StrCat("CATEGORIES:", EscapeText(EventKindName(s.event_kind))));
    Line(&out, "TRANSP:OPAQUE");
    Line(&out, "END:VEVENT");
  }
  Line(&out, "END:VCALENDAR");
  return out;
}

}  // namespace etnik::scheduling
