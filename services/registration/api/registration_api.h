#ifndef ETNIK_SERVICES_REGISTRATION_API_REGISTRATION_API_H_
#define ETNIK_SERVICES_REGISTRATION_API_REGISTRATION_API_H_

#include "etnik/registration/v1/registration_service.grpc.pb.h"

namespace etnik::registration {

// gRPC face of the registration service. Methods not overridden answer UNIMPLEMENTED.
class RegistrationApi final : public etnik::registration::v1::RegistrationService::CallbackService {};

}  // namespace etnik::registration

#endif
