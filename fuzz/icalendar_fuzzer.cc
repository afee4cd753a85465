// The iCalendar writer of the scheduling feeds. Whatever the sessions hold (titles with commas,
// newlines and control bytes, long Cyrillic text, odd zones and times), the document must be
// RFC 5545-shaped: CRLF line ends and no bare CR or LF, lines of at most 75 octets, folded
// continuations starting with a space and never splitting a UTF-8 character of valid text,
// BEGIN/END balanced and nested, one VEVENT per session, and TEXT values that unescape to the
// session's own text.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "fuzz/fuzz_input.h"
#include "services/scheduling/domain/icalendar.h"

namespace {

using etnik::fuzz::FuzzInput;
namespace sched = etnik::scheduling;

constexpr const char* kTexts[] = {"",
                                  "Мастер-класс; ткачество, пояса",
                                  "line one\nline two\r\nthree",
                                  "back\\slash",
                                  "tab\there",
                                  "\x01\x02\x7f",
                                  "Очень длинное название занятия про народные промыслы Смоленщины и соседних областей",
                                  "\xD0",
                                  "END:VEVENT\r\nBEGIN:VEVENT"};
constexpr const char* kZones[] = {"Europe/Moscow", "Europe/Berlin", "Asia/Vladivostok", "UTC",
                                  "America/New_York", "Australia/Lord_Howe", "Etc/GMT-14", "Europe/Moscow"};
constexpr const char* kUris[] = {"", "https://meet.example.org/room?id=1,2;3", "https://example.org/\r\nX-EVIL:1",
                                 "https://пример.рф/комната"};

// TEXT value back to the text it was made from (RFC 5545 3.3.11).
std::string Unescape(const std::string& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      const char n = v[++i];
      out += (n == 'n' || n == 'N') ? '\n' : n;
    } else {
      out += v[i];
    }
  }
  return out;
}

// What EscapeText keeps of a text: everything but CR and control characters other than tab/LF.
std::string Kept(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\r' || (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')) continue;
    out += c;
  }
  return out;
}

void CheckDocument(const std::string& doc, const std::vector<sched::CalendarEntry>& entries, bool all_utf8) {
  FUZZ_CHECK(absl::EndsWith(doc, "\r\n"));
  std::vector<std::string> physical = absl::StrSplit(doc.substr(0, doc.size() - 2), "\r\n");
  std::vector<std::string> logical;
  for (const std::string& line : physical) {
    FUZZ_CHECK(line.size() <= 75);
    FUZZ_CHECK(line.find('\r') == std::string::npos && line.find('\n') == std::string::npos);
    if (!line.empty() && line[0] == ' ') {
      FUZZ_CHECK(!logical.empty());
      logical.back() += line.substr(1);
      // A fold inside a character would leave a continuation byte first.
      if (all_utf8 && line.size() > 1) FUZZ_CHECK((static_cast<unsigned char>(line[1]) & 0xC0) != 0x80);
    } else {
      FUZZ_CHECK(!line.empty());
      logical.push_back(line);
    }
  }
  std::vector<std::string> open;
  size_t events = 0, summary = 0;
  for (const std::string& line : logical) {
    if (absl::StartsWith(line, "BEGIN:")) {
      open.push_back(line.substr(6));
      if (line == "BEGIN:VEVENT") ++events;
    } else if (absl::StartsWith(line, "END:")) {
      FUZZ_CHECK(!open.empty() && open.back() == line.substr(4));
      open.pop_back();
    } else if (absl::StartsWith(line, "SUMMARY:")) {
      const sched::Session& s = entries[summary].session;
      const std::string& title = s.title.empty() ? entries[summary].event_title.ru : s.title.ru;
      FUZZ_CHECK(Unescape(line.substr(8)) == Kept(title));
      ++summary;
    } else {
      FUZZ_CHECK(!open.empty());  // nothing outside VCALENDAR
    }
  }
  FUZZ_CHECK(open.empty());
  FUZZ_CHECK(events == entries.size() && summary == entries.size());
  FUZZ_CHECK(logical.front() == "BEGIN:VCALENDAR" && logical.back() == "END:VCALENDAR");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  sched::CalendarOptions options;
  options.name = in.Text(kTexts, 100);
  options.language = sched::Language::kRu;
  std::vector<sched::CalendarEntry> entries(in.Byte() % 5);
  bool all_utf8 = etnik::fuzz::IsUtf8(options.name);
  const absl::Time base = absl::FromUnixSeconds(1622534400);  // 2021-06-01
  for (size_t i = 0; i < entries.size(); ++i) {
    sched::CalendarEntry& e = entries[i];
    sched::Session& s = e.session;
    s.event_id = "e" + std::to_string(i);
    s.id = "s" + std::to_string(i);
    s.title.ru = in.Text(kTexts, 200);
    s.title.en = in.Text(kTexts, 20);
    s.description.ru = in.Text(kTexts, 300);
    e.event_title.ru = in.Text(kTexts, 100);
    e.location = in.Text(kTexts, 100);
    s.online_room.join_uri = in.Text(kUris, 100);
    s.time_zone = in.Pick(kZones);
    s.start = base + absl::Minutes(in.Int(-60 * 24 * 365 * 60, 60 * 24 * 365 * 60));
    s.end = s.start + absl::Minutes(in.Int(1, 60 * 24));
    s.create_time = base;
    s.update_time = base + absl::Seconds(in.Int(0, 1 << 30));
    s.sequence = static_cast<int32_t>(in.Int(0, 1000));
    s.state = in.Bool() ? sched::SessionState::kCancelled : sched::SessionState::kScheduled;
    s.event_kind = static_cast<sched::EventKind>(in.Int(0, sched::kMaxEventKind));
    for (const std::string* t : {&s.title.ru, &s.description.ru, &e.event_title.ru, &e.location, &s.online_room.join_uri}) {
      all_utf8 = all_utf8 && etnik::fuzz::IsUtf8(*t);
    }
  }
  absl::StatusOr<std::string> doc = sched::RenderCalendar(entries, options);
  FUZZ_CHECK(doc.ok());  // every zone above exists
  CheckDocument(*doc, entries, all_utf8);

  // Folding alone: unfolds to the line, every part within 75 octets.
  const std::string line = in.Rest();
  if (line.find_first_of("\r\n") == std::string::npos) {
    const std::string folded = sched::FoldLine(line);
    FUZZ_CHECK(absl::EndsWith(folded, "\r\n"));
    const std::vector<std::string> parts = absl::StrSplit(folded.substr(0, folded.size() - 2), "\r\n");
    std::string unfolded = parts[0];
    for (size_t i = 0; i < parts.size(); ++i) {
      FUZZ_CHECK(parts[i].size() <= 75);
      if (i > 0) {
        FUZZ_CHECK(parts[i].size() >= 2 && parts[i][0] == ' ');
        unfolded += parts[i].substr(1);
      }
    }
    FUZZ_CHECK(unfolded == line);
  }
  return 0;
}
