// The gRPC API over a real server on SQLite: authorisation, field violations for bad input,
// template updates refused when they do not render, etags, idempotent SendNotification,
// listing filters and RetryDelivery.

#include <set>

#include "common/auth/authenticator.h"
#include "common/auth/client_token.h"
#include "common/auth/token_minter.h"
#include "common/db/migrations.h"
#include "common/server/server_runner.h"
#include "common/testing/sqlite_temp_database.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/notifications/api/notifications_api.h"
#include "services/notifications/api/unsubscribe_token.h"
#include "services/notifications/domain/default_templates.h"
#include "services/notifications/domain/template_engine.h"
#include "services/notifications/store/schema.h"

namespace etnik::notifications {
namespace {

constexpr char kSecret[] = "a-test-secret-of-more-than-32-bytes-for-hs256";
const absl::Time kNow = absl::FromUnixSeconds(1800000000);

std::set<std::string> ViolatedFields(const grpc::Status& s) {
  std::set<std::string> out;
  google::rpc::Status st;
  if (!st.ParseFromString(s.error_details())) return out;
  for (const auto& any : st.details()) {
    google::rpc::BadRequest br;
    if (any.UnpackTo(&br)) {
      for (const auto& v : br.field_violations()) out.insert(v.field());
    }
  }
  return out;
}

class RpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(kNow);
    auto file = test::TempSqliteDatabase::Create();
    ASSERT_TRUE(file.ok());
    sqlite_ = std::move(*file);
    auto db = db::Database::Open(sqlite_->url());
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db::ApplyMigrations(*db_, store::NotificationsMigrations()).ok());
    ASSERT_TRUE(store::SeedTemplates(*db_, DefaultTemplates(), kNow).ok());
    auth::JwtConfig jwt;
    jwt.hs256_secret = kSecret;
    auto authenticator = auth::Authenticator::Create(jwt, clock_);
    ASSERT_TRUE(authenticator.ok());
    authenticator_ = std::make_unique<auth::Authenticator>(std::move(*authenticator));
    api_ = std::make_unique<NotificationsApi>(*authenticator_, *db_, clock_, "unsubscribe-secret");
    server::ServerOptions options;
    options.name = "notifications";
    options.metrics_address = "";
    runner_ = std::make_unique<server::ServerRunner>(options);
    runner_->AddService(api_.get(), v1::NotificationsService::service_full_name());
    ASSERT_TRUE(runner_->Start().ok());
    stub_ = v1::NotificationsService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", runner_->grpc_port()), grpc::InsecureChannelCredentials()));
    organiser_ = Token("org", {auth::Role::kOrganiser});
    service_ = Token("svc", {auth::Role::kService});
    participant_ = Token("p", {auth::Role::kParticipant});
  }
  void TearDown() override {
    runner_->Shutdown();
    runner_.reset();
    api_.reset();
    db_.reset();
  }

  static std::string Token(const std::string& subject, std::set<auth::Role> roles) {
    auth::TokenClaims claims;
    claims.subject = subject;
    claims.roles = std::move(roles);
    claims.issued_at = kNow;
    absl::StatusOr<std::string> t = auth::MintHs256Token(kSecret, claims);
    return t.ok() ? *t : "";
  }
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!token.empty()) auth::AttachBearerToken(*ctx, token);
    return ctx;
  }

  FakeClock clock_;
  std::unique_ptr<test::TempSqliteDatabase> sqlite_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<NotificationsApi> api_;
  std::unique_ptr<server::ServerRunner> runner_;
  std::unique_ptr<v1::NotificationsService::Stub> stub_;
  std::string organiser_, service_, participant_;
};

TEST_F(RpcTest, CallersNeedTheRightRole) {
  v1::ListDeliveriesRequest req;
  v1::ListDeliveriesResponse resp;
  EXPECT_EQ(stub_->ListDeliveries(Ctx("").get(), req, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub_->ListDeliveries(Ctx(participant_).get(), req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(stub_->ListDeliveries(Ctx(organiser_).get(), req, &resp).ok());
  v1::UpdateTemplateRequest ut;
  ut.mutable_template_()->set_name("templates/reminder-email-ru");
  v1::Template t;
  EXPECT_EQ(stub_->UpdateTemplate(Ctx(service_).get(), ut, &t).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::SendNotificationRequest sn;
  v1::SendNotificationResponse sr;
  EXPECT_EQ(stub_->SendNotification(Ctx(participant_).get(), sn, &sr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RpcTest, BrokenTemplateIsRefusedWithFieldViolationsAndEtagsGuardUpdates) {
  v1::GetTemplateRequest g;
  g.set_name("templates/reminder-email-ru");
  v1::Template current;
  ASSERT_TRUE(stub_->GetTemplate(Ctx(organiser_).get(), g, &current).ok());
  EXPECT_FALSE(current.variables().empty());

  v1::UpdateTemplateRequest req;
  *req.mutable_template_() = current;
  req.mutable_template_()->set_body("Здравствуйте, {{recipient_name}! {{#if session_title}}");
  req.mutable_template_()->set_subject("{{no_such_variable}}");
  v1::Template out;
  grpc::Status s = stub_->UpdateTemplate(Ctx(organiser_).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(s), (std::set<std::string>{"template.body", "template.subject"}));

  req.mutable_template_()->set_subject("Скоро: {{session_title}}");
  req.mutable_template_()->set_body("Здравствуйте, {{recipient_name}}! Начало {{start_time}}.");
  ASSERT_TRUE(stub_->UpdateTemplate(Ctx(organiser_).get(), req, &out).ok());
  EXPECT_NE(out.etag(), current.etag());
  EXPECT_EQ(out.subject(), "Скоро: {{session_title}}");
  // The same stale etag again.
  EXPECT_EQ(stub_->UpdateTemplate(Ctx(organiser_).get(), req, &out).error_code(), grpc::StatusCode::ABORTED);

  v1::ListTemplatesRequest lr;
  lr.set_event_type(kReminderEventType);
  lr.set_channel(etnik::common::v1::CHANNEL_EMAIL);
  v1::ListTemplatesResponse list;
  ASSERT_TRUE(stub_->ListTemplates(Ctx(organiser_).get(), lr, &list).ok());
  EXPECT_EQ(list.templates_size(), 2);  // ru and en
  g.set_name("bad/name");
  s = stub_->GetTemplate(Ctx(organiser_).get(), g, &current);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(s), std::set<std::string>{"name"});
}

TEST_F(RpcTest, SendNotificationValidatesAndIsIdempotent) {
  v1::SendNotificationRequest req;
  req.add_recipients()->set_email("not an address");
  req.set_body("{{#if x}}");
  v1::SendNotificationResponse resp;
  grpc::Status s = stub_->SendNotification(Ctx(service_).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(s), (std::set<std::string>{"request_id", "recipients[0].email", "subject", "body"}));

  req.Clear();
  req.set_request_id("req-1");
  v1::Recipient* r = req.add_recipients();
  r->set_email("anna@example.org");
  r->set_full_name("Анна");
  req.set_subject("Новости");
  req.set_body("Здравствуйте, {{recipient_name}}! {{news}}");
  (*req.mutable_variables())["news"] = "Открыт набор.";
  ASSERT_TRUE(stub_->SendNotification(Ctx(service_).get(), req, &resp).ok());
  ASSERT_EQ(resp.deliveries_size(), 1);
  const std::string name = resp.deliveries(0).name();
  EXPECT_EQ(resp.deliveries(0).state(), v1::DELIVERY_STATE_PENDING);
  v1::SendNotificationResponse again;
  ASSERT_TRUE(stub_->SendNotification(Ctx(service_).get(), req, &again).ok());
  ASSERT_EQ(again.deliveries_size(), 1);
  EXPECT_EQ(again.deliveries(0).name(), name);

  v1::ListDeliveriesRequest lr;
  lr.set_recipient("anna@example.org");
  lr.set_state(v1::DELIVERY_STATE_PENDING);
  v1::ListDeliveriesResponse list;
  ASSERT_TRUE(stub_->ListDeliveries(Ctx(organiser_).get(), lr, &list).ok());
  ASSERT_EQ(list.deliveries_size(), 1);
  EXPECT_EQ(list.deliveries(0).subject(), "Новости");
  lr.set_state(v1::DELIVERY_STATE_SENT);
  ASSERT_TRUE(stub_->ListDeliveries(Ctx(organiser_).get(), lr, &list).ok());
  EXPECT_EQ(list.deliveries_size(), 0);

  // Not dead-lettered: RetryDelivery refuses.
  v1::RetryDeliveryRequest rr;
  rr.set_name(name);
  v1::Delivery d;
  EXPECT_EQ(stub_->RetryDelivery(Ctx(organiser_).get(), rr, &d).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  rr.set_name("deliveries/missing");
  EXPECT_EQ(stub_->RetryDelivery(Ctx(organiser_).get(), rr, &d).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(RpcTest, ReminderSettingsValidateOffsets) {
  v1::GetReminderSettingsRequest g;
  g.set_name("programmes/p1/reminderSettings");
  v1::ReminderSettings settings;
  ASSERT_TRUE(stub_->GetReminderSettings(Ctx(organiser_).get(), g, &settings).ok());
  ASSERT_EQ(settings.offsets_size(), 2);
  EXPECT_EQ(settings.offsets(0).seconds(), 86400);

  v1::UpdateReminderSettingsRequest u;
  *u.mutable_reminder_settings() = settings;
  u.mutable_reminder_settings()->add_offsets()->set_seconds(5);
  v1::ReminderSettings out;
  grpc::Status s = stub_->UpdateReminderSettings(Ctx(organiser_).get(), u, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(s), std::set<std::string>{"reminder_settings.offsets[2]"});
  u.mutable_reminder_settings()->mutable_offsets(2)->set_seconds(7200);
  ASSERT_TRUE(stub_->UpdateReminderSettings(Ctx(organiser_).get(), u, &out).ok());
  EXPECT_EQ(out.offsets_size(), 3);
  g.set_name("programmes/p1");
  EXPECT_EQ(stub_->GetReminderSettings(Ctx(organiser_).get(), g, &settings).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RpcTest, PreferencesBelongToThePersonAndOrganisersAndLinksUnsubscribe) {
  const std::string anna = Token("subj-anna", {auth::Role::kParticipant});
  v1::UpdatePreferenceRequest u;
  u.mutable_preference()->set_recipient("subj-anna");
  u.mutable_preference()->set_email("anna@example.org");
  u.mutable_preference()->set_time_zone("Mars/Olympus");
  v1::ChannelConsent* c = u.mutable_preference()->add_channels();
  c->set_channel(etnik::common::v1::CHANNEL_TELEGRAM);
  c->set_enabled(true);
  u.set_allow_missing(true);
  v1::Preference out;
  grpc::Status s = stub_->UpdatePreference(Ctx(anna).get(), u, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(s), (std::set<std::string>{"preference.time_zone", "preference.channels[0].address"}));
  u.mutable_preference()->set_time_zone("Asia/Yekaterinburg");
  c->set_address("12345");
  // Someone else may not write Anna's preference.
  EXPECT_EQ(stub_->UpdatePreference(Ctx(participant_).get(), u, &out).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->UpdatePreference(Ctx(anna).get(), u, &out).ok());
  EXPECT_EQ(out.recipient(), "subj-anna");

  v1::GetPreferenceRequest g;
  g.set_name(out.name());
  v1::Preference got;
  EXPECT_TRUE(stub_->GetPreference(Ctx(anna).get(), g, &got).ok());
  EXPECT_TRUE(stub_->GetPreference(Ctx(organiser_).get(), g, &got).ok());
  EXPECT_EQ(stub_->GetPreference(Ctx(participant_).get(), g, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub_->GetPreference(Ctx("").get(), g, &got).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::ListPreferencesRequest lr;
  lr.set_email("anna@example.org");
  v1::ListPreferencesResponse list;
  EXPECT_EQ(stub_->ListPreferences(Ctx(anna).get(), lr, &list).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->ListPreferences(Ctx(organiser_).get(), lr, &list).ok());
  EXPECT_EQ(list.preferences_size(), 1);

  // The link in a message unsubscribes, anonymously; a forged one does not.
  v1::UnsubscribeRequest un;
  un.set_token(MakeUnsubscribeToken("another-secret", "subj-anna"));
  s = stub_->Unsubscribe(Ctx("").get(), un, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(s), std::set<std::string>{"token"});
  un.set_token(MakeUnsubscribeToken("unsubscribe-secret", "subj-anna"));
  ASSERT_TRUE(stub_->Unsubscribe(Ctx("").get(), un, &got).ok());
  EXPECT_TRUE(got.unsubscribed());
  EXPECT_EQ(got.name(), out.name());
  ASSERT_EQ(got.channels_size(), 1);  // the rest is kept
}

TEST_F(RpcTest, WebhookSubscriptionsAreValidatedListedWithoutSecretsAndDeleted) {
  v1::CreateWebhookSubscriptionRequest c;
  c.mutable_webhook_subscription()->set_uri("http://example.org/hook");
  c.mutable_webhook_subscription()->set_secret("short");
  v1::WebhookSubscription made;
  grpc::Status s = stub_->CreateWebhookSubscription(Ctx(organiser_).get(), c, &made);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(s), (std::set<std::string>{"webhook_subscription.uri", "webhook_subscription.secret"}));
  c.mutable_webhook_subscription()->set_uri("https://crm.example.org/etnik");
  c.mutable_webhook_subscription()->set_secret("a-secret-of-sixteen+");
  c.mutable_webhook_subscription()->add_event_types("SessionBooked");
  c.set_webhook_subscription_id("crm");
  EXPECT_EQ(stub_->CreateWebhookSubscription(Ctx(service_).get(), c, &made).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->CreateWebhookSubscription(Ctx(organiser_).get(), c, &made).ok());
  EXPECT_EQ(made.name(), "webhookSubscriptions/crm");
  EXPECT_TRUE(made.secret().empty());
  ASSERT_TRUE(stub_->CreateWebhookSubscription(Ctx(organiser_).get(), c, &made).ok());  // the same request again
  c.mutable_webhook_subscription()->set_uri("https://other.example.org/");
  EXPECT_EQ(stub_->CreateWebhookSubscription(Ctx(organiser_).get(), c, &made).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::ListWebhookSubscriptionsRequest lr;
  v1::ListWebhookSubscriptionsResponse list;
  ASSERT_TRUE(stub_->ListWebhookSubscriptions(Ctx(organiser_).get(), lr, &list).ok());
  ASSERT_EQ(list.webhook_subscriptions_size(), 1);
  EXPECT_TRUE(list.webhook_subscriptions(0).secret().empty());
  v1::DeleteWebhookSubscriptionRequest d;
  d.set_name("webhookSubscriptions/crm");
  google::protobuf::Empty empty;
  ASSERT_TRUE(stub_->DeleteWebhookSubscription(Ctx(organiser_).get(), d, &empty).ok());
  EXPECT_EQ(stub_->DeleteWebhookSubscription(Ctx(organiser_).get(), d, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace etnik::notifications
