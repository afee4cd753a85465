// etnikctl export: a programme as the file `import` reads, so export -> import -> export is stable.

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "etnik/hubs/v1/hubs_service.grpc.pb.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/etnikctl/commands.h"
#include "tools/etnikctl/messages.h"

namespace etnik::ctl {
namespace {

namespace reg = etnik::registration::v1;
namespace hubs = etnik::hubs::v1;
namespace sched = etnik::scheduling::v1;

// Fields the services own: the file never carries them.
const std::vector<std::string> kOwned = {"name", "create_time", "update_time", "etag"};

std::vector<std::string> Owned(std::initializer_list<const char*> more) {
  std::vector<std::string> out = kOwned;
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

// "events/x/sessions/y" -> "y"; "hubs/x" -> "x".
std::string LastId(const std::string& name) { return name.substr(name.rfind('/') + 1); }

// Failure of one call, already explained on stderr.
struct Failed {};

class Exporter {
 public:
  Exporter(const Endpoints& e, std::string token)
      : e_(e),
        token_(std::move(token)),
        registration_(reg::RegistrationService::NewStub(Connect(e.registration))),
        hubs_(hubs::HubsService::NewStub(Connect(e.hubs))),
        scheduling_(sched::SchedulingService::NewStub(Connect(e.scheduling))) {}

  std::string Run(const std::string& programme) {
    programme_ = programme;
    reg::GetProgrammeRequest greq;
    greq.set_name(programme);
    reg::Programme p;
    Check({"registration", e_.registration}, "read " + programme,
          CallWithRetry(token_, [&](grpc::ClientContext& c) { return registration_->GetProgramme(&c, greq, &p); }));

    std::vector<reg::Form> forms;
    reg::ListFormsRequest freq;
    freq.set_parent(programme);
    Check({"registration", e_.registration}, "list the forms of " + programme,
          ListAll<reg::ListFormsRequest, reg::ListFormsResponse>(
              token_, freq, [&](grpc::ClientContext& c, const auto& r, auto* out) { return registration_->ListForms(&c, r, out); },
              [&](const reg::ListFormsResponse& r) { forms.insert(forms.end(), r.forms().begin(), r.forms().end()); }));
    SortByName(forms);
    std::cerr << "progress: forms " << forms.size() << "/" << forms.size() << "\n";

    std::vector<hubs::Hub> hub_list;
    hubs::ListHubsRequest hreq;
    hreq.set_programme(programme);
    Check({"hubs", e_.hubs}, "list the hubs of " + programme,
          ListAll<hubs::ListHubsRequest, hubs::ListHubsResponse>(
              token_, hreq, [&](grpc::ClientContext& c, const auto& r, auto* out) { return hubs_->ListHubs(&c, r, out); },
              [&](const hubs::ListHubsResponse& r) { hub_list.insert(hub_list.end(), r.hubs().begin(), r.hubs().end()); }));
    SortByName(hub_list);
    std::vector<std::string> hub_entries;
    std::set<std::string> experts_in_hubs;
    int expert_count = 0;
    for (const hubs::Hub& hub : hub_list) {
      hub_entries.push_back(HubEntry(hub, &experts_in_hubs, &expert_count));
      std::cerr << "progress: hubs " << hub_entries.size() << "/" << hub_list.size() << ", experts " << expert_count << "\n";
    }

    std::vector<sched::Event> events;
    sched::ListEventsRequest ereq;
    ereq.set_programme(programme);
    Check({"scheduling", e_.scheduling}, "list the events of " + programme,
          ListAll<sched::ListEventsRequest, sched::ListEventsResponse>(
              token_, ereq, [&](grpc::ClientContext& c, const auto& r, auto* out) { return scheduling_->ListEvents(&c, r, out); },
              [&](const sched::ListEventsResponse& r) { events.insert(events.end(), r.events().begin(), r.events().end()); }));
    SortByName(events);
    // Cancelled sessions stay out: importing them would book them again.
    std::map<std::string, std::vector<sched::Session>> sessions_of;
    sched::ListSessionsRequest sreq;
    sreq.set_parent("events/-");
    sreq.set_programme(programme);
    sreq.add_states(sched::SESSION_STATE_SCHEDULED);
    sreq.add_states(sched::SESSION_STATE_HELD);
    int session_count = 0;
    Check({"scheduling", e_.scheduling}, "list the sessions of " + programme,
          ListAll<sched::ListSessionsRequest, sched::ListSessionsResponse>(
              token_, sreq, [&](grpc::ClientContext& c, const auto& r, auto* out) { return scheduling_->ListSessions(&c, r, out); },
              [&](const sched::ListSessionsResponse& r) {
                for (const sched::Session& s : r.sessions()) {
                  sessions_of[s.name().substr(0, s.name().find("/sessions/"))].push_back(s);
                  ++session_count;
                }
              }));
    std::cerr << "progress: events " << events.size() << "/" << events.size() << ", sessions " << session_count << "/"
              << session_count << "\n";

    // Venues are shared across programmes: the ones this programme uses. Hosts outside the
    // programme's hubs go in the top-level "experts".
    std::set<std::string> venues, loose_experts;
    for (const sched::Event& ev : events) {
      if (!ev.venue().empty()) venues.insert(ev.venue());
      for (const sched::Session& s : sessions_of[ev.name()]) {
        if (!s.room().empty()) venues.insert(s.room().substr(0, s.room().find("/rooms/")));
        for (const std::string& host : s.hosts()) {
          if (!experts_in_hubs.count(host)) loose_experts.insert(host);
        }
      }
    }

    std::string out = absl::StrCat("{\n \"programme_id\": ", JsonString(LastId(programme)), ",\n \"programme\": ",
                                    FileJson(p, kOwned, 1));
    out += ",\n \"forms\": [";
    for (size_t i = 0; i < forms.size(); ++i) {
      absl::StrAppend(&out, i ? "," : "", "\n  {\n   \"form_id\": ", JsonString(LastId(forms[i].name())),
                      ",\n   \"form\": ", FileJson(forms[i], kOwned, 3), "\n  }");
    }
    out += forms.empty() ? "]" : "\n ]";
    out += ",\n \"hubs\": [";
    for (size_t i = 0; i < hub_entries.size(); ++i) absl::StrAppend(&out, i ? "," : "", hub_entries[i]);
    out += hub_entries.empty() ? "]" : "\n ]";
    out += ",\n \"experts\": [";
    bool first = true;
    for (const std::string& name : loose_experts) {
      absl::StrAppend(&out, first ? "" : ",", ExpertEntry(GetExpert(name), 2));
      first = false;
    }
    out += first ? "]" : "\n ]";
    out += ",\n \"venues\": [";
    first = true;
    for (const std::string& name : venues) {
      sched::GetVenueRequest vreq;
      vreq.set_name(name);
      sched::Venue v;
      Check({"scheduling", e_.scheduling}, "read " + name,
            CallWithRetry(token_, [&](grpc::ClientContext& c) { return scheduling_->GetVenue(&c, vreq, &v); }));
      absl::StrAppend(&out, first ? "" : ",", "\n  {\n   \"venue_id\": ", JsonString(LastId(name)),
                      ",\n   \"venue\": ", FileJson(v, kOwned, 3), "\n  }");
      first = false;
    }
    out += first ? "]" : "\n ]";
    out += ",\n \"events\": [";
    for (size_t i = 0; i < events.size(); ++i) {
      std::vector<sched::Session>& sessions = sessions_of[events[i].name()];
      SortByName(sessions);
      absl::StrAppend(&out, i ? "," : "", "\n  {\n   \"event_id\": ", JsonString(LastId(events[i].name())),
                      ",\n   \"event\": ", FileJson(events[i], Owned({"programme", "session_count"}), 3),
                      ",\n   \"sessions\": [");
      for (size_t k = 0; k < sessions.size(); ++k) {
        absl::StrAppend(&out, k ? "," : "", "\n    {\n     \"session_id\": ", JsonString(LastId(sessions[k].name())),
                        ",\n     \"session\": ",
                        FileJson(sessions[k],
                                 Owned({"state", "cancel_reason", "event_kind", "sequence", "registered_count",
                                        "waitlisted_count", "checked_in_count", "booked_by"}),
                                 5),
                        "\n    }");
      }
      absl::StrAppend(&out, sessions.empty() ? "]" : "\n   ]", "\n  }");
    }
    out += events.empty() ? "]" : "\n ]";
    out += "\n}\n";
    std::cerr << "exported " << programme << ": " << forms.size() << " forms, " << hub_list.size() << " hubs, "
              << expert_count + loose_experts.size() << " experts, " << venues.size() << " venues, " << events.size()
              << " events, " << session_count << " sessions\n";
    return out;
  }

 private:
  template <typename T>
  static void SortByName(std::vector<T>& items) {
    std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.name() < b.name(); });
  }

  void Check(const Target& target, const std::string& action, const grpc::Status& status) {
    if (status.ok()) return;
    std::cerr << "etnikctl: " << HumanError(target, action, status, token_) << "\n";
    throw Failed{};
  }

  hubs::Expert GetExpert(const std::string& name) {
    hubs::GetExpertRequest req;
    req.set_name(name);
    hubs::Expert expert;
    Check({"hubs", e_.hubs}, "read " + name,
          CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->GetExpert(&c, req, &expert); }));
    return expert;
  }

  static std::string ExpertEntry(const hubs::Expert& expert, int indent) {
    const std::string pad(indent, ' ');
    return absl::StrCat("\n", pad, "{\n", pad, " \"expert_id\": ", JsonString(LastId(expert.name())), ",\n", pad,
                        " \"expert\": ", FileJson(expert, Owned({"hubs"}), indent + 1), "\n", pad, "}");
  }

  std::string HubEntry(const hubs::Hub& hub, std::set<std::string>* experts_in_hubs, int* expert_count) {
    std::vector<hubs::HubLead> leads;
    hubs::ListHubLeadsRequest lreq;
    lreq.set_parent(hub.name());
    Check({"hubs", e_.hubs}, "list the leads of " + hub.name(),
          ListAll<hubs::ListHubLeadsRequest, hubs::ListHubLeadsResponse>(
              token_, lreq, [&](grpc::ClientContext& c, const auto& r, auto* out) { return hubs_->ListHubLeads(&c, r, out); },
              [&](const hubs::ListHubLeadsResponse& r) { leads.insert(leads.end(), r.leads().begin(), r.leads().end()); }));
    std::sort(leads.begin(), leads.end(), [](const auto& a, const auto& b) { return a.subject() < b.subject(); });
    std::vector<hubs::Expert> experts;
    hubs::ListExpertsRequest xreq;
    xreq.set_hub(hub.name());
    Check({"hubs", e_.hubs}, "list the experts of " + hub.name(),
          ListAll<hubs::ListExpertsRequest, hubs::ListExpertsResponse>(
              token_, xreq, [&](grpc::ClientContext& c, const auto& r, auto* out) { return hubs_->ListExperts(&c, r, out); },
              [&](const hubs::ListExpertsResponse& r) { experts.insert(experts.end(), r.experts().begin(), r.experts().end()); }));
    SortByName(experts);
    std::string out = absl::StrCat("\n  {\n   \"hub_id\": ", JsonString(LastId(hub.name())), ",\n   \"hub\": ",
                                   FileJson(hub, Owned({"programme", "state", "expert_count", "participant_count",
                                                        "publish_time", "close_time"}),
                                            3));
    // Import publishes hubs unless told otherwise.
    if (hub.state() == hubs::HUB_STATE_DRAFT) out += ",\n   \"published\": false";
    out += ",\n   \"leads\": [";
    for (size_t i = 0; i < leads.size(); ++i) {
      absl::StrAppend(&out, i ? "," : "", "\n    ", FileJson(leads[i], kOwned, 4));
    }
    out += leads.empty() ? "]" : "\n   ]";
    out += ",\n   \"experts\": [";
    for (size_t i = 0; i < experts.size(); ++i) {
      // Listed experts may be summaries: the file gets the whole profile.
      absl::StrAppend(&out, i ? "," : "", ExpertEntry(GetExpert(experts[i].name()), 4));
      experts_in_hubs->insert(experts[i].name());
      ++*expert_count;
    }
    out += experts.empty() ? "]" : "\n   ]";
    return out + "\n  }";
  }

  Endpoints e_;
  std::string token_;
  std::string programme_;
  std::unique_ptr<reg::RegistrationService::Stub> registration_;
  std::unique_ptr<hubs::HubsService::Stub> hubs_;
  std::unique_ptr<sched::SchedulingService::Stub> scheduling_;
};

}  // namespace

bool WriteOut(const std::string& out, const std::string& text) {
  if (out == "-" || out.empty()) {
    std::cout << text << std::flush;
    return true;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    std::cerr << "etnikctl: cannot write " << out << "\n";
    return false;
  }
  return true;
}

int ExportProgramme(const std::string& programme, const std::string& out, const Endpoints& endpoints,
                    const std::string& token) {
  std::string text;
  try {
    text = Exporter(endpoints, token).Run(programme);
  } catch (const Failed&) {
    return 1;
  }
  return WriteOut(out, text) ? 0 : 1;
}

}  // namespace etnik::ctl
