// Hubs, the public catalogue and progress. Experts, leads and participants: hubs_api_people.cc.

#include "services/hubs/api/hubs_api.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/hubs/api/authorization.h"
#include "services/hubs/api/names.h"
#include "services/hubs/api/serve.h"
#include "services/hubs/domain/rules.h"
#include "services/hubs/mapping/hub_mapping.h"

namespace etnik::hubs {

using api::ParseHubName;

namespace {

std::vector<std::string> MaskPaths(const google::protobuf::FieldMask& mask) {
  return {mask.paths().begin(), mask.paths().end()};
}

// The hubs a hub lead may see; nullopt for organisers and services (everything).
std::optional<std::vector<std::string>> VisibleHubs(const auth::Identity& who) {
  if (api::IsStaff(who)) return std::nullopt;
  return std::vector<std::string>(who.hub_ids.begin(), who.hub_ids.end());
}

}  // namespace

HubsApi::Reactor* HubsApi::CreateHub(Ctx* ctx, In<v1::CreateHubRequest> req, v1::Hub* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = api::RequireOrganiser(caller.identity); !s.ok()) return s;
    absl::StatusOr<Hub> hub =
        use_cases_.CreateHub(caller.context, mapping::FromProto(req->hub()), req->hub_id(), req->request_id());
    if (!hub.ok()) return hub.status();
    mapping::ToProto(*hub, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::GetHub(Ctx* ctx, In<v1::GetHubRequest> req, v1::Hub* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> id = ParseHubName(req->name(), "name");
    if (!id.ok()) return id.status();
    if (absl::Status s = api::RequireHubReader(caller.identity, *id); !s.ok()) return s;
    absl::StatusOr<Hub> hub = use_cases_.GetHub(*id);
    if (!hub.ok()) return hub.status();
    mapping::ToProto(*hub, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::ListHubs(Ctx* ctx, In<v1::ListHubsRequest> req, v1::ListHubsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    // Hub leads see only the hubs their token lists.
    if (absl::Status s = api::RequireStaffOrHubLead(caller.identity); !s.ok()) return s;
    if (!req->programme().empty() && !IsValidProgrammeName(req->programme())) {
      return InvalidArgumentError("programme is not a programme name", {{"programme", "programmes/{programme}"}});
    }
    HubFilter filter;
    filter.programme = req->programme();
    if (req->state() != v1::HUB_STATE_UNSPECIFIED) filter.state = mapping::FromProto(req->state());
    filter.theme = req->theme();
    filter.lead_subject = req->lead();
    filter.only_ids = VisibleHubs(caller.identity);
    absl::StatusOr<Page<Hub>> page = use_cases_.ListHubs(filter, {req->page_size(), req->page_token()});
    if (!page.ok()) return page.status();
    for (const Hub& hub : page->items) mapping::ToProto(hub, resp->add_hubs());
    resp->set_next_page_token(page->next_page_token);
    resp->set_total_size(page->total_size);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::UpdateHub(Ctx* ctx, In<v1::UpdateHubRequest> req, v1::Hub* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> id = ParseHubName(req->hub().name(), "hub.name");
    if (!id.ok()) return id.status();
    if (absl::Status s = api::RequireHubManager(caller.identity, *id); !s.ok()) return s;
    Hub changes = mapping::FromProto(req->hub());
    changes.id = *id;
    absl::StatusOr<Hub> hub =
        use_cases_.UpdateHub(caller.context, changes, MaskPaths(req->update_mask()), req->hub().etag());
    if (!hub.ok()) return hub.status();
    mapping::ToProto(*hub, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::DeleteHub(Ctx* ctx, In<v1::DeleteHubRequest> req, Empty* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> id = ParseHubName(req->name(), "name");
    if (!id.ok()) return id.status();
    if (absl::Status s = api::RequireOrganiser(caller.identity); !s.ok()) return s;
    return use_cases_.DeleteHub(caller.context, *id, req->etag());
  });
}

HubsApi::Reactor* HubsApi::PublishHub(Ctx* ctx, In<v1::PublishHubRequest> req, v1::Hub* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> id = ParseHubName(req->name(), "name");
    if (!id.ok()) return id.status();
    if (absl::Status s = api::RequireHubManager(caller.identity, *id); !s.ok()) return s;
    absl::StatusOr<Hub> hub = use_cases_.PublishHub(caller.context, *id, req->etag(), req->request_id());
    if (!hub.ok()) return hub.status();
    mapping::ToProto(*hub, resp);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::CloseHub(Ctx* ctx, In<v1::CloseHubRequest> req, v1::Hub* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> id = ParseHubName(req->name(), "name");
    if (!id.ok()) return id.status();
    if (absl::Status s = api::RequireOrganiser(caller.identity); !s.ok()) return s;
    absl::StatusOr<Hub> hub = use_cases_.CloseHub(caller.context, *id, req->etag(), req->request_id());
    if (!hub.ok()) return hub.status();
    mapping::ToProto(*hub, resp);
    return absl::OkStatus();
  });
}

// The public catalogue: anyone, with or without a token (a token, when sent, must be valid).

HubsApi::Reactor* HubsApi::ListPublishedHubs(Ctx* ctx, In<v1::ListPublishedHubsRequest> req,
                                             v1::ListPublishedHubsResponse* resp) {
  return Serve(ctx, [&](const Caller&) -> absl::Status {
    absl::StatusOr<v1::ListPublishedHubsResponse> page = catalogue_.List(*req);
    if (!page.ok()) return page.status();
    *resp = *std::move(page);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::GetPublishedHub(Ctx* ctx, In<v1::GetPublishedHubRequest> req, v1::CatalogueHub* resp) {
  return Serve(ctx, [&](const Caller&) -> absl::Status {
    absl::StatusOr<std::string> id = ParseHubName(req->name(), "name");
    if (!id.ok()) return id.status();
    absl::StatusOr<v1::CatalogueHub> hub = catalogue_.Get(*id);
    if (!hub.ok()) return hub.status();
    *resp = *std::move(hub);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::ListThemes(Ctx* ctx, In<v1::ListThemesRequest> req, v1::ListThemesResponse* resp) {
  return Serve(ctx, [&](const Caller&) -> absl::Status {
    absl::StatusOr<v1::ListThemesResponse> themes = catalogue_.Themes(req->programme());
    if (!themes.ok()) return themes.status();
    *resp = *std::move(themes);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::ExportCatalogue(Ctx* ctx, In<v1::ExportCatalogueRequest> req,
                                           v1::ExportCatalogueResponse* resp) {
  return Serve(ctx, [&](const Caller&) -> absl::Status {
    absl::StatusOr<v1::ExportCatalogueResponse> out = catalogue_.Export(req->programme());
    if (!out.ok()) return out.status();
    *resp = *std::move(out);
    return absl::OkStatus();
  });
}

HubsApi::Reactor* HubsApi::GetHubsProgress(Ctx* ctx, In<v1::GetHubsProgressRequest> req, v1::HubsProgress* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = api::RequireStaff(caller.identity); !s.ok()) return s;
    absl::StatusOr<HubsProgress> progress = use_cases_.Progress(req->programme());
    if (!progress.ok()) return progress.status();
    mapping::ToProto(*progress, resp);
    return absl::OkStatus();
  });
}

}  // namespace etnik::hubs
