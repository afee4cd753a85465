#include "services/hubs/mapping/event_mapping.h"

#include "absl/strings/str_cat.h"
#include "services/hubs/mapping/common_mapping.h"

namespace etnik::hubs::mapping {
namespace {

namespace ev = etnik::events::v1;

std::string HubName(const std::string& id) { return absl::StrCat("hubs/", id); }

void Snapshot(const Expert& in, ev::ExpertSnapshot* out) {
  out->set_expert(absl::StrCat("experts/", in.id));
  ToProto(in.full_name, out->mutable_full_name());
  out->set_subject(in.subject);
  ToProto(in.contact, out->mutable_contact());
  out->set_language(ToProto(in.language));
  out->set_time_zone(in.time_zone);
  for (const AvailabilityWindow& w : in.weekly_availability) ToProto(w, out->add_weekly_availability());
  for (const AvailabilityException& e : in.availability_exceptions) ToProto(e, out->add_availability_exceptions());
  for (const std::string& hub : in.hubs) out->add_hubs(HubName(hub));
}

void LeadPerson(const HubLead& in, ev::Person* out) {
  out->set_id(in.subject);
  out->set_full_name(in.full_name);
  ToProto(in.contact, out->mutable_contact());
  out->set_time_zone(in.time_zone);
  out->set_language(ToProto(in.language));
}

// Fills the payload and returns the full name of its message type.
struct PayloadVisitor {
  ev::DomainEvent* out;

  std::string operator()(const HubPublishedEvent& e) const {
    ev::HubPublished* p = out->mutable_hub_published();
    p->set_hub(HubName(e.hub.id));
    p->set_programme(e.hub.programme);
    ToProto(e.hub.title, p->mutable_title());
    p->set_theme(e.hub.theme);
    for (const std::string& id : e.expert_ids) p->add_experts(absl::StrCat("experts/", id));
    for (const HubLead& lead : e.leads) LeadPerson(lead, p->add_leads());
    ToProto(e.hub.publish_time, p->mutable_publish_time());
    return p->GetDescriptor()->full_name();
  }
  std::string operator()(const HubClosedEvent& e) const {
    ev::HubClosed* p = out->mutable_hub_closed();
    p->set_hub(HubName(e.hub.id));
    p->set_programme(e.hub.programme);
    ToProto(e.hub.title, p->mutable_title());
    ToProto(e.hub.close_time, p->mutable_close_time());
    return p->GetDescriptor()->full_name();
  }
  std::string operator()(const ExpertAddedEvent& e) const {
    ev::ExpertAdded* p = out->mutable_expert_added();
    p->set_hub(HubName(e.hub.id));
    p->set_programme(e.hub.programme);
    Snapshot(e.expert, p->mutable_expert());
    return p->GetDescriptor()->full_name();
  }
  std::string operator()(const ExpertRemovedEvent& e) const {
    ev::ExpertRemoved* p = out->mutable_expert_removed();
    p->set_hub(HubName(e.hub.id));
    p->set_programme(e.hub.programme);
    Snapshot(e.expert, p->mutable_expert());
    return p->GetDescriptor()->full_name();
  }
  std::string operator()(const ExpertChangedEvent& e) const {
    ev::ExpertAvailabilityChanged* p = out->mutable_expert_availability_changed();
    Snapshot(e.expert, p->mutable_expert());
    return p->GetDescriptor()->full_name();
  }
  std::string operator()(const HubLeadsChangedEvent& e) const {
    ev::HubLeadChanged* p = out->mutable_hub_lead_changed();
    p->set_hub(HubName(e.hub.id));
    p->set_programme(e.hub.programme);
    for (const HubLead& lead : e.leads) LeadPerson(lead, p->add_leads());
    for (const std::string& s : e.added_subjects) p->add_added_subjects(s);
    for (const std::string& s : e.removed_subjects) p->add_removed_subjects(s);
    return p->GetDescriptor()->full_name();
  }
  std::string operator()(const ParticipantAssignedEvent& e) const {
    ev::ParticipantAssigned* p = out->mutable_participant_assigned();
    p->set_hub(HubName(e.hub.id));
    p->set_programme(e.hub.programme);
    p->set_participant(e.assignment.participant);
    p->set_organisation_name(e.assignment.organisation_name);
    ToProto(e.hub.title, p->mutable_hub_title());
    return p->GetDescriptor()->full_name();
  }
};

}  // namespace

ev::DomainEvent ToProtoEvent(const DomainEvent& event, const std::string& event_id) {
  ev::DomainEvent out;
  out.set_event_id(event_id);
  ToProto(event.occur_time, out.mutable_occur_time());
  out.set_producer(kProducer);
  out.set_aggregate_id(event.aggregate);
  out.set_aggregate_version(event.aggregate_version);
  out.set_request_id(event.request_id);
  out.set_actor(event.actor);
  out.set_type(std::visit(PayloadVisitor{&out}, event.payload));
  return out;
}

}  // namespace etnik::hubs::mapping
