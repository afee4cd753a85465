#ifndef ETNIK_SERVICES_HUBS_MAPPING_HUB_MAPPING_H_
#define ETNIK_SERVICES_HUBS_MAPPING_HUB_MAPPING_H_

// Domain entities <-> etnik.hubs.v1 resources. Names: hubs/{hub}, experts/{expert},
// hubs/{hub}/leads/{lead}, hubs/{hub}/memberships/{expert}, hubs/{hub}/participants/{participant}.

#include "etnik/hubs/v1/catalogue.pb.h"
#include "etnik/hubs/v1/expert.pb.h"
#include "etnik/hubs/v1/hub.pb.h"
#include "services/hubs/domain/model.h"

namespace etnik::hubs::mapping {

namespace hv1 = etnik::hubs::v1;

void ToProto(const Hub& in, hv1::Hub* out);
// The writable fields and the programme; `id` is left to the caller (it comes from the name).
Hub FromProto(const hv1::Hub& in);

void ToProto(const Expert& in, hv1::Expert* out);
Expert FromProto(const hv1::Expert& in);

void ToProto(const HubLead& in, hv1::HubLead* out);
HubLead FromProto(const hv1::HubLead& in);

void ToProto(const Membership& in, hv1::HubMembership* out);
void ToProto(const Assignment& in, hv1::ParticipantAssignment* out);
void ToProto(const CatalogueEntry& in, hv1::CatalogueHub* out);
void ToProto(const HubsProgress& in, hv1::HubsProgress* out);

hv1::HubState ToProto(HubState in);
// UNSPECIFIED maps to no state (nullopt is handled by the caller); others map one to one.
HubState FromProto(hv1::HubState in);

}  // namespace etnik::hubs::mapping

#endif  // ETNIK_SERVICES_HUBS_MAPPING_HUB_MAPPING_H_
