#ifndef ETNIK_SERVICES_NOTIFICATIONS_API_NOTIFICATIONS_API_H_
#define ETNIK_SERVICES_NOTIFICATIONS_API_NOTIFICATIONS_API_H_

// gRPC face of the notifications service: authenticates every call and authorises it in the
// handler (organisers: templates, deliveries, reminder settings; organisers and services:
// SendNotification; organisers and the person: preferences; anyone with a signed link:
// Unsubscribe; organisers: webhook subscriptions).

#include <string>


#include "absl/status/status.h"
#include "common/auth/authenticator.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "etnik/notifications/v1/notifications_service.grpc.pb.h"
#include "services/notifications/store/deliveries.h"
#include "services/notifications/store/preferences.h"
#include "services/notifications/store/reminder_settings.h"
#include "services/notifications/store/templates.h"
#include "services/notifications/store/webhooks.h"

namespace etnik::notifications {

class NotificationsApi final : public etnik::notifications::v1::NotificationsService::CallbackService {
 public:
  // References must outlive the service.
  // `unsubscribe_secret` verifies the tokens of unsubscribe links (empty: Unsubscribe refuses).
  NotificationsApi(const auth::Authenticator& authenticator, db::Database& db, const Clock& clock,
                   std::string unsubscribe_secret = "")
      : auth_(authenticator), db_(db), clock_(clock), unsubscribe_secret_(std::move(unsubscribe_secret)),
        deliveries_(db), templates_(db), settings_(db), preferences_(db), webhooks_(db) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  template <typename T>
  using In = const T*;

  Reactor* GetTemplate(Ctx* ctx, In<v1::GetTemplateRequest> req, v1::Template* resp) override;
  Reactor* ListTemplates(Ctx* ctx, In<v1::ListTemplatesRequest> req, v1::ListTemplatesResponse* resp) override;
  Reactor* UpdateTemplate(Ctx* ctx, In<v1::UpdateTemplateRequest> req, v1::Template* resp) override;
  Reactor* SendNotification(Ctx* ctx, In<v1::SendNotificationRequest> req,
                            v1::SendNotificationResponse* resp) override;
  Reactor* GetDelivery(Ctx* ctx, In<v1::GetDeliveryRequest> req, v1::Delivery* resp) override;
  Reactor* ListDeliveries(Ctx* ctx, In<v1::ListDeliveriesRequest> req, v1::ListDeliveriesResponse* resp) override;
  Reactor* RetryDelivery(Ctx* ctx, In<v1::RetryDeliveryRequest> req, v1::Delivery* resp) override;
  Reactor* GetReminderSettings(Ctx* ctx, In<v1::GetReminderSettingsRequest> req, v1::ReminderSettings* resp) override;
  Reactor* UpdateReminderSettings(Ctx* ctx, In<v1::UpdateReminderSettingsRequest> req,
                                  v1::ReminderSettings* resp) override;
  Reactor* GetPreference(Ctx* ctx, In<v1::GetPreferenceRequest> req, v1::Preference* resp) override;
  Reactor* ListPreferences(Ctx* ctx, In<v1::ListPreferencesRequest> req, v1::ListPreferencesResponse* resp) override;
  Reactor* UpdatePreference(Ctx* ctx, In<v1::UpdatePreferenceRequest> req, v1::Preference* resp) override;
  Reactor* Unsubscribe(Ctx* ctx, In<v1::UnsubscribeRequest> req, v1::Preference* resp) override;
  Reactor* CreateWebhookSubscription(Ctx* ctx, In<v1::CreateWebhookSubscriptionRequest> req,
                                     v1::WebhookSubscription* resp) override;
  Reactor* ListWebhookSubscriptions(Ctx* ctx, In<v1::ListWebhookSubscriptionsRequest> req,
                                    v1::ListWebhookSubscriptionsResponse* resp) override;
  Reactor* DeleteWebhookSubscription(Ctx* ctx, In<v1::DeleteWebhookSubscriptionRequest> req,
                                     google::protobuf::Empty* resp) override;

 private:
  template <typename Handler>
  Reactor* Serve(Ctx* ctx, Handler&& handler);

  const auth::Authenticator& auth_;
  db::Database& db_;
  const Clock& clock_;
  const std::string unsubscribe_secret_;
  store::DeliveryQueue deliveries_;
  store::TemplateStore templates_;
  store::ReminderSettingsStore settings_;
  store::PreferenceStore preferences_;
  store::WebhookStore webhooks_;
};

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_API_NOTIFICATIONS_API_H_
