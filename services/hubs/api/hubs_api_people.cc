// Experts, hub memberships, hub leads and participants in hubs.

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/hubs/api/authorization.h"
#include "services/hubs/api/hubs_api.h"
#include "services/hubs/api/names.h"
#include "services/hubs/api/serve.h"
#include "services/hubs/mapping/hub_mapping.h"

namespace etnik::hubs {

using api::ParseExpertName;
using api::ParseHubChildName;
using api::ParseHubName;
using auth::Role;

namespace {

// The reason of a refused expert change by someone who neither is the expert nor leads one of
// the expert's hubs.
constexpr char kReasonNotExpertManager[] = "NOT_EXPERT_MANAGER";

bool MaskCovers(const google::protobuf::FieldMask& mask, const std::string& field) {
  if (mask.paths().empty()) return true;
  return std::any_of(mask.paths().begin(), mask.paths().end(),
                     [&](const std::string& p) { return p == "*" || p == field; });
}

// Organisers change any profile; an expert their own; a hub lead the experts of their hubs
// and experts in no hub yet (whom they are about to add). Only organisers relink an account.
absl::Status MayChangeExpert(const auth::Identity& who, const Expert& current, const v1::UpdateExpertRequest& req) {
  if (auth::HasRole(who, Role::kOrganiser)) return absl::OkStatus();
  const bool self = !current.subject.empty() && current.subject == who.subject;
  const bool lead = auth::HasRole(who, Role::kHubLead) &&
                    (current.hubs.empty() || std::any_of(current.hubs.begin(), current.hubs.end(),
                                                         [&](const std::string& h) { return who.hub_ids.count(h); }));
  if (!self && !lead) {
    return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                         absl::StrCat("experts/", current.id, " may be changed by organisers, the expert, or the leads "
                                      "of the expert's hubs"),
                         kReasonNotExpertManager, {{"expert", absl::StrCat("experts/", current.id)}});
  }
  if (MaskCovers(req.update_mask(), "subject") && req.expert().subject() != current.subject) {
    return ErrorWithInfo(absl::StatusCode::kPermissionDenied, "only organisers link an expert to an account",
                         kReasonNotExpertManager, {{"expert", absl::StrCat("experts/", current.id)}});
  }
  return absl::OkStatus();
}

}  // namespace

HubsApi::Reactor* HubsApi::CreateExpert(Ctx* ctx, In<v1::CreateExpertRequest> req, v1::Expert* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {Role::kOrganiser, Role::kHubLead}); !s.ok()) return s;
    absl::StatusOr<Expert> expert = use_cases_.CreateExpert(caller.context, mapping::FromProto(req->expert()),
                                                            req->expert_id(), req->request_id());
    if (!expert.ok()) return expert.status();
    mapping::ToProto(*expert, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::GetExpert(Ctx* ctx, In<v1::GetExpertRequest> req, v1::Expert* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> id = ParseExpertName(req->name(), "name");
    if (!id.ok()) return id.status();
    // Experts read their own profile; check the role first so others learn nothing.
    const bool reader = api::RequireStaffOrHubLead(caller.identity).ok();
    if (!reader) {
      if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    }
    absl::StatusOr<Expert> expert = use_cases_.GetExpert(*id);
    if (!reader && (!expert.ok() || expert->subject.empty() || expert->subject != caller.identity.subject)) {
      return api::RequireStaffOrHubLead(caller.identity);
    }
    if (!expert.ok()) return expert.status();
    mapping::ToProto(*expert, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::ListExperts(Ctx* ctx, In<v1::ListExpertsRequest> req, v1::ListExpertsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = api::RequireStaffOrHubLead(caller.identity); !s.ok()) return s;
    ExpertFilter filter;
    if (!req->hub().empty()) {
      absl::StatusOr<std::string> hub = ParseHubName(req->hub(), "hub");
      if (!hub.ok()) return hub.status();
      filter.hub_id = *hub;
    }
    filter.topic = req->topic();
    absl::StatusOr<Page<Expert>> page = use_cases_.ListExperts(filter, {req->page_size(), req->page_token()});
    if (!page.ok()) return page.status();
    for (const Expert& e : page->items) mapping::ToProto(e, resp->add_experts());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::UpdateExpert(Ctx* ctx, In<v1::UpdateExpertRequest> req, v1::Expert* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> id = ParseExpertName(req->expert().name(), "expert.name");
    if (!id.ok()) return id.status();
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    Expert changes = mapping::FromProto(req->expert());
    changes.id = *id;
    std::vector<std::string> mask(req->update_mask().paths().begin(), req->update_mask().paths().end());
    absl::StatusOr<Expert> expert = use_cases_.UpdateExpert(
        caller.context, changes, mask, req->expert().etag(),
        [&](const Expert& current) { return MayChangeExpert(caller.identity, current, *req); });
    if (!expert.ok()) return expert.status();
    mapping::ToProto(*expert, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::DeleteExpert(Ctx* ctx, In<v1::DeleteExpertRequest> req, Empty* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> id = ParseExpertName(req->name(), "name");
    if (!id.ok()) return id.status();
    if (absl::Status s = api::RequireOrganiser(caller.identity); !s.ok()) return s;
    return use_cases_.DeleteExpert(caller.context, *id, req->etag());
  });
}

HubsApi::Reactor* HubsApi::AddExpert(Ctx* ctx, In<v1::AddExpertRequest> req, v1::HubMembership* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> hub = ParseHubName(req->hub(), "hub");
    if (!hub.ok()) return hub.status();
    if (absl::Status s = api::RequireHubManager(caller.identity, *hub); !s.ok()) return s;
    absl::StatusOr<std::string> expert = ParseExpertName(req->expert(), "expert");
    if (!expert.ok()) return expert.status();
    absl::StatusOr<Membership> m = use_cases_.AddExpert(caller.context, *hub, *expert, req->request_id());
    if (!m.ok()) return m.status();
    mapping::ToProto(*m, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::RemoveExpert(Ctx* ctx, In<v1::RemoveExpertRequest> req, Empty* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> hub = ParseHubName(req->hub(), "hub");
    if (!hub.ok()) return hub.status();
    if (absl::Status s = api::RequireHubManager(caller.identity, *hub); !s.ok()) return s;
    absl::StatusOr<std::string> expert = ParseExpertName(req->expert(), "expert");
    if (!expert.ok()) return expert.status();
    return use_cases_.RemoveExpert(caller.context, *hub, *expert, req->request_id());
  });
}

HubsApi::Reactor* HubsApi::AddHubLead(Ctx* ctx, In<v1::AddHubLeadRequest> req, v1::HubLead* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> hub = ParseHubName(req->hub(), "hub");
    if (!hub.ok()) return hub.status();
    if (absl::Status s = api::RequireOrganiser(caller.identity); !s.ok()) return s;
    absl::StatusOr<HubLead> lead =
        use_cases_.AddHubLead(caller.context, *hub, mapping::FromProto(req->lead()), req->request_id());
    if (!lead.ok()) return lead.status();
    mapping::ToProto(*lead, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::RemoveHubLead(Ctx* ctx, In<v1::RemoveHubLeadRequest> req, Empty* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::pair<std::string, std::string>> name = ParseHubChildName(req->name(), "leads", "name");
    if (!name.ok()) return name.status();
    if (absl::Status s = api::RequireOrganiser(caller.identity); !s.ok()) return s;
    return use_cases_.RemoveHubLead(caller.context, name->first, name->second, req->request_id());
  });
}

HubsApi::Reactor* HubsApi::ListHubLeads(Ctx* ctx, In<v1::ListHubLeadsRequest> req, v1::ListHubLeadsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> hub = ParseHubName(req->parent(), "parent");
    if (!hub.ok()) return hub.status();
    if (absl::Status s = api::RequireHubReader(caller.identity, *hub); !s.ok()) return s;
    absl::StatusOr<Page<HubLead>> page = use_cases_.ListHubLeads(*hub, {req->page_size(), req->page_token()});
    if (!page.ok()) return page.status();
    for (const HubLead& lead : page->items) mapping::ToProto(lead, resp->add_leads());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::AssignParticipant(Ctx* ctx, In<v1::AssignParticipantRequest> req,
                                             v1::ParticipantAssignment* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> hub = ParseHubName(req->hub(), "hub");
    if (!hub.ok()) return hub.status();
    if (absl::Status s = api::RequireHubManager(caller.identity, *hub); !s.ok()) return s;
    absl::StatusOr<Assignment> a =
        use_cases_.AssignParticipant(caller.context, *hub, req->participant(), req->request_id());
    if (!a.ok()) return a.status();
    mapping::ToProto(*a, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::UnassignParticipant(Ctx* ctx, In<v1::UnassignParticipantRequest> req, Empty* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::pair<std::string, std::string>> name =
        ParseHubChildName(req->name(), "participants", "name");
    if (!name.ok()) return name.status();
    if (absl::Status s = api::RequireHubManager(caller.identity, name->first); !s.ok()) return s;
    return use_cases_.UnassignParticipant(caller.context, name->first, name->second, req->request_id());
  });
}

HubsApi::Reactor* HubsApi::ListParticipantAssignments(Ctx* ctx, In<v1::ListParticipantAssignmentsRequest> req,
                                                      v1::ListParticipantAssignmentsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    AssignmentFilter filter;
    filter.participant = req->participant();
    if (req->parent() == "hubs/-") {
      if (absl::Status s = api::RequireStaffOrHubLead(caller.identity); !s.ok()) return s;
      if (!api::IsStaff(caller.identity)) {
        filter.only_hub_ids = std::vector<std::string>(caller.identity.hub_ids.begin(), caller.identity.hub_ids.end());
      }
    } else {
      absl::StatusOr<std::string> hub = ParseHubName(req->parent(), "parent");
      if (!hub.ok()) return hub.status();
      if (absl::Status s = api::RequireHubReader(caller.identity, *hub); !s.ok()) return s;
      filter.hub_id = *hub;
    }
    absl::StatusOr<Page<Assignment>> page = use_cases_.ListAssignments(filter, {req->page_size(), req->page_token()});
    if (!page.ok()) return page.status();
    for (const Assignment& a : page->items) mapping::ToProto(a, resp->add_participant_assignments());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

}  // namespace etnik::hubs
