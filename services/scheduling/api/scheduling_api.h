#ifndef ETNIK_SERVICES_SCHEDULING_API_SCHEDULING_API_H_
#define ETNIK_SERVICES_SCHEDULING_API_SCHEDULING_API_H_

#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"

namespace etnik::scheduling {

// gRPC face of the scheduling service. Methods not overridden answer UNIMPLEMENTED.
class SchedulingApi final : public etnik::scheduling::v1::SchedulingService::CallbackService {};

}  // namespace etnik::scheduling

#endif
