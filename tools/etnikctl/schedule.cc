#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/etnikctl/import.h"

namespace etnik::ctl {
namespace {

namespace sched = etnik::scheduling::v1;

std::string KindName(etnik::common::v1::EventKind kind) {
  std::string name = etnik::common::v1::EventKind_Name(kind);
  const std::string prefix = "EVENT_KIND_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// The session's own local time: what the people taking part see.
std::string LocalTime(const google::protobuf::Timestamp& t, const std::string& zone_name, const char* format) {
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!zone_name.empty()) absl::LoadTimeZone(zone_name, &zone);
  return absl::FormatTime(format, absl::FromUnixSeconds(t.seconds()), zone);
}

}  // namespace

int PrintSchedule(const std::string& programme, const Endpoints& endpoints, const std::string& token) {
  auto stub = sched::SchedulingService::NewStub(Connect(endpoints.scheduling));
  sched::ListSessionsRequest req;
  req.set_parent("events/-");
  req.set_programme(programme);
  req.set_page_size(1000);
  std::vector<sched::Session> sessions;
  do {
    sched::ListSessionsResponse resp;
    grpc::Status st = CallWithRetry(token, [&](grpc::ClientContext& c) { return stub->ListSessions(&c, req, &resp); });
    if (!st.ok()) {
      std::cerr << "etnikctl: "
                << HumanError({"scheduling", endpoints.scheduling}, "list the sessions of " + programme, st, token)
                << "\n";
      return 1;
    }
    sessions.insert(sessions.end(), resp.sessions().begin(), resp.sessions().end());
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  std::cout << absl::StrFormat("%-16s %-5s %-5s %-13s %-10s %-34s %s\n", "DATE", "START", "END", "KIND", "STATE",
                               "HOSTS", "TITLE");
  for (const sched::Session& s : sessions) {
    std::cout << absl::StrFormat(
        "%-16s %-5s %-5s %-13s %-10s %-34s %s\n", LocalTime(s.start_time(), s.time_zone(), "%Y-%m-%d %a"),
        LocalTime(s.start_time(), s.time_zone(), "%H:%M"), LocalTime(s.end_time(), s.time_zone(), "%H:%M"),
        KindName(s.event_kind()),
        absl::AsciiStrToLower(std::string(absl::StripPrefix(sched::SessionState_Name(s.state()), "SESSION_STATE_"))),
        absl::StrJoin(s.hosts(), ","), s.title().ru().empty() ? s.title().en() : s.title().ru());
  }
  std::cout << sessions.size() << " sessions\n";
  return 0;
}

}  // namespace etnik::ctl
