#include "services/notifications/domain/invitation.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::notifications {
namespace {

using ::testing::HasSubstr;

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

// What python3-icalendar read from the invitation (testing/check_invitation.py).
std::map<std::string, std::string> ParseWithPython(const std::string& ics) {
  static int counter = 0;
  const std::string path = absl::StrCat(::testing::TempDir(), "/etnik-invite-", ::getpid(), "-", ++counter, ".ics");
  std::ofstream(path, std::ios::binary) << ics;
  const std::string command = absl::StrCat(
      "/usr/bin/python3 ", ETNIK_SOURCE_DIR, "/services/notifications/domain/testing/check_invitation.py ", path);
  FILE* pipe = ::popen(command.c_str(), "r");
  std::map<std::string, std::string> out;
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed";
    return out;
  }
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0) << "python3-icalendar refused the invitation:\n" << ics;
  std::remove(path.c_str());
  google::protobuf::Struct doc;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(output, &doc).ok()) << output;
  for (const auto& [key, value] : doc.fields()) {
    out[key] = value.has_number_value() ? absl::StrCat(static_cast<int>(value.number_value()))
                                        : value.string_value();
  }
  return out;
}

SessionInfo Session() {
  SessionInfo s;
  s.uid = "events.e1.sessions.s1@etnik";
  s.title = "Мастер-класс: заявка на грант; бюджет, отчётность и всё, что нужно знать о конкурсе";
  s.location = "Казань, ул. Баумана, 1";
  s.url = "https://meet.example.org/room-1";
  s.start = Utc(2026, 11, 25, 12, 0);
  s.end = Utc(2026, 11, 25, 14, 0);
  s.zone = "Europe/Moscow";
  s.sequence = 2;
  return s;
}

TEST(Invitation, RequestIsWellFormedAndReadByAnIndependentParser) {
  const std::string ics = BuildInvitation(Session(), "etnik <noreply@etnik.local>", "anna@example.org",
                                          Utc(2026, 11, 20, 9, 0));
  for (absl::string_view line : absl::StrSplit(ics, "\r\n")) EXPECT_LE(line.size(), 75u) << line;
  EXPECT_TRUE(absl::StartsWith(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  EXPECT_TRUE(absl::EndsWith(ics, "END:VCALENDAR\r\n"));
  const std::string unfolded = absl::StrReplaceAll(ics, {{"\r\n ", ""}});
  EXPECT_THAT(unfolded, HasSubstr("\r\nDTSTART;TZID=Europe/Moscow:20261125T150000\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Moscow\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("SUMMARY:Мастер-класс: заявка на грант\\; бюджет\\, отчётность"));
  EXPECT_THAT(unfolded, HasSubstr("LOCATION:Казань\\, ул. Баумана\\, 1\r\n"));

  auto p = ParseWithPython(ics);
  EXPECT_EQ(p["method"], "REQUEST");
  EXPECT_EQ(p["uid"], "events.e1.sessions.s1@etnik");
  EXPECT_EQ(p["start"], "2026-11-25T12:00:00Z");
  EXPECT_EQ(p["end"], "2026-11-25T14:00:00Z");
  EXPECT_EQ(p["tzid"], "Europe/Moscow");
  EXPECT_EQ(p["dtstamp"], "2026-11-20T09:00:00Z");
  EXPECT_EQ(p["sequence"], "2");
  EXPECT_EQ(p["status"], "CONFIRMED");
  EXPECT_EQ(p["summary"], Session().title);  // escaping and folding undone exactly
  EXPECT_EQ(p["location"], "Казань, ул. Баумана, 1");
  EXPECT_EQ(p["url"], "https://meet.example.org/room-1");
  EXPECT_EQ(p["organizer"], "mailto:noreply@etnik.local");
  EXPECT_EQ(p["organizer_cn"], "etnik");
  EXPECT_EQ(p["attendee"], "mailto:anna@example.org");
  EXPECT_EQ(InvitationContentType(Session()), "text/calendar; method=REQUEST; charset=UTF-8");
}

TEST(Invitation, CancelKeepsTheUidAndRaisesNothingElse) {
  SessionInfo s = Session();
  s.cancelled = true;
  s.sequence = 3;
  auto p = ParseWithPython(BuildInvitation(s, "noreply@etnik.local", "Анна <anna@example.org>", Utc(2026, 11, 21, 9, 0)));
  EXPECT_EQ(p["method"], "CANCEL");
  EXPECT_EQ(p["status"], "CANCELLED");
  EXPECT_EQ(p["uid"], s.uid);
  EXPECT_EQ(p["sequence"], "3");
  EXPECT_EQ(p["organizer_cn"], "");
  EXPECT_EQ(InvitationContentType(s), "text/calendar; method=CANCEL; charset=UTF-8");
}

TEST(Invitation, BerlinSessionAcrossTheAutumnChange) {
  // 00:30 UTC is the first 02:30 in Berlin, 01:30 UTC the repeated one: both must come back exact.
  for (absl::Time start : {Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 25, 1, 30), Utc(2026, 10, 24, 22, 0)}) {
    SessionInfo s = Session();
    s.zone = "Europe/Berlin";
    s.start = start;
    s.end = start + absl::Hours(3);
    const std::string ics = BuildInvitation(s, "noreply@etnik.local", "a@example.org", start);
    if (start != Utc(2026, 10, 24, 22, 0)) {
      EXPECT_THAT(ics, HasSubstr(absl::FormatTime("\r\nDTSTART:%Y%m%dT%H%M%SZ\r\n", start, absl::UTCTimeZone())));
    }
    auto p = ParseWithPython(ics);
    EXPECT_EQ(p["start"], absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", s.start, absl::UTCTimeZone()));
    EXPECT_EQ(p["end"], absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", s.end, absl::UTCTimeZone()));
  }
}

TEST(Invitation, VladivostokAndUnknownZones) {
  SessionInfo s = Session();
  s.zone = "Asia/Vladivostok";
  auto p = ParseWithPython(BuildInvitation(s, "noreply@etnik.local", "a@example.org", s.start));
  EXPECT_EQ(p["tzid"], "Asia/Vladivostok");
  EXPECT_EQ(p["start"], "2026-11-25T12:00:00Z");
  s.zone = "Mars/Olympus";
  const std::string ics = BuildInvitation(s, "noreply@etnik.local", "a@example.org", s.start);
  EXPECT_THAT(ics, HasSubstr("DTSTART:20261125T120000Z\r\n"));
  EXPECT_THAT(ics, ::testing::Not(HasSubstr("VTIMEZONE")));
  EXPECT_EQ(ParseWithPython(ics)["start"], "2026-11-25T12:00:00Z");
}

TEST(Invitation, HostileTextCannotAddProperties) {
  SessionInfo s = Session();
  s.title = "Занятие\r\nATTENDEE:mailto:evil@example.org";
  s.url = "https://x.example/\r\nMETHOD:CANCEL";
  const std::string ics = BuildInvitation(s, "noreply@etnik.local", "a@example.org\r\nX:1", s.start);
  EXPECT_THAT(ics, ::testing::Not(HasSubstr("\r\nATTENDEE:mailto:evil")));
  EXPECT_THAT(ics, ::testing::Not(HasSubstr("\r\nMETHOD:CANCEL")));
  auto p = ParseWithPython(ics);
  EXPECT_EQ(p["method"], "REQUEST");
  EXPECT_EQ(p["summary"], "Занятие\nATTENDEE:mailto:evil@example.org");
}

}  // namespace
}  // namespace etnik::notifications
