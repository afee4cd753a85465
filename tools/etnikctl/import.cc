#include "tools/etnikctl/import.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "etnik/hubs/v1/hubs_service.grpc.pb.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"

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

class Importer {
 public:
  Importer(const Endpoints& e, std::string token)
      : token_(std::move(token)),
        registration_(reg::RegistrationService::NewStub(Connect(e.registration))),
        hubs_(hubs::HubsService::NewStub(Connect(e.hubs))),
        scheduling_(sched::SchedulingService::NewStub(Connect(e.scheduling))) {}

  // Returns false after printing which item failed and why.
  bool Run(const Struct& file) {
    programme_id_ = StringField(file, "programme_id", "file");
    const std::string programme = "programmes/" + programme_id_;
    {
      reg::CreateProgrammeRequest req;
      *req.mutable_programme() = ToMessage<reg::Programme>(ObjectField(file, "programme", "file"), "programme");
      req.set_programme_id(programme_id_);
      req.set_request_id(Key("programme", programme_id_));
      reg::Programme out;
      if (!Step(programme, out, [&](grpc::ClientContext& c) { return registration_->CreateProgramme(&c, req, &out); })) {
        return false;
      }
    }
    for (const Struct* hub : ListField(file, "hubs", "file")) {
      if (!ImportHub(*hub, programme)) return false;
    }
    for (const Struct* venue : ListField(file, "venues", "file")) {
      if (!ImportVenue(*venue)) return false;
    }
    for (const Struct* event : ListField(file, "events", "file")) {
      if (!ImportEvent(*event, programme)) return false;
    }
    std::cerr << "imported " << programme << ": " << counts_.hubs << " hubs, " << counts_.experts << " experts, "
              << counts_.events << " events, " << counts_.sessions << " sessions\n";
    return true;
  }

 private:
  bool MadeBefore(const google::protobuf::Message& m) const {
    const google::protobuf::FieldDescriptor* f = m.GetDescriptor()->FindFieldByName("create_time");
    if (f == nullptr || f->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) return false;
    const auto& t = static_cast<const google::protobuf::Timestamp&>(m.GetReflection()->GetMessage(m, f));
    return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()) < started_;
  }

  std::string Key(absl::string_view kind, absl::string_view id) const {
    return absl::StrCat("etnikctl-", programme_id_, "-", kind, "-", id);
  }

  // One create: ALREADY_EXISTS, or a replayed request returning a resource made before this
  // import began, means an earlier import made it, which is what we want.
  bool Step(const std::string& item, const google::protobuf::Message& result,
            const std::function<grpc::Status(grpc::ClientContext&)>& call) {
    grpc::Status st = CallWithRetry(token_, call);
    if (st.ok()) {
      std::cerr << (MadeBefore(result) ? "  exists  " : "  created ") << item << "\n";
      return true;
    }
    if (st.error_code() == grpc::StatusCode::ALREADY_EXISTS || ErrorReason(st) == "EXPERT_ALREADY_IN_HUB") {
      std::cerr << "  exists  " << item << "\n";
      return true;
    }
    std::cerr << "etnikctl import: " << item << " failed: " << Describe(st) << "\n";
    return false;
  }

  bool ImportHub(const Struct& entry, const std::string& programme) {
    const std::string hub_id = StringField(entry, "hub_id", "hub");
    const std::string name = "hubs/" + hub_id;
    hubs::CreateHubRequest req;
    *req.mutable_hub() = ToMessage<hubs::Hub>(ObjectField(entry, "hub", name), name);
    req.mutable_hub()->set_programme(programme);
    req.set_hub_id(hub_id);
    req.set_request_id(Key("hub", hub_id));
    hubs::Hub hub;
    if (!Step(name, hub, [&](grpc::ClientContext& c) { return hubs_->CreateHub(&c, req, &hub); })) return false;
    for (const Struct* e : ListField(entry, "experts", name)) {
      const std::string expert_id = StringField(*e, "expert_id", name + " expert");
      const std::string expert_name = "experts/" + expert_id;
      hubs::CreateExpertRequest creq;
      *creq.mutable_expert() = ToMessage<hubs::Expert>(ObjectField(*e, "expert", expert_name), expert_name);
      creq.set_expert_id(expert_id);
      creq.set_request_id(Key("expert", expert_id));
      hubs::Expert expert;
      if (!Step(expert_name, expert, [&](grpc::ClientContext& c) { return hubs_->CreateExpert(&c, creq, &expert); })) {
        return false;
      }
      hubs::AddExpertRequest areq;
      areq.set_hub(name);
      areq.set_expert(expert_name);
      areq.set_request_id(Key("member", absl::StrCat(hub_id, "-", expert_id)));
      hubs::HubMembership membership;
      if (!Step(absl::StrCat(expert_name, " in ", name), membership,
                [&](grpc::ClientContext& c) { return hubs_->AddExpert(&c, areq, &membership); })) {
        return false;
      }
      ++counts_.experts;
    }
    // Publishing twice is a state error, so look first.
    hubs::GetHubRequest greq;
    greq.set_name(name);
    grpc::Status got = CallWithRetry(token_, [&](grpc::ClientContext& c) { return hubs_->GetHub(&c, greq, &hub); });
    if (!got.ok()) {
      std::cerr << "etnikctl import: reading " << name << " failed: " << Describe(got) << "\n";
      return false;
    }
    if (hub.state() == hubs::HUB_STATE_PUBLISHED) {
      std::cerr << "  exists  " << name << " (published)\n";
    } else {
      hubs::PublishHubRequest preq;
      preq.set_name(name);
      preq.set_request_id(Key("publish", hub_id));
      if (!Step(name + " (publish)", hub, [&](grpc::ClientContext& c) { return hubs_->PublishHub(&c, preq, &hub); })) {
        return false;
      }
    }
    ++counts_.hubs;
    return true;
  }

  bool ImportVenue(const Struct& entry) {
    const std::string venue_id = StringField(entry, "venue_id", "venue");
    const std::string name = "venues/" + venue_id;
    sched::CreateVenueRequest req;
    *req.mutable_venue() = ToMessage<sched::Venue>(ObjectField(entry, "venue", name), name);
    req.set_venue_id(venue_id);
    req.set_request_id(Key("venue", venue_id));
    sched::Venue venue;
    return Step(name, venue, [&](grpc::ClientContext& c) { return scheduling_->CreateVenue(&c, req, &venue); });
  }

  bool ImportEvent(const Struct& entry, const std::string& programme) {
    const std::string event_id = StringField(entry, "event_id", "event");
    const std::string name = "events/" + event_id;
    sched::CreateEventRequest req;
    *req.mutable_event() = ToMessage<sched::Event>(ObjectField(entry, "event", name), name);
    req.mutable_event()->set_programme(programme);
    req.set_event_id(event_id);
    req.set_request_id(Key("event", event_id));
    sched::Event event;
    if (!Step(name, event, [&](grpc::ClientContext& c) { return scheduling_->CreateEvent(&c, req, &event); })) return false;
    ++counts_.events;
    for (const Struct* s : ListField(entry, "sessions", name)) {
      const std::string session_id = StringField(*s, "session_id", name + " session");
      const std::string session_name = absl::StrCat(name, "/sessions/", session_id);
      sched::BookSessionRequest breq;
      breq.set_parent(name);
      *breq.mutable_session() = ToMessage<sched::Session>(ObjectField(*s, "session", session_name), session_name);
      breq.set_session_id(session_id);
      breq.set_request_id(Key("session", absl::StrCat(event_id, "-", session_id)));
      sched::Session session;
      if (!Step(session_name, session, [&](grpc::ClientContext& c) { return scheduling_->BookSession(&c, breq, &session); })) {
        return false;
      }
      ++counts_.sessions;
    }
    return true;
  }

  struct Counts {
    int hubs = 0;
    int experts = 0;
    int events = 0;
    int sessions = 0;
  };

  std::string token_;
  std::unique_ptr<reg::RegistrationService::Stub> registration_;
  std::unique_ptr<hubs::HubsService::Stub> hubs_;
  std::unique_ptr<sched::SchedulingService::Stub> scheduling_;
  std::string programme_id_;
  absl::Time started_ = absl::Now();
  Counts counts_;
};

}  // namespace

int ImportProgramme(const std::string& path, const Endpoints& endpoints, const std::string& token) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "etnikctl import: cannot open " << path << "\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  Struct file;
  google::protobuf::util::Status parsed = google::protobuf::util::JsonStringToMessage(text.str(), &file);
  if (!parsed.ok()) {
    std::cerr << "etnikctl import: " << path << " is not valid JSON: " << parsed.ToString() << "\n";
    return 1;
  }
  try {
    return Importer(endpoints, token).Run(file) ? 0 : 1;
  } catch (const FileError& e) {
    std::cerr << "etnikctl import: " << path << ": " << e.message << "\n";
    return 1;
  }
}

}  // namespace etnik::ctl
