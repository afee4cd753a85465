#ifndef ETNIK_SERVICES_NOTIFICATIONS_API_NOTIFICATIONS_API_H_
#define ETNIK_SERVICES_NOTIFICATIONS_API_NOTIFICATIONS_API_H_

#include "etnik/notifications/v1/notifications_service.grpc.pb.h"

namespace etnik::notifications {

// gRPC face of the notifications service. Methods not overridden answer UNIMPLEMENTED.
class NotificationsApi final : public etnik::notifications::v1::NotificationsService::CallbackService {};

}  // namespace etnik::notifications

#endif
