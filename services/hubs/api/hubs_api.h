#ifndef ETNIK_SERVICES_HUBS_API_HUBS_API_H_
#define ETNIK_SERVICES_HUBS_API_HUBS_API_H_

#include "etnik/hubs/v1/hubs_service.grpc.pb.h"

namespace etnik::hubs {

// gRPC face of the hubs service. Methods not overridden answer UNIMPLEMENTED.
class HubsApi final : public etnik::hubs::v1::HubsService::CallbackService {};

}  // namespace etnik::hubs

#endif
