#ifndef ETNIK_SERVICES_SCHEDULING_API_ICS_CHECK_H_
#define ETNIK_SERVICES_SCHEDULING_API_ICS_CHECK_H_

// Test helpers for calendar feeds: our own check of the required RFC 5545 properties, and the
// independent one (python3-icalendar, tools/check_ics.py), whose parsed instants come back so
// tests can compare them with what the API returned.

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace etnik::scheduling::testing {

// Our check: CRLF, folding, one VCALENDAR, required properties per VEVENT, a VTIMEZONE for
// every TZID. Returns the number of VEVENTs.
inline int CheckRequiredProperties(const std::string& body) {
  EXPECT_TRUE(absl::StartsWith(body, "BEGIN:VCALENDAR\r\n"));
  EXPECT_TRUE(absl::EndsWith(body, "END:VCALENDAR\r\n"));
  for (absl::string_view physical : absl::StrSplit(body, "\r\n")) {
    EXPECT_LE(physical.size(), 75u) << physical;
    EXPECT_EQ(physical.find('\n'), absl::string_view::npos) << "bare LF in " << physical;
  }
  const std::string unfolded = absl::StrReplaceAll(body, {{"\r\n ", ""}});
  std::vector<std::string> lines = absl::StrSplit(unfolded, "\r\n", absl::SkipEmpty());
  std::set<std::string> zones, used_zones, uids;
  std::set<std::string> props;
  int events = 0;
  bool in_event = false;
  for (const std::string& line : lines) {
    if (line == "BEGIN:VEVENT") {
      in_event = true;
      props.clear();
      continue;
    }
    if (line == "END:VEVENT") {
      in_event = false;
      ++events;
      for (const char* p : {"UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY"}) {
        EXPECT_TRUE(props.count(p)) << "VEVENT without " << p;
      }
      continue;
    }
    if (absl::StartsWith(line, "TZID:")) zones.insert(line.substr(5));
    if (!in_event) continue;
    const size_t end = line.find_first_of(";:");
    EXPECT_NE(end, std::string::npos) << line;
    if (end == std::string::npos) continue;
    const std::string name = line.substr(0, end);
    props.insert(name);
    if (name == "UID") {
      EXPECT_TRUE(uids.insert(line).second) << "duplicate " << line;
    }
    if (name == "DTSTAMP") {
      EXPECT_TRUE(absl::EndsWith(line, "Z")) << line;
    }
    if (name == "STATUS") {
      EXPECT_TRUE(line == "STATUS:CONFIRMED" || line == "STATUS:CANCELLED") << line;
    }
    const size_t tzid = line.find(";TZID=");
    if (tzid != std::string::npos && tzid < line.find(':')) {
      used_zones.insert(line.substr(tzid + 6, line.find(':') - tzid - 6));
    }
  }
  for (const std::string& z : used_zones) EXPECT_TRUE(zones.count(z)) << "no VTIMEZONE for " << z;
  return events;
}

struct ParsedEvent {
  absl::Time start;
  absl::Time end;
  std::string status;
  int sequence = 0;
  std::string summary;
};

// Runs tools/check_ics.py (python3-icalendar) over the bodies; one map uid -> event per body.
inline std::vector<std::map<std::string, ParsedEvent>> ParseWithPython(
    const std::vector<std::string>& bodies) {
  std::vector<std::map<std::string, ParsedEvent>> out;
  std::string dir = ::testing::TempDir();
  std::string args;
  for (size_t i = 0; i < bodies.size(); ++i) {
    std::string path = absl::StrCat(dir, "/etnik-feed-", ::getpid(), "-", i, ".ics");
    std::ofstream(path, std::ios::binary) << bodies[i];
    absl::StrAppend(&args, " ", path);
  }
  const std::string command =
      absl::StrCat("/usr/bin/python3 ", ETNIK_SOURCE_DIR, "/services/scheduling/tools/check_ics.py", args);
  FILE* pipe = ::popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  if (pipe == nullptr) return out;
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int rc = ::pclose(pipe);
  EXPECT_EQ(rc, 0) << "python3-icalendar refused a feed (see stderr)";
  for (absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct doc;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &doc).ok()) << line;
    std::map<std::string, ParsedEvent> events;
    for (const auto& [uid, value] : doc.fields().at("events").struct_value().fields()) {
      const auto& f = value.struct_value().fields();
      ParsedEvent e;
      std::string err;
      EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, f.at("start").string_value(), &e.start, &err)) << err;
      EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, f.at("end").string_value(), &e.end, &err)) << err;
      e.status = f.at("status").string_value();
      e.sequence = static_cast<int>(f.at("sequence").number_value());
      e.summary = f.at("summary").string_value();
      events[uid] = e;
    }
    out.push_back(std::move(events));
  }
  EXPECT_EQ(out.size(), bodies.size());
  return out;
}

}  // namespace etnik::scheduling::testing

#endif  // ETNIK_SERVICES_SCHEDULING_API_ICS_CHECK_H_
