// etnikctl report: CSV files for grant reports, from the services' export and list RPCs.

#include <iostream>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "etnik/hubs/v1/hubs_service.grpc.pb.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/etnikctl/commands.h"

namespace etnik::ctl {
namespace {

namespace reg = etnik::registration::v1;
namespace hubs = etnik::hubs::v1;
namespace sched = etnik::scheduling::v1;
namespace cv1 = etnik::common::v1;

// One CSV field (RFC 4180): quoted when it holds a separator, quote or line break.
std::string Field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A row with CRLF, as the registration service's own export writes it.
std::string Row(const std::vector<std::string>& fields) {
  std::vector<std::string> quoted;
  for (const std::string& f : fields) quoted.push_back(Field(f));
  return absl::StrCat(absl::StrJoin(quoted, ","), "\r\n");
}

std::string Lower(const std::string& enum_name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::StripPrefix(enum_name, prefix));
}

std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(t.seconds()), absl::UTCTimeZone());
}

class Reporter {
 public:
  Reporter(const Endpoints& e, std::string token, std::string programme)
      : e_(e), token_(std::move(token)), programme_(std::move(programme)) {}

  // The CSV text, or nullopt after explaining the failure.
  std::optional<std::string> Applications(int* rows) {
    auto stub = reg::RegistrationService::NewStub(Connect(e_.registration));
    reg::ExportApplicationsRequest req;
    req.set_parent(programme_);
    req.set_language(cv1::LANGUAGE_RU);
    reg::ExportApplicationsResponse resp;
    if (!Ok({"registration", e_.registration}, "export the applications of " + programme_,
            CallWithRetry(token_, [&](grpc::ClientContext& c) { return stub->ExportApplications(&c, req, &resp); }))) {
      return std::nullopt;
    }
    *rows = resp.row_count();
    return resp.csv_data();
  }

  std::optional<std::string> Participants(int* rows) {
    auto stub = reg::RegistrationService::NewStub(Connect(e_.registration));
    std::string csv = Row({"participant", "application", "organisation", "short_name", "inn", "ogrn", "region", "city",
                           "contact_person", "position", "email", "phone", "applicant", "score", "confirm_time"});
    reg::ListParticipantsRequest req;
    req.set_parent(programme_);
    grpc::Status st = ListAll<reg::ListParticipantsRequest, reg::ListParticipantsResponse>(
        token_, req, [&](grpc::ClientContext& c, const auto& r, auto* out) { return stub->ListParticipants(&c, r, out); },
        [&](const reg::ListParticipantsResponse& r) {
          for (const reg::Participant& p : r.participants()) {
            const auto& o = p.organisation();
            const auto& person = p.contact_person();
            csv += Row({p.name(), p.application(), o.full_name(), o.short_name(), o.inn(), o.ogrn(), o.region(), o.city(),
                        person.full_name(), person.position(), person.contact().email(), person.contact().phone(),
                        p.applicant(), absl::StrCat(p.score()), Time(p.confirm_time())});
            ++*rows;
          }
        });
    if (!Ok({"registration", e_.registration}, "list the participants of " + programme_, st)) return std::nullopt;
    return csv;
  }

  // Every service's targets with actuals, and the counts behind them.
  std::optional<std::string> Progress(int* rows) {
    std::string csv = Row({"service", "stage", "measure", "target", "actual"});
    auto add = [&](const std::string& service, const std::string& stage, const std::string& measure,
                   const std::string& target, int actual) {
      csv += Row({service, stage, measure, target, absl::StrCat(actual)});
      ++*rows;
    };
    auto targets = [&](const std::string& service, const auto& list) {
      for (const cv1::TargetProgress& t : list) {
        add(service, t.stage(), Lower(cv1::TargetMetric_Name(t.metric()), "TARGET_METRIC_"), absl::StrCat(t.target()),
            t.actual());
      }
    };
    {
      auto stub = reg::RegistrationService::NewStub(Connect(e_.registration));
      reg::GetRegistrationProgressRequest req;
      req.set_programme(programme_);
      reg::RegistrationProgress p;
      if (!Ok({"registration", e_.registration}, "read the registration progress of " + programme_,
              CallWithRetry(token_, [&](grpc::ClientContext& c) { return stub->GetRegistrationProgress(&c, req, &p); }))) {
        return std::nullopt;
      }
      targets("registration", p.targets());
      for (const reg::StateCount& s : p.applications()) {
        add("registration", "", "applications_" + Lower(reg::ApplicationState_Name(s.state()), "APPLICATION_STATE_"), "",
            s.count());
      }
      add("registration", "", "seats", "", p.seats());
      add("registration", "", "participants", "", p.participants());
      add("registration", "", "open_offers", "", p.open_offers());
      add("registration", "", "waitlisted", "", p.waitlisted());
      add("registration", "", "survey_responses", "", p.survey_responses());
    }
    {
      auto stub = hubs::HubsService::NewStub(Connect(e_.hubs));
      hubs::GetHubsProgressRequest req;
      req.set_programme(programme_);
      hubs::HubsProgress p;
      if (!Ok({"hubs", e_.hubs}, "read the hubs progress of " + programme_,
              CallWithRetry(token_, [&](grpc::ClientContext& c) { return stub->GetHubsProgress(&c, req, &p); }))) {
        return std::nullopt;
      }
      targets("hubs", p.targets());
      add("hubs", "", "draft_hubs", "", p.draft_hubs());
      add("hubs", "", "published_hubs", "", p.published_hubs());
      add("hubs", "", "closed_hubs", "", p.closed_hubs());
      add("hubs", "", "experts", "", p.experts());
      add("hubs", "", "assigned_participants", "", p.assigned_participants());
    }
    {
      auto stub = sched::SchedulingService::NewStub(Connect(e_.scheduling));
      sched::GetProgrammeProgressRequest req;
      req.set_programme(programme_);
      sched::ProgrammeProgress p;
      if (!Ok({"scheduling", e_.scheduling}, "read the scheduling progress of " + programme_,
              CallWithRetry(token_, [&](grpc::ClientContext& c) { return stub->GetProgrammeProgress(&c, req, &p); }))) {
        return std::nullopt;
      }
      targets("scheduling", p.targets());
      for (const sched::KindProgress& k : p.kinds()) {
        const std::string kind = Lower(cv1::EventKind_Name(k.kind()), "EVENT_KIND_");
        add("scheduling", "", kind + "_scheduled", "", k.scheduled());
        add("scheduling", "", kind + "_held", "", k.held());
        add("scheduling", "", kind + "_cancelled", "", k.cancelled());
      }
      add("scheduling", "", "attendance", "", p.attendance());
    }
    return csv;
  }

 private:
  bool Ok(const Target& target, const std::string& action, const grpc::Status& status) {
    if (status.ok()) return true;
    std::cerr << "etnikctl: " << HumanError(target, action, status, token_) << "\n";
    return false;
  }

  Endpoints e_;
  std::string token_;
  std::string programme_;
};

}  // namespace

int WriteReport(const std::string& programme, const std::string& kind, const std::string& out,
                const Endpoints& endpoints, const std::string& token) {
  Reporter reporter(endpoints, token, programme);
  int rows = 0;
  std::optional<std::string> csv;
  if (kind == "applications") {
    csv = reporter.Applications(&rows);
  } else if (kind == "participants") {
    csv = reporter.Participants(&rows);
  } else {
    csv = reporter.Progress(&rows);
  }
  if (!csv) return 1;
  if (!WriteOut(out, *csv)) return 1;
  std::cerr << kind << " of " << programme << ": " << rows << " rows" << (out == "-" ? "" : " in " + out) << "\n";
  return 0;
}

}  // namespace etnik::ctl
