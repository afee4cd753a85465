#include "services/scheduling/domain/icalendar.h"

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::scheduling {
namespace {

using ::testing::HasSubstr;

absl::Time Local(const char* zone_name, int y, int mo, int d, int h, int mi = 0) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(zone_name, &zone));
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone);
}

Session Make(const char* id, const char* zone, absl::Time start) {
  Session s;
  s.event_id = "webinars";
  s.id = id;
  s.start = start;
  s.end = start + absl::Hours(1);
  s.time_zone = zone;
  s.title.ru = "Вебинар";
  s.event_kind = EventKind::kWebinar;
  s.create_time = s.update_time = absl::FromUnixSeconds(1617235200);
  return s;
}

// Unfolds and splits into logical lines, checking the physical form on the way.
std::vector<std::string> Lines(const std::string& body) {
  EXPECT_TRUE(absl::EndsWith(body, "\r\n"));
  for (absl::string_view physical : absl::StrSplit(body, "\r\n")) {
    EXPECT_LE(physical.size(), 75u) << physical;
    EXPECT_EQ(physical.find('\n'), absl::string_view::npos);
  }
  std::string unfolded = absl::StrReplaceAll(body, {{"\r\n ", ""}});
  std::vector<std::string> out = absl::StrSplit(unfolded, "\r\n", absl::SkipEmpty());
  return out;
}

TEST(ICalendar, EscapesTextValues) {
  EXPECT_EQ(EscapeText("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
}

TEST(ICalendar, FoldsAt75OctetsWithoutSplittingUtf8) {
  std::string line = "SUMMARY:";
  for (int i = 0; i < 60; ++i) line += "Ж";  // two octets each
  std::string folded = FoldLine(line);
  EXPECT_TRUE(absl::EndsWith(folded, "\r\n"));
  for (absl::string_view part : absl::StrSplit(folded, "\r\n", absl::SkipEmpty())) {
    EXPECT_LE(part.size(), 75u);
    absl::string_view content = part;
    absl::ConsumePrefix(&content, " ");
    // Each part begins on a character boundary (not a continuation byte).
    EXPECT_NE(static_cast<unsigned char>(content[0]) & 0xC0, 0x80);
  }
  EXPECT_EQ(absl::StrReplaceAll(folded, {{"\r\n ", ""}}), line + "\r\n");
}

TEST(ICalendar, RendersRequiredPropertiesAndZones) {
  Session moscow = Make("m", "Europe/Moscow", Local("Europe/Moscow", 2021, 5, 20, 15));
  moscow.sequence = 2;
  moscow.state = SessionState::kCancelled;
  moscow.description.ru = "Ссылка, пароль; всё\nтут";
  Session berlin = Make("b", "Europe/Berlin", Local("Europe/Berlin", 2021, 3, 29, 10));
  Session berlin_winter = Make("bw", "Europe/Berlin", Local("Europe/Berlin", 2021, 3, 22, 10));
  absl::StatusOr<std::string> body =
      RenderCalendar({{moscow, {}, ""}, {berlin_winter, {}, ""}, {berlin, {}, "Отель, зал А"}},
                     {"Программа", Language::kRu, "etnik"});
  ASSERT_TRUE(body.ok()) << body.status();
  std::vector<std::string> lines = Lines(*body);
  std::string all = absl::StrJoin(lines, "\n");
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  EXPECT_THAT(all, HasSubstr("VERSION:2.0"));
  EXPECT_THAT(all, HasSubstr("PRODID:"));
  EXPECT_THAT(all, HasSubstr("UID:events.webinars.sessions.m@etnik"));
  EXPECT_THAT(all, HasSubstr("DTSTAMP:20210401T000000Z"));
  EXPECT_THAT(all, HasSubstr("DTSTART;TZID=Europe/Moscow:20210520T150000"));
  EXPECT_THAT(all, HasSubstr("SEQUENCE:2"));
  EXPECT_THAT(all, HasSubstr("STATUS:CANCELLED"));
  EXPECT_THAT(all, HasSubstr("DESCRIPTION:Ссылка\\, пароль\\; всё\\nтут"));
  EXPECT_THAT(all, HasSubstr("LOCATION:Отель\\, зал А"));
  // Both Berlin sessions keep 10:00 on the wall clock, on either side of the change.
  EXPECT_THAT(all, HasSubstr("DTSTART;TZID=Europe/Berlin:20210322T100000"));
  EXPECT_THAT(all, HasSubstr("DTSTART;TZID=Europe/Berlin:20210329T100000"));
  // One VTIMEZONE per zone; Berlin's spans the 28 March change.
  EXPECT_THAT(all, HasSubstr("TZID:Europe/Moscow"));
  EXPECT_THAT(all, HasSubstr("BEGIN:DAYLIGHT\nDTSTART:20210328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200"));
  EXPECT_THAT(all, HasSubstr("TZOFFSETTO:+0300"));
  // An unchanged calendar is byte-identical (stable UID and DTSTAMP): feeds can be cached.
  EXPECT_EQ(*body, *RenderCalendar({{moscow, {}, ""}, {berlin_winter, {}, ""}, {berlin, {}, "Отель, зал А"}},
                                   {"Программа", Language::kRu, "etnik"}));
}

TEST(ICalendar, SecondOccurrenceOfARepeatedHourIsWrittenInUtc) {
  // 31 October 2021, Berlin: 02:30 happens twice. The later one must not be read as the first.
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  absl::TimeZone::TimeInfo info = berlin.At(absl::CivilSecond(2021, 10, 31, 2, 30, 0));
  ASSERT_EQ(info.kind, absl::TimeZone::TimeInfo::REPEATED);
  Session first = Make("first", "Europe/Berlin", info.pre);
  Session second = Make("second", "Europe/Berlin", info.post);
  std::string all = absl::StrJoin(Lines(*RenderCalendar({{first, {}, ""}, {second, {}, ""}}, {})), "\n");
  EXPECT_THAT(all, HasSubstr("DTSTART;TZID=Europe/Berlin:20211031T023000"));
  EXPECT_THAT(all, HasSubstr("DTSTART:20211031T013000Z"));
}

}  // namespace
}  // namespace etnik::scheduling
