#include "services/hubs/mapping/hub_mapping.h"

#include "absl/strings/str_cat.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/mapping/common_mapping.h"

namespace etnik::hubs::mapping {

hv1::HubState ToProto(HubState in) {
  switch (in) {
    case HubState::kDraft:
      return hv1::HUB_STATE_DRAFT;
    case HubState::kPublished:
      return hv1::HUB_STATE_PUBLISHED;
    case HubState::kClosed:
      return hv1::HUB_STATE_CLOSED;
  }
  return hv1::HUB_STATE_UNSPECIFIED;
}

HubState FromProto(hv1::HubState in) {
  return in == hv1::HUB_STATE_PUBLISHED ? HubState::kPublished
         : in == hv1::HUB_STATE_CLOSED  ? HubState::kClosed
                                        : HubState::kDraft;
}

void ToProto(const Hub& in, hv1::Hub* out) {
  out->set_name(absl::StrCat("hubs/", in.id));
  out->set_programme(in.programme);
  ToProto(in.title, out->mutable_title());
  out->set_theme(in.theme);
  ToProto(in.theme_title, out->mutable_theme_title());
  ToProto(in.description, out->mutable_description());
  ToProto(in.contact, out->mutable_contact());
  out->set_state(ToProto(in.state));
  out->set_participant_capacity(in.participant_capacity);
  out->set_expert_count(in.expert_count);
  out->set_participant_count(in.participant_count);
  if (IsSet(in.publish_time)) ToProto(in.publish_time, out->mutable_publish_time());
  if (IsSet(in.close_time)) ToProto(in.close_time, out->mutable_close_time());
  ToProto(in.create_time, out->mutable_create_time());
  ToProto(in.update_time, out->mutable_update_time());
  out->set_etag(EtagOf(in.version, in.create_time));
}

Hub FromProto(const hv1::Hub& in) {
  Hub out;
  out.programme = in.programme();
  out.title = FromProto(in.title());
  out.theme = in.theme();
  out.theme_title = FromProto(in.theme_title());
  out.description = FromProto(in.description());
  out.contact = FromProto(in.contact());
  out.participant_capacity = in.participant_capacity();
  return out;
}

void ToProto(const Expert& in, hv1::Expert* out) {
  out->set_name(absl::StrCat("experts/", in.id));
  ToProto(in.full_name, out->mutable_full_name());
  ToProto(in.bio, out->mutable_bio());
  for (const std::string& topic : in.topics) out->add_topics(topic);
  out->set_city(in.city);
  out->set_time_zone(in.time_zone);
  ToProto(in.contact, out->mutable_contact());
  out->set_photo_uri(in.photo_uri);
  out->set_subject(in.subject);
  out->set_language(ToProto(in.language));
  for (const AvailabilityWindow& w : in.weekly_availability) ToProto(w, out->add_weekly_availability());
  for (const AvailabilityException& e : in.availability_exceptions) ToProto(e, out->add_availability_exceptions());
  for (const std::string& hub : in.hubs) out->add_hubs(absl::StrCat("hubs/", hub));
  ToProto(in.create_time, out->mutable_create_time());
  ToProto(in.update_time, out->mutable_update_time());
  out->set_etag(EtagOf(in.version, in.create_time));
}

Expert FromProto(const hv1::Expert& in) {
  Expert out;
  out.full_name = FromProto(in.full_name());
  out.bio = FromProto(in.bio());
  out.topics.assign(in.topics().begin(), in.topics().end());
  out.city = in.city();
  out.time_zone = in.time_zone();
  out.contact = FromProto(in.contact());
  out.photo_uri = in.photo_uri();
  out.subject = in.subject();
  out.language = FromProto(in.language());
  for (const auto& w : in.weekly_availability()) out.weekly_availability.push_back(FromProto(w));
  for (const auto& e : in.availability_exceptions()) out.availability_exceptions.push_back(FromProto(e));
  return out;
}

void ToProto(const HubLead& in, hv1::HubLead* out) {
  out->set_name(absl::StrCat("hubs/", in.hub_id, "/leads/", in.id));
  out->set_subject(in.subject);
  out->set_full_name(in.full_name);
  ToProto(in.contact, out->mutable_contact());
  out->set_time_zone(in.time_zone);
  out->set_language(ToProto(in.language));
  ToProto(in.create_time, out->mutable_create_time());
}

HubLead FromProto(const hv1::HubLead& in) {
  HubLead out;
  out.subject = in.subject();
  out.full_name = in.full_name();
  out.contact = FromProto(in.contact());
  out.time_zone = in.time_zone();
  out.language = FromProto(in.language());
  return out;
}

void ToProto(const Membership& in, hv1::HubMembership* out) {
  out->set_name(absl::StrCat("hubs/", in.hub_id, "/memberships/", in.expert_id));
  out->set_expert(absl::StrCat("experts/", in.expert_id));
  ToProto(in.create_time, out->mutable_create_time());
}

void ToProto(const Assignment& in, hv1::ParticipantAssignment* out) {
  out->set_name(absl::StrCat("hubs/", in.hub_id, "/participants/", in.participant_id));
  out->set_participant(in.participant);
  out->set_organisation_name(in.organisation_name);
  ToProto(in.create_time, out->mutable_create_time());
}

void ToProto(const CatalogueEntry& in, hv1::CatalogueHub* out) {
  const Hub& hub = in.hub;
  out->set_name(absl::StrCat("hubs/", hub.id));
  out->set_programme(hub.programme);
  ToProto(hub.title, out->mutable_title());
  out->set_theme(hub.theme);
  ToProto(hub.theme_title, out->mutable_theme_title());
  ToProto(hub.description, out->mutable_description());
  ToProto(hub.contact, out->mutable_contact());
  for (const Expert& e : in.experts) {
    hv1::PublicExpert* p = out->add_experts();
    p->set_name(absl::StrCat("experts/", e.id));
    ToProto(e.full_name, p->mutable_full_name());
    ToProto(e.bio, p->mutable_bio());
    for (const std::string& topic : e.topics) p->add_topics(topic);
    p->set_city(e.city);
    p->set_photo_uri(e.photo_uri);
  }
  if (IsSet(hub.publish_time)) ToProto(hub.publish_time, out->mutable_publish_time());
}

void ToProto(const HubsProgress& in, hv1::HubsProgress* out) {
  out->set_programme(in.programme);
  out->set_draft_hubs(in.draft_hubs);
  out->set_published_hubs(in.published_hubs);
  out->set_closed_hubs(in.closed_hubs);
  out->set_experts(in.experts);
  out->set_assigned_participants(in.assigned_participants);
  for (const TargetProgress& t : in.targets) {
    etnik::common::v1::TargetProgress* p = out->add_targets();
    p->set_stage(t.stage);
    p->set_metric(t.metric == TargetMetric::kHubs ? etnik::common::v1::TARGET_METRIC_HUBS
                                                  : etnik::common::v1::TARGET_METRIC_EXPERTS);
    p->set_target(t.target);
    p->set_actual(t.actual);
  }
}

}  // namespace etnik::hubs::mapping
