#ifndef ETNIK_SERVICES_HUBS_API_HUBS_API_H_
#define ETNIK_SERVICES_HUBS_API_HUBS_API_H_

// gRPC face of the hubs service: authenticates every call, authorises it (organisers: all;
// a hub lead: the hubs in their token; services: reads; anyone, even without a token: the
// published catalogue), maps proto <-> domain and domain errors to rich gRPC statuses.

#include <string>

#include "absl/status/status.h"
#include "common/auth/authenticator.h"
#include "common/auth/identity.h"
#include "etnik/hubs/v1/hubs_service.grpc.pb.h"
#include "services/hubs/api/catalogue.h"
#include "services/hubs/domain/hubs_use_cases.h"

namespace etnik::hubs {

class HubsApi final : public etnik::hubs::v1::HubsService::CallbackService {
 public:
  // References must outlive the service.
  HubsApi(const auth::Authenticator& authenticator, HubsUseCases& use_cases)
      : auth_(authenticator), use_cases_(use_cases), catalogue_(use_cases) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  using Empty = google::protobuf::Empty;
  template <typename T>
  using In = const T*;

  Reactor* CreateHub(Ctx* ctx, In<v1::CreateHubRequest> req, v1::Hub* resp) override;
  Reactor* GetHub(Ctx* ctx, In<v1::GetHubRequest> req, v1::Hub* resp) override;
  Reactor* ListHubs(Ctx* ctx, In<v1::ListHubsRequest> req, v1::ListHubsResponse* resp) override;
  Reactor* UpdateHub(Ctx* ctx, In<v1::UpdateHubRequest> req, v1::Hub* resp) override;
  Reactor* DeleteHub(Ctx* ctx, In<v1::DeleteHubRequest> req, Empty* resp) override;
  Reactor* PublishHub(Ctx* ctx, In<v1::PublishHubRequest> req, v1::Hub* resp) override;
  Reactor* CloseHub(Ctx* ctx, In<v1::CloseHubRequest> req, v1::Hub* resp) override;

  Reactor* CreateExpert(Ctx* ctx, In<v1::CreateExpertRequest> req, v1::Expert* resp) override;
  Reactor* GetExpert(Ctx* ctx, In<v1::GetExpertRequest> req, v1::Expert* resp) override;
  Reactor* ListExperts(Ctx* ctx, In<v1::ListExpertsRequest> req, v1::ListExpertsResponse* resp) override;
  Reactor* UpdateExpert(Ctx* ctx, In<v1::UpdateExpertRequest> req, v1::Expert* resp) override;
  Reactor* DeleteExpert(Ctx* ctx, In<v1::DeleteExpertRequest> req, Empty* resp) override;

  Reactor* AddExpert(Ctx* ctx, In<v1::AddExpertRequest> req, v1::HubMembership* resp) override;
  Reactor* RemoveExpert(Ctx* ctx, In<v1::RemoveExpertRequest> req, Empty* resp) override;

  Reactor* AddHubLead(Ctx* ctx, In<v1::AddHubLeadRequest> req, v1::HubLead* resp) override;
  Reactor* RemoveHubLead(Ctx* ctx, In<v1::RemoveHubLeadRequest> req, Empty* resp) override;
  Reactor* ListHubLeads(Ctx* ctx, In<v1::ListHubLeadsRequest> req, v1::ListHubLeadsResponse* resp) override;

  Reactor* AssignParticipant(Ctx* ctx, In<v1::AssignParticipantRequest> req,
                             v1::ParticipantAssignment* resp) override;
  Reactor* UnassignParticipant(Ctx* ctx, In<v1::UnassignParticipantRequest> req, Empty* resp) override;
  Reactor* ListParticipantAssignments(Ctx* ctx, In<v1::ListParticipantAssignmentsRequest> req,
                                      v1::ListParticipantAssignmentsResponse* resp) override;

  Reactor* ListPublishedHubs(Ctx* ctx, In<v1::ListPublishedHubsRequest> req,
                             v1::ListPublishedHubsResponse* resp) override;
  Reactor* GetPublishedHub(Ctx* ctx, In<v1::GetPublishedHubRequest> req, v1::CatalogueHub* resp) override;
  Reactor* ListThemes(Ctx* ctx, In<v1::ListThemesRequest> req, v1::ListThemesResponse* resp) override;
  Reactor* ExportCatalogue(Ctx* ctx, In<v1::ExportCatalogueRequest> req, v1::ExportCatalogueResponse* resp) override;

  Reactor* GetHubsProgress(Ctx* ctx, In<v1::GetHubsProgressRequest> req, v1::HubsProgress* resp) override;

 private:
  // The authenticated caller of one call.
  struct Caller {
    auth::Identity identity;
    CallContext context;
  };

  // Authenticates, runs `handler(caller)` and finishes the call with its status.
  template <typename Handler>
  Reactor* Serve(Ctx* ctx, Handler&& handler);

  const auth::Authenticator& auth_;
  HubsUseCases& use_cases_;
  api::CatalogueReader catalogue_;
};

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_API_HUBS_API_H_
