#include "tools/etnikctl/import.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "etnik/hubs/v1/hubs_service.grpc.pb.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tools/etnikctl/messages.h"

namespace etnik::ctl {
namespace {

namespace reg = etnik::registration::v1;
namespace hubs = etnik::hubs::v1;
namespace sched = etnik::scheduling::v1;
using google::protobuf::Struct;
using google::protobuf::Value;

// Raised for a file that cannot be read as a programme; names the item.
struct FileError {
  std::string message;
};

const Value& Field(const Struct& s, const std::string& key, const std::string& where) {
  auto it = s.fields().find(key);
  if (it == s.fields().end()) throw FileError{absl::StrCat(where, ": missing \"", key, "\"")};
  return it->second;
}

std::string StringField(const Struct& s, const std::string& key, const std::string& where) {
  const Value& v = Field(s, key, where);
  if (v.kind_case() != Value::kStringValue || v.string_value().empty()) {
    throw FileError{absl::StrCat(where, ": \"", key, "\" must be a non-empty string")};
  }
  return v.string_value();
}

const Struct& ObjectField(const Struct& s, const std::string& key, const std::string& where) {
  const Value& v = Field(s, key, where);
  if (v.kind_case() != Value::kStructValue) throw FileError{absl::StrCat(where, ": \"", key, "\" must be an object")};
  return v.struct_value();
}

std::vector<const Struct*> ListField(const Struct& s, const std::string& key, const std::string& where) {
  std::vector<const Struct*> out;
  auto it = s.fields().find(key);
  if (it == s.fields().end()) return out;
  if (it->second.kind_case() != Value::kListValue) throw FileError{absl::StrCat(where, ": \"", key, "\" must be a list")};
  for (const Value& v : it->second.list_value().values()) {
    if (v.kind_case() != Value::kStructValue) throw FileError{absl::StrCat(where, ": \"", key, "\" holds a non-object")};
    out.push_back(&v.struct_value());
  }
  return out;
}

// A JSON object in the file becomes the API message it describes (proto3 JSON mapping).
template <typename M>
M ToMessage(const Struct& s, const std::string& where) {
  std::string json;
  google::protobuf::util::MessageToJsonString(s, &json);
  M message;
  google::protobuf::util::Status st = google::protobuf::util::JsonStringToMessage(json, &message);
  if (!st.ok()) throw FileError{absl::StrCat(where, ": ", st.ToString())};
  return message;
}

enum class Outcome { kCreated, kUpdated, kUnchanged };

// Stops the import: a call failed in a way the next objects would fail too (already explained).
struct Stop {};

class Importer {
 public:
  Importer(const Endpoints& e, std::string token)
      : e_(e),
        token_(std::move(token)),
        registration_(reg::RegistrationService::NewStub(Connect(e.registration))),
        hubs_(hubs::HubsService::NewStub(Connect(e.hubs))),
        scheduling_(sched::SchedulingService::NewStub(Connect(e.scheduling))) {}

  // Returns false after printing which objects failed and why.
  bool Run(const Struct& file) {
    programme_id_ = StringField(file, "programme_id", "file");
    programme_ = "programmes/" + programme_id_;
    try {
      ImportProgramme(ObjectField(file, "programme", "file"));
      const std::vector<const Struct*> forms = ListField(file, "forms", "file");
      for (const Struct* form : forms) ImportForm(*form);
      std::cerr << "progress: programme 1/1, forms " << forms.size() << "/" << forms.size() << "\n";
      const std::vector<const Struct*> hub_entries = ListField(file, "hubs", "file");
      int total_experts = 0;
      for (const Struct* hub : hub_entries) total_experts += static_cast<int>(ListField(*hub, "experts", "hub").size());
      for (size_t i = 0; i < hub_entries.size(); ++i) {
        ImportHub(*hub_entries[i]);
        Tick("hubs", i + 1, hub_entries.size(), absl::StrCat(", experts ", counts_.experts, "/", total_experts));
      }
      for (const Struct* e : ListField(file, "experts", "file")) ImportExpert(*e, "");
      const std::vector<const Struct*> venues = ListField(file, "venues", "file");
      for (const Struct* venue : venues) ImportVenue(*venue);
      std::cerr << "progress: venues " << venues.size() << "/" << venues.size() << "\n";
      const std::vector<const Struct*> events = ListField(file, "events", "file");
      int total_sessions = 0;
      for (const Struct* ev : events) total_sessions += static_cast<int>(ListField(*ev, "sessions", "event").size());
      for (size_t i = 0; i < events.size(); ++i) {
        ImportEvent(*events[i]);
        Tick("events", i + 1, events.size(), absl::StrCat(", sessions ", counts_.sessions, "/", total_sessions));
      }
    } catch (const Stop&) {
      return false;
    }
    std::cerr << "imported " << programme_ << ": " << counts_.hubs << " hubs, " << counts_.experts << " experts, "
              << counts_.events << " events, " << counts_.sessions << " sessions (" << outcomes_[0] << " created, "
              << outcomes_[1] << " updated, " << outcomes_[2] << " unchanged";
    if (errors_ > 0) std::cerr << ", " << errors_ << " refused";
    std::cerr << ")\n";
    return errors_ == 0;
  }

 private:
  // A progress line whenever another tenth of a phase is done.
  void Tick(const char* phase, size_t done, size_t total, const std::string& more) {
    if (done != total && done * 10 / total == (done - 1) * 10 / total) return;
    std::cerr << "progress: " << phase << " " << done << "/" << total << more << "\n";
  }

  std::string Key(absl::string_view kind, absl::string_view id) const {
    return absl::StrCat("etnikctl-", programme_id_, "-", kind, "-", id);
  }

  void Check(const Target& target, const std::string& action, const grpc::Status& status) {
    if (status.ok()) return;
    std::cerr << "etnikctl: " << HumanError(target, action, status, token_) << "\n";
    throw Stop{};
  }

  void Report(Outcome outcome, const std::string& item, const std::vector<std::string>& changed = {}) {
    static const char* const kWords[] = {"  created   ", "  updated   ", "  unchanged "};
    ++outcomes_[static_cast<int>(outcome)];
    std::cerr << kWords[static_cast<int>(outcome)] << item;
    if (!changed.empty()) std::cerr << " (" << absl::StrJoin(changed, ", ") << ")";
    std::cerr << "\n";
  }

  // Fields of `changed` the service cannot change: each is reported; true when there were any.
  bool Refuse(const std::string& item, const std::vector<std::string>& changed, const std::set<std::string>& fixed,
              const google::protobuf::Message& want, const google::protobuf::Message& have, const std::string& why) {
    bool refused = false;
    for (const std::string& f : changed) {
      if (!fixed.count(f)) continue;
      std::cerr << "etnikctl: " << item << ": \"" << f << "\" cannot be changed (file " << FieldJson(want, f)
                << ", service " << FieldJson(have, f) << ")" << (why.empty() ? "" : "; ") << why << "\n";
      refused = true;
    }
    if (refused) ++errors_;
    return refused;
  }

  static google::protobuf::FieldMask Mask(const std::vector<std::string>& fields) {
    google::protobuf::FieldMask mask;
    for (const std::string& f : fields) mask.add_paths(f);
    return mask;
  }

  // Reads `item`; false when it does not exist yet.
  bool Exists(const Target& target, const std::string& item, const std::function<grpc::Status(grpc::ClientContext&)>& get) {
    grpc::Status st = CallWithRetry(token_, get);
    if (st.error_code() == grpc::StatusCode::NOT_FOUND) return false;
    Check(target, "read " + item, st);
    return true;
  }

  void ImportProgramme(const Struct& written) {
    const Target t{"registration", e_.registration};
    reg::Programme want = ToMessage<reg::Programme>(written, "programme");
    reg::Programme have;
    reg::GetProgrammeRequest get;
    get.set_name(programme_);
    if (!Exists(t, programme_, [&](grpc::ClientContext& c) { return registration_->GetProgramme(&c, get, &have); })) {
      reg::CreateProgrammeRequest req;
      *req.mutable_programme() = want;
      req.set_programme_id(programme_id_);
      req.set_request_id(Key("programme", programme_id_));
      Check(t, "create " + programme_,
            CallWithRetry(token_, [&](grpc::ClientContext& c) { return registration_->CreateProgramme(&c, req, &have); }));
      return Report(Outcome::kCreated, programme_);
    }
    const std::vector<std::string> changed = ChangedFields(written, want, have);
    if (changed.empty()) return Report(Outcome::kUnchanged, programme_);
    reg::UpdateProgrammeRequest req;
    *req.mutable_programme() = want;
    req.mutable_programme()->set_name(programme_);
    req.mutable_programme()->set_etag(have.etag());
    *req.mutable_update_mask() = Mask(changed);
    Check(t, "update " + programme_,
          CallWithRetry(token_, [&](grpc::ClientContext& c) { return registration_->UpdateProgramme(&c, req, &have); }));
    Report(Outcome::kUpdated, programme_, changed);
  }

  void ImportForm(const Struct& entry) {
    const Target t{"registration", e_.registration};
    const std::string form_id = StringField(entry, "form_id", "form");
    const std::string name = absl::StrCat(programme_, "/forms/", form_id);
    const Struct& written = ObjectField(entry, "form", name);
    reg::Form want = ToMessage<reg::Form>(written, name);
    reg::Form have;
    reg::GetFormRequest get;
    get.set_name(name);
    if (!Exists(t, name, [&](grpc::ClientContext& c) { return registration_->GetForm(&c, get, &have); })) {
      reg::CreateFormRequest req;
      req.set_parent(programme_);
      *req.mutable_form() = want;
      req.set_form_id(form_id);
      req.set_request_id(Key("form", form_id));
      Check(t, "create " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return registration_->CreateForm(&c, req, &have); }));
      return Report(Outcome::kCreated, name);
    }
    const std::vector<std::string> changed = ChangedFields(written, want, have);
    if (changed.empty()) return Report(Outcome::kUnchanged, name);
    reg::UpdateFormRequest req;
    *req.mutable_form() = want;
    req.mutable_form()->set_name(name);
    req.mutable_form()->set_etag(have.etag());
    *req.mutable_update_mask() = Mask(changed);
    Check(t, "update " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return registration_->UpdateForm(&c, req, &have); }));
    Report(Outcome::kUpdated, name, changed);
  }

  void ImportHub(const Struct& entry) {
    const Target t{"hubs", e_.hubs};
    const std::string hub_id = StringField(entry, "hub_id", "hub");
    const std::string name = "hubs/" + hub_id;
    const Struct& written = ObjectField(entry, "hub", name);
    hubs::Hub want = ToMessage<hubs::Hub>(written, name);
    want.set_programme(programme_);
    hubs::Hub hub;
    hubs::GetHubRequest get;
    get.set_name(name);
    if (!Exists(t, name, [&](grpc::ClientContext& c) { return hubs_->GetHub(&c, get, &hub); })) {
      hubs::CreateHubRequest req;
      *req.mutable_hub() = want;
      req.set_hub_id(hub_id);
      req.set_request_id(Key("hub", hub_id));
      Check(t, "create " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->CreateHub(&c, req, &hub); }));
      Report(Outcome::kCreated, name);
    } else if (hub.programme() != programme_) {
      std::cerr << "etnikctl: " << name << " belongs to " << hub.programme() << ", not " << programme_
                << ": \"programme\" cannot be changed\n";
      ++errors_;
      return;
    } else {
      const std::vector<std::string> changed = ChangedFields(written, want, hub);
      if (changed.empty()) {
        Report(Outcome::kUnchanged, name);
      } else if (!Refuse(name, changed, {"programme", "state", "expert_count", "participant_count"}, want, hub, "")) {
        hubs::UpdateHubRequest req;
        *req.mutable_hub() = want;
        req.mutable_hub()->set_name(name);
        req.mutable_hub()->set_etag(hub.etag());
        *req.mutable_update_mask() = Mask(changed);
        Check(t, "update " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->UpdateHub(&c, req, &hub); }));
        Report(Outcome::kUpdated, name, changed);
      }
    }
    ImportLeads(entry, name);
    for (const Struct* e : ListField(entry, "experts", name)) ImportExpert(*e, name);
    // Publishing twice is a state error, so look first.
    const auto published = entry.fields().find("published");
    const bool publish = published == entry.fields().end() || published->second.bool_value();
    Check(t, "read " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->GetHub(&c, get, &hub); }));
    if (publish && hub.state() == hubs::HUB_STATE_DRAFT) {
      hubs::PublishHubRequest req;
      req.set_name(name);
      req.set_request_id(Key("publish", hub_id));
      Check(t, "publish " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->PublishHub(&c, req, &hub); }));
      std::cerr << "  published " << name << "\n";
    }
    ++counts_.hubs;
  }

  void ImportLeads(const Struct& entry, const std::string& hub) {
    const Target t{"hubs", e_.hubs};
    const std::vector<const Struct*> written = ListField(entry, "leads", hub);
    if (written.empty()) return;
    std::vector<hubs::HubLead> leads;
    hubs::ListHubLeadsRequest list;
    list.set_parent(hub);
    Check(t, "list the leads of " + hub,
          ListAll<hubs::ListHubLeadsRequest, hubs::ListHubLeadsResponse>(
              token_, list, [&](grpc::ClientContext& c, const auto& r, auto* out) { return hubs_->ListHubLeads(&c, r, out); },
              [&](const hubs::ListHubLeadsResponse& r) { leads.insert(leads.end(), r.leads().begin(), r.leads().end()); }));
    for (const Struct* w : written) {
      hubs::HubLead want = ToMessage<hubs::HubLead>(*w, hub + " lead");
      const std::string item = absl::StrCat(hub, " lead ", want.subject());
      if (want.subject().empty()) throw FileError{absl::StrCat(hub, ": a lead needs \"subject\"")};
      auto have = std::find_if(leads.begin(), leads.end(), [&](const auto& l) { return l.subject() == want.subject(); });
      if (have == leads.end()) {
        hubs::AddHubLeadRequest req;
        req.set_hub(hub);
        *req.mutable_lead() = want;
        req.set_request_id(Key("lead", absl::StrCat(LastId(hub), "-", want.subject())));
        hubs::HubLead added;
        Check(t, "add " + item, CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->AddHubLead(&c, req, &added); }));
        Report(Outcome::kCreated, item);
        continue;
      }
      const std::vector<std::string> changed = ChangedFields(*w, want, *have);
      if (changed.empty()) {
        Report(Outcome::kUnchanged, item);
      } else {
        std::set<std::string> all(changed.begin(), changed.end());
        Refuse(item, changed, all, want, *have, "leads cannot be edited: remove the lead and import again");
      }
    }
  }

  void ImportExpert(const Struct& e, const std::string& hub) {
    const Target t{"hubs", e_.hubs};
    const std::string expert_id = StringField(e, "expert_id", hub + " expert");
    const std::string name = "experts/" + expert_id;
    const Struct& written = ObjectField(e, "expert", name);
    hubs::Expert want = ToMessage<hubs::Expert>(written, name);
    hubs::Expert have;
    hubs::GetExpertRequest get;
    get.set_name(name);
    if (!Exists(t, name, [&](grpc::ClientContext& c) { return hubs_->GetExpert(&c, get, &have); })) {
      hubs::CreateExpertRequest req;
      *req.mutable_expert() = want;
      req.set_expert_id(expert_id);
      req.set_request_id(Key("expert", expert_id));
      Check(t, "create " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->CreateExpert(&c, req, &have); }));
      Report(Outcome::kCreated, name);
    } else if (!seen_experts_.count(name)) {
      const std::vector<std::string> changed = ChangedFields(written, want, have);
      if (changed.empty()) {
        Report(Outcome::kUnchanged, name);
      } else if (!Refuse(name, changed, {"hubs"}, want, have, "memberships follow the hubs the expert is listed under")) {
        hubs::UpdateExpertRequest req;
        *req.mutable_expert() = want;
        req.mutable_expert()->set_name(name);
        req.mutable_expert()->set_etag(have.etag());
        *req.mutable_update_mask() = Mask(changed);
        Check(t, "update " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->UpdateExpert(&c, req, &have); }));
        Report(Outcome::kUpdated, name, changed);
      }
    }
    seen_experts_.insert(name);
    if (hub.empty()) return;
    if (std::find(have.hubs().begin(), have.hubs().end(), hub) == have.hubs().end()) {
      hubs::AddExpertRequest req;
      req.set_hub(hub);
      req.set_expert(name);
      req.set_request_id(Key("member", absl::StrCat(LastId(hub), "-", expert_id)));
      hubs::HubMembership membership;
      grpc::Status st = CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->AddExpert(&c, req, &membership); });
      if (ErrorReason(st) != "EXPERT_ALREADY_IN_HUB" && st.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
        Check(t, absl::StrCat("add ", name, " to ", hub), st);
        std::cerr << "  added     " << name << " to " << hub << "\n";
      }
    }
    ++counts_.experts;
  }

  void ImportVenue(const Struct& entry) {
    const Target t{"scheduling", e_.scheduling};
    const std::string venue_id = StringField(entry, "venue_id", "venue");
    const std::string name = "venues/" + venue_id;
    const Struct& written = ObjectField(entry, "venue", name);
    sched::Venue want = ToMessage<sched::Venue>(written, name);
    sched::Venue have;
    sched::GetVenueRequest get;
    get.set_name(name);
    if (!Exists(t, name, [&](grpc::ClientContext& c) { return scheduling_->GetVenue(&c, get, &have); })) {
      sched::CreateVenueRequest req;
      *req.mutable_venue() = want;
      req.set_venue_id(venue_id);
      req.set_request_id(Key("venue", venue_id));
      Check(t, "create " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return scheduling_->CreateVenue(&c, req, &have); }));
      return Report(Outcome::kCreated, name);
    }
    const std::vector<std::string> changed = ChangedFields(written, want, have);
    if (changed.empty()) return Report(Outcome::kUnchanged, name);
    sched::UpdateVenueRequest req;
    *req.mutable_venue() = want;
    req.mutable_venue()->set_name(name);
    req.mutable_venue()->set_etag(have.etag());
    *req.mutable_update_mask() = Mask(changed);
    Check(t, "update " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return scheduling_->UpdateVenue(&c, req, &have); }));
    Report(Outcome::kUpdated, name, changed);
  }

  void ImportEvent(const Struct& entry) {
    const Target t{"scheduling", e_.scheduling};
    const std::string event_id = StringField(entry, "event_id", "event");
    const std::string name = "events/" + event_id;
    const Struct& written = ObjectField(entry, "event", name);
    sched::Event want = ToMessage<sched::Event>(written, name);
    want.set_programme(programme_);
    sched::Event have;
    sched::GetEventRequest get;
    get.set_name(name);
    if (!Exists(t, name, [&](grpc::ClientContext& c) { return scheduling_->GetEvent(&c, get, &have); })) {
      sched::CreateEventRequest req;
      *req.mutable_event() = want;
      req.set_event_id(event_id);
      req.set_request_id(Key("event", event_id));
      Check(t, "create " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return scheduling_->CreateEvent(&c, req, &have); }));
      Report(Outcome::kCreated, name);
    } else {
      const std::vector<std::string> changed = ChangedFields(written, want, have);
      if (changed.empty()) {
        Report(Outcome::kUnchanged, name);
      } else if (!Refuse(name, changed, {"programme", "kind", "hub", "session_count"}, want, have,
                         "create a new event instead")) {
        sched::UpdateEventRequest req;
        *req.mutable_event() = want;
        req.mutable_event()->set_name(name);
        req.mutable_event()->set_etag(have.etag());
        *req.mutable_update_mask() = Mask(changed);
        Check(t, "update " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return scheduling_->UpdateEvent(&c, req, &have); }));
        Report(Outcome::kUpdated, name, changed);
      }
    }
    ++counts_.events;
    for (const Struct* s : ListField(entry, "sessions", name)) ImportSession(*s, name);
  }

  void ImportSession(const Struct& entry, const std::string& event) {
    const Target t{"scheduling", e_.scheduling};
    const std::string session_id = StringField(entry, "session_id", event + " session");
    const std::string name = absl::StrCat(event, "/sessions/", session_id);
    const Struct& written = ObjectField(entry, "session", name);
    sched::Session want = ToMessage<sched::Session>(written, name);
    sched::Session have;
    sched::GetSessionRequest get;
    get.set_name(name);
    ++counts_.sessions;
    if (!Exists(t, name, [&](grpc::ClientContext& c) { return scheduling_->GetSession(&c, get, &have); })) {
      sched::BookSessionRequest req;
      req.set_parent(event);
      *req.mutable_session() = want;
      req.set_session_id(session_id);
      req.set_request_id(Key("session", absl::StrCat(LastId(event), "-", session_id)));
      Check(t, "book " + name, CallWithRetry(token_, [&](grpc::ClientContext& c) { return scheduling_->BookSession(&c, req, &have); }));
      return Report(Outcome::kCreated, name);
    }
    const std::vector<std::string> changed = ChangedFields(written, want, have);
    if (changed.empty()) return Report(Outcome::kUnchanged, name);
    if (Refuse(name, changed, {"hosts", "hub", "state", "event_kind"}, want, have,
               "cancel the session and book a new one")) {
      return;
    }
    static const std::set<std::string> kPlace = {"start_time", "end_time", "time_zone", "room"};
    std::vector<std::string> place, rest;
    for (const std::string& f : changed) (kPlace.count(f) ? place : rest).push_back(f);
    if (!place.empty()) {
      sched::RescheduleSessionRequest req;
      req.set_name(name);
      *req.mutable_start_time() = written.fields().count("start_time") ? want.start_time() : have.start_time();
      *req.mutable_end_time() = written.fields().count("end_time") ? want.end_time() : have.end_time();
      if (written.fields().count("time_zone")) req.set_time_zone(want.time_zone());
      if (written.fields().count("room")) req.set_room(want.room());
      req.set_etag(have.etag());
      req.set_request_id(Key("reschedule", absl::StrCat(LastId(event), "-", session_id, "-", have.etag())));
      Check(t, "reschedule " + name,
            CallWithRetry(token_, [&](grpc::ClientContext& c) { return scheduling_->RescheduleSession(&c, req, &have); }));
    }
    if (!rest.empty()) {
      sched::UpdateSessionRequest req;
      *req.mutable_session() = want;
      req.mutable_session()->set_name(name);
      req.mutable_session()->set_etag(have.etag());
      *req.mutable_update_mask() = Mask(rest);
      Check(t, "update " + name,
            CallWithRetry(token_, [&](grpc::ClientContext& c) { return scheduling_->UpdateSession(&c, req, &have); }));
    }
    Report(Outcome::kUpdated, name, changed);
  }

  static std::string LastId(const std::string& name) { return name.substr(name.rfind('/') + 1); }

  struct Counts {
    int hubs = 0;
    int experts = 0;
    int events = 0;
    int sessions = 0;
  };

  Endpoints e_;
  std::string token_;
  std::unique_ptr<reg::RegistrationService::Stub> registration_;
  std::unique_ptr<hubs::HubsService::Stub> hubs_;
  std::unique_ptr<sched::SchedulingService::Stub> scheduling_;
  std::string programme_id_;
  std::string programme_;
  std::set<std::string> seen_experts_;
  Counts counts_;
  int outcomes_[3] = {0, 0, 0};
  int errors_ = 0;
};

}  // namespace

int ImportProgramme(const std::string& path, const Endpoints& endpoints, const std::string& token) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path);
    if (!in) {
      std::cerr << "etnikctl: cannot open " << path << "\n";
      return 2;
    }
    text << in.rdbuf();
  }
  Struct file;
  google::protobuf::util::Status parsed = google::protobuf::util::JsonStringToMessage(text.str(), &file);
  if (!parsed.ok()) {
    std::cerr << "etnikctl: " << path << " is not valid JSON: " << parsed.ToString() << "\n";
    return 1;
  }
  try {
    return Importer(endpoints, token).Run(file) ? 0 : 1;
  } catch (const FileError& e) {
    std::cerr << "etnikctl: " << path << ": " << e.message << "\n";
    return 1;
  }
}

}  // namespace etnik::ctl
