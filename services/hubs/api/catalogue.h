#ifndef ETNIK_SERVICES_HUBS_API_CATALOGUE_H_
#define ETNIK_SERVICES_HUBS_API_CATALOGUE_H_

// The public catalogue as the API serves it: one cached answer per programme (every published
// hub with its experts) and one per hub, both through the domain's CatalogueCache port, so
// listings, themes and the JSON export are cut from a cached value and a change shows on the
// next read (the use cases invalidate after each commit).

#include <string>

#include "absl/status/statusor.h"
#include "etnik/hubs/v1/hubs_service.pb.h"
#include "services/hubs/domain/hubs_use_cases.h"

namespace etnik::hubs::api {

class CatalogueReader {
 public:
  explicit CatalogueReader(HubsUseCases& use_cases) : use_cases_(use_cases) {}

  absl::StatusOr<etnik::hubs::v1::ListPublishedHubsResponse> List(
      const etnik::hubs::v1::ListPublishedHubsRequest& request);
  // NOT_FOUND unless published.
  absl::StatusOr<etnik::hubs::v1::CatalogueHub> Get(const std::string& hub_id);
  absl::StatusOr<etnik::hubs::v1::ListThemesResponse> Themes(const std::string& programme);
  absl::StatusOr<etnik::hubs::v1::ExportCatalogueResponse> Export(const std::string& programme);

 private:
  // Every published hub of `programme` ("" = all), ordered by (title.ru, name).
  absl::StatusOr<etnik::hubs::v1::ListPublishedHubsResponse> All(const std::string& programme);

  HubsUseCases& use_cases_;
};

}  // namespace etnik::hubs::api

#endif  // ETNIK_SERVICES_HUBS_API_CATALOGUE_H_
