// The hubs service end to end in one process: a real gRPC server on a free port, real HS256
// tokens, a real SQLite store and a real redis-server for the catalogue cache.

#include "services/hubs/api/hubs_api.h"

#include <atomic>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/client_token.h"
#include "common/auth/token_minter.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/db/migrations.h"
#include "common/outbox/outbox_relay.h"
#include "common/outbox/stream_consumer.h"
#include "common/outbox/stream_event.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_pool.h"
#include "common/redis/test_metrics.h"
#include "common/server/server_runner.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/redis_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/hubs/mapping/registration_events.h"
#include "services/hubs/cache/redis_catalogue_cache.h"
#include "services/hubs/mapping/common_mapping.h"
#include "services/hubs/store/outbox_events.h"
#include "services/hubs/store/schema.h"
#include "services/hubs/store/sql_hubs_store.h"

namespace etnik::hubs {
namespace {

namespace v1 = etnik::hubs::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kSecret[] = "a-test-secret-of-more-than-32-bytes-for-hs256";
const std::string kProgramme = "programmes/etnik-2021";
const absl::Time kNow = absl::FromUnixSeconds(1617700000);  // 6 April 2021, the announcement

// The demo programme's ten hubs (themes from the announcement, then plausible others).
struct DemoHub {
  const char* id;
  const char* title;
  const char* theme_title;
  int experts;
};
const DemoHub kDemoHubs[] = {
    {"media", "Информационные и медиапроекты", "Информационные и медиапроекты", 5},
    {"crafts", "Народные промыслы и ремёсла", "Народные промыслы и ремёсла", 4},
    {"migrants", "Работа с мигрантами", "Работа с мигрантами", 3},
    {"training", "Обучающие мероприятия", "Обучающие мероприятия", 3},
    {"youth", "Молодёжные этнокультурные проекты", "Молодёжь", 4},
    {"languages", "Сохранение родных языков", "Родные языки", 5},
    {"tourism", "Этнографический туризм", "Туризм", 3},
    {"festivals", "Национальные праздники и фестивали", "Праздники", 4},
    {"volunteering", "Этноволонтёрство", "Волонтёрство", 3},
    {"fundraising", "Ресурсы и фандрайзинг для НКО", "Ресурсы НКО", 5},
};
const char* kZones[] = {"Europe/Moscow", "Europe/Kaliningrad", "Asia/Vladivostok", "Asia/Kamchatka",
                        "Asia/Yekaterinburg", "Europe/Samara", "Asia/Novosibirsk"};
const char* kNames[] = {"Анна Петрова", "Иван Соколов", "Мария Кузнецова", "Олег Морозов", "Елена Волкова",
                        "Тимур Ахметов", "Айгуль Сафина", "Сергей Лебедев", "Дарья Новикова", "Руслан Гаджиев"};

absl::Status Details(const grpc::Status& status) { return FromGrpcStatus(status); }

std::string Reason(const grpc::Status& status) {
  std::optional<ErrorInfo> info = GetErrorInfo(Details(status));
  return info ? info->reason : "";
}

std::vector<std::string> ViolationFields(const grpc::Status& status) {
  std::vector<std::string> out;
  for (const FieldViolation& v : GetFieldViolations(Details(status))) out.push_back(v.field);
  return out;
}

class HubsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<test::RedisServer>> redis = test::RedisServer::Launch();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_server_ = redis->release();
  }
  static void TearDownTestSuite() {
    delete redis_server_;
    redis_server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(redis_server_, nullptr);
    ASSERT_TRUE(redis_server_->Execute({"FLUSHALL"}).ok());
    absl::StatusOr<std::unique_ptr<test::TempSqliteDatabase>> file = test::TempSqliteDatabase::Create();
    ASSERT_TRUE(file.ok()) << file.status();
    sqlite_ = *std::move(file);
    db::DatabaseOptions db_options;
    db_options.clock = &clock_;
    absl::StatusOr<std::unique_ptr<db::Database>> database = db::Database::Open(sqlite_->url(), db_options);
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(db::ApplyMigrations(*database_, store::HubsMigrations())
                    .ok());

    absl::StatusOr<redis::RedisOptions> redis_options = redis::ParseRedisUrl(redis_server_->url());
    ASSERT_TRUE(redis_options.ok());
    registry_ = std::make_shared<prometheus::Registry>();
    redis_pool_ = std::make_unique<redis::RedisPool>(*redis_options, clock_, *registry_);
    cache_ = std::make_unique<RedisCatalogueCache>(*redis_pool_, *registry_, absl::Minutes(5));
    relay_ = std::make_unique<outbox::OutboxRelay>(*database_, *redis_pool_, clock_, *registry_);
    store_ = std::make_unique<store::SqlHubsStore>(*database_, outbox_, [this] { relay_->Notify(); });
    use_cases_ = std::make_unique<HubsUseCases>(*store_, *cache_, clock_);

    auth::JwtConfig jwt;
    jwt.hs256_secret = kSecret;
    absl::StatusOr<auth::Authenticator> authenticator = auth::Authenticator::Create(jwt, clock_);
    ASSERT_TRUE(authenticator.ok()) << authenticator.status();
    authenticator_ = std::make_unique<auth::Authenticator>(*std::move(authenticator));
    api_ = std::make_unique<HubsApi>(*authenticator_, *use_cases_);

    server::ServerOptions options;
    options.name = "hubs";
    options.metrics_address = "";
    runner_ = std::make_unique<server::ServerRunner>(options);
    runner_->AddService(api_.get(), v1::HubsService::service_full_name());
    ASSERT_TRUE(runner_->Start().ok());
    stub_ = v1::HubsService::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", runner_->grpc_port()),
                                                         grpc::InsecureChannelCredentials()));
    organiser_ = Token("org-1", {auth::Role::kOrganiser});
  }

  void TearDown() override {
    if (runner_) runner_->Shutdown();
    runner_.reset();
    api_.reset();
    use_cases_.reset();
    store_.reset();
    relay_.reset();
    cache_.reset();
    redis_pool_.reset();
    database_.reset();
    sqlite_.reset();
  }

  static std::string Token(const std::string& subject, std::set<auth::Role> roles,
                           std::set<std::string> hubs = {}) {
    auth::TokenClaims claims;
    claims.subject = subject;
    claims.roles = std::move(roles);
    claims.hub_ids = std::move(hubs);
    claims.issued_at = kNow;
    absl::StatusOr<std::string> token = auth::MintHs256Token(kSecret, claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  // A client context with a deadline and, unless empty, the bearer token.
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    auth::AttachBearerToken(*ctx, token);
    return ctx;
  }

  grpc::Status CreateHub(const std::string& token, const std::string& id, const std::string& title,
                         const std::string& theme, v1::Hub* out = nullptr) {
    v1::CreateHubRequest req;
    req.set_hub_id(id);
    v1::Hub* hub = req.mutable_hub();
    hub->set_programme(kProgramme);
    hub->mutable_title()->set_ru(title);
    hub->set_theme(theme);
    hub->mutable_theme_title()->set_ru(title);
    hub->mutable_description()->set_ru(absl::StrCat("Ресурсная площадка «", title, "»"));
    hub->mutable_contact()->set_email(absl::StrCat(id, "@etnik.example.org"));
    v1::Hub local;
    return stub_->CreateHub(Ctx(token).get(), req, out ? out : &local);
  }

  grpc::Status CreateExpert(const std::string& token, const std::string& id, const std::string& name,
                            const std::string& zone, v1::Expert* out = nullptr) {
    v1::CreateExpertRequest req;
    req.set_expert_id(id);
    v1::Expert* e = req.mutable_expert();
    e->mutable_full_name()->set_ru(name);
    e->set_time_zone(zone);
    e->mutable_bio()->set_ru("Эксперт программы «ЭтНик»");
    e->add_topics("межнациональные отношения");
    e->set_city("Смоленск");
    e->mutable_contact()->set_email(absl::StrCat(id, "@experts.example.org"));
    e->set_photo_uri(absl::StrCat("https://etnik.example.org/experts/", id, ".jpg"));
    auto* window = e->add_weekly_availability();
    window->set_day_of_week(etnik::common::v1::DAY_OF_WEEK_TUESDAY);
    window->mutable_start()->set_hours(10);
    window->mutable_end()->set_hours(18);
    v1::Expert local;
    return stub_->CreateExpert(Ctx(token).get(), req, out ? out : &local);
  }

  grpc::Status AddExpert(const std::string& token, const std::string& hub, const std::string& expert) {
    v1::AddExpertRequest req;
    req.set_hub(absl::StrCat("hubs/", hub));
    req.set_expert(absl::StrCat("experts/", expert));
    v1::HubMembership m;
    return stub_->AddExpert(Ctx(token).get(), req, &m);
  }

  grpc::Status Publish(const std::string& token, const std::string& hub, v1::Hub* out = nullptr) {
    v1::PublishHubRequest req;
    req.set_name(absl::StrCat("hubs/", hub));
    v1::Hub local;
    return stub_->PublishHub(Ctx(token).get(), req, out ? out : &local);
  }

  // A published hub with `experts` experts.
  void PublishedHub(const std::string& id, const std::string& title, int experts) {
    ASSERT_TRUE(CreateHub(organiser_, id, title, id).ok());
    for (int i = 0; i < experts; ++i) {
      std::string expert = absl::StrCat(id, "-", i);
      ASSERT_TRUE(CreateExpert(organiser_, expert, kNames[i % 10], kZones[i % 7]).ok());
      ASSERT_TRUE(AddExpert(organiser_, id, expert).ok());
    }
    ASSERT_TRUE(Publish(organiser_, id).ok());
  }

  grpc::Status ListPublished(const std::string& token, v1::ListPublishedHubsResponse* out,
                             const std::string& theme = "") {
    v1::ListPublishedHubsRequest req;
    req.set_programme(kProgramme);
    req.set_theme(theme);
    return stub_->ListPublishedHubs(Ctx(token).get(), req, out);
  }

  double CacheHits() {
    return redis::MetricValue(*registry_, "etnik_cache_requests_total", {{"cache", "catalogue"}, {"result", "hit"}});
  }

  static test::RedisServer* redis_server_;
  FakeClock clock_{kNow};
  std::unique_ptr<test::TempSqliteDatabase> sqlite_;
  std::unique_ptr<db::Database> database_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<redis::RedisPool> redis_pool_;
  std::unique_ptr<RedisCatalogueCache> cache_;
  store::OutboxEventWriter outbox_;
  std::unique_ptr<outbox::OutboxRelay> relay_;
  std::unique_ptr<store::SqlHubsStore> store_;
  std::unique_ptr<HubsUseCases> use_cases_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<HubsApi> api_;
  std::unique_ptr<server::ServerRunner> runner_;
  std::unique_ptr<v1::HubsService::Stub> stub_;
  std::string organiser_;
};

test::RedisServer* HubsApiTest::redis_server_ = nullptr;

TEST_F(HubsApiTest, DemoProgrammeTenHubsAreCreatedAndPublished) {
  int expert_no = 0;
  for (const DemoHub& demo : kDemoHubs) {
    ASSERT_TRUE(CreateHub(organiser_, demo.id, demo.title, demo.id).ok()) << demo.id;
    for (int i = 0; i < demo.experts; ++i, ++expert_no) {
      std::string expert = absl::StrCat("expert-", expert_no);
      ASSERT_TRUE(CreateExpert(organiser_, expert, kNames[expert_no % 10], kZones[expert_no % 7]).ok());
      ASSERT_TRUE(AddExpert(organiser_, demo.id, expert).ok());
    }
    v1::AddHubLeadRequest lead;
    lead.set_hub(absl::StrCat("hubs/", demo.id));
    lead.mutable_lead()->set_subject(absl::StrCat("lead-", demo.id));
    lead.mutable_lead()->set_full_name("Руководитель площадки");
    lead.mutable_lead()->set_time_zone("Europe/Moscow");
    v1::HubLead added;
    ASSERT_TRUE(stub_->AddHubLead(Ctx(organiser_).get(), lead, &added).ok());
    // Each hub's own lead publishes it.
    v1::Hub published;
    grpc::Status status = Publish(Token(absl::StrCat("lead-", demo.id), {auth::Role::kHubLead}, {demo.id}), demo.id,
                                  &published);
    ASSERT_TRUE(status.ok()) << demo.id << ": " << status.error_message();
    EXPECT_EQ(published.state(), v1::HUB_STATE_PUBLISHED);
    EXPECT_EQ(published.expert_count(), demo.experts);
  }

  v1::ListPublishedHubsResponse catalogue;
  ASSERT_TRUE(ListPublished("", &catalogue).ok());
  ASSERT_EQ(catalogue.hubs_size(), 10);
  EXPECT_EQ(catalogue.total_size(), 10);
  int experts = 0;
  for (const v1::CatalogueHub& hub : catalogue.hubs()) {
    EXPECT_GE(hub.experts_size(), 3) << hub.name();
    EXPECT_LE(hub.experts_size(), 5) << hub.name();
    experts += hub.experts_size();
  }
  EXPECT_EQ(experts, expert_no);

  // The programme's target of 10 hubs, learnt from registration's event, is met.
  etnik::events::v1::DomainEvent stage;
  stage.set_event_id("reg-1");
  auto* changed = stage.mutable_programme_stage_changed();
  changed->set_programme(kProgramme);
  changed->set_stage(kProgramme + "/stages/training");
  auto* target = changed->add_targets();
  target->set_metric(etnik::common::v1::TARGET_METRIC_HUBS);
  target->set_value(10);
  ASSERT_TRUE(mapping::ApplyRegistrationEvent(*store_, stage).ok());
  v1::GetHubsProgressRequest progress_req;
  progress_req.set_programme(kProgramme);
  v1::HubsProgress progress;
  ASSERT_TRUE(stub_->GetHubsProgress(Ctx(organiser_).get(), progress_req, &progress).ok());
  EXPECT_EQ(progress.published_hubs(), 10);
  EXPECT_EQ(progress.experts(), expert_no);
  ASSERT_EQ(progress.targets_size(), 1);
  EXPECT_EQ(progress.targets(0).target(), 10);
  EXPECT_EQ(progress.targets(0).actual(), 10);

  // The JSON export for the organiser's web site: Cyrillic intact, every hub with its experts.
  v1::ExportCatalogueRequest export_req;
  export_req.set_programme(kProgramme);
  v1::ExportCatalogueResponse exported;
  ASSERT_TRUE(stub_->ExportCatalogue(Ctx("").get(), export_req, &exported).ok());
  EXPECT_EQ(exported.content_type(), "application/json; charset=utf-8");
  EXPECT_EQ(exported.filename(), "etnik-2021-hubs.json");
  EXPECT_THAT(exported.json_data(), HasSubstr("Народные промыслы и ремёсла"));
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(exported.json_data(), &parsed).ok());
  EXPECT_EQ(parsed.fields().at("programme").string_value(), kProgramme);
  EXPECT_EQ(parsed.fields().at("hubs").list_value().values_size(), 10);

  v1::ListThemesRequest themes_req;
  themes_req.set_programme(kProgramme);
  v1::ListThemesResponse themes;
  ASSERT_TRUE(stub_->ListThemes(Ctx("").get(), themes_req, &themes).ok());
  EXPECT_EQ(themes.themes_size(), 10);
}

TEST_F(HubsApiTest, TwentyConcurrentClientsNeverPutASixthExpertInAHub) {
  ASSERT_TRUE(CreateHub(organiser_, "media", "Медиа", "media").ok());
  constexpr int kClients = 20;
  for (int i = 0; i < kClients; ++i) {
    ASSERT_TRUE(CreateExpert(organiser_, absl::StrCat("x", i), kNames[i % 10], kZones[i % 7]).ok());
  }
  const std::string lead = Token("lead-media", {auth::Role::kHubLead}, {"media"});
  std::atomic<int> ok{0}, full{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      // Each client has its own channel, as separate programs would.
      auto stub = v1::HubsService::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", runner_->grpc_port()),
                                                               grpc::InsecureChannelCredentials()));
      v1::AddExpertRequest req;
      req.set_hub("hubs/media");
      req.set_expert(absl::StrCat("experts/x", i));
      v1::HubMembership m;
      grpc::Status status = stub->AddExpert(Ctx(i % 2 ? lead : organiser_).get(), req, &m);
      if (status.ok()) {
        ++ok;
      } else if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
                 Reason(status) == "HUB_EXPERT_LIMIT_REACHED") {
        ++full;
      } else {
        ADD_FAILURE() << status.error_code() << " " << status.error_message();
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(full.load(), 15);
  v1::GetHubRequest get;
  get.set_name("hubs/media");
  v1::Hub hub;
  ASSERT_TRUE(stub_->GetHub(Ctx(organiser_).get(), get, &hub).ok());
  EXPECT_EQ(hub.expert_count(), 5);
  v1::ListExpertsRequest list;
  list.set_hub("hubs/media");
  v1::ListExpertsResponse members;
  ASSERT_TRUE(stub_->ListExperts(Ctx(organiser_).get(), list, &members).ok());
  EXPECT_EQ(members.experts_size(), 5);
}

TEST_F(HubsApiTest, CatalogueIsACacheHitAfterTheFirstReadAndShowsChangesAtOnce) {
  PublishedHub("crafts", "Народные промыслы", 3);
  v1::ListPublishedHubsResponse first, second, third;
  const double hits = CacheHits();
  ASSERT_TRUE(ListPublished("", &first).ok());
  EXPECT_EQ(CacheHits(), std::max(hits, 0.0)) << "the first read fills the cache";
  absl::StatusOr<std::string> stored =
      redis_server_->Execute({"EXISTS", cache_->cache().RedisKey(CatalogueProgrammeKey(kProgramme))});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, "1");
  ASSERT_TRUE(ListPublished("", &second).ok());
  EXPECT_EQ(CacheHits(), std::max(hits, 0.0) + 1) << "the second read is a hit";
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());

  // A change is visible on the very next read.
  v1::UpdateHubRequest update;
  update.mutable_hub()->set_name("hubs/crafts");
  update.mutable_hub()->mutable_title()->set_ru("Народные промыслы и ремёсла");
  update.mutable_update_mask()->add_paths("title.ru");
  v1::Hub updated;
  ASSERT_TRUE(stub_->UpdateHub(Ctx(organiser_).get(), update, &updated).ok());
  ASSERT_TRUE(ListPublished("", &third).ok());
  ASSERT_EQ(third.hubs_size(), 1);
  EXPECT_EQ(third.hubs(0).title().ru(), "Народные промыслы и ремёсла");

  // Same for one hub, and for a change of an expert's profile.
  v1::GetPublishedHubRequest get;
  get.set_name("hubs/crafts");
  v1::CatalogueHub hub;
  ASSERT_TRUE(stub_->GetPublishedHub(Ctx("").get(), get, &hub).ok());
  ASSERT_TRUE(stub_->GetPublishedHub(Ctx("").get(), get, &hub).ok());
  v1::UpdateExpertRequest expert;
  expert.mutable_expert()->set_name("experts/crafts-0");
  expert.mutable_expert()->set_city("Вязьма");
  expert.mutable_update_mask()->add_paths("city");
  v1::Expert changed;
  ASSERT_TRUE(stub_->UpdateExpert(Ctx(organiser_).get(), expert, &changed).ok());
  ASSERT_TRUE(stub_->GetPublishedHub(Ctx("").get(), get, &hub).ok());
  std::set<std::string> cities;
  for (const auto& e : hub.experts()) cities.insert(e.city());
  EXPECT_TRUE(cities.count("Вязьма"));
  v1::ListPublishedHubsResponse fourth;
  ASSERT_TRUE(ListPublished("", &fourth).ok());
  cities.clear();
  for (const auto& e : fourth.hubs(0).experts()) cities.insert(e.city());
  EXPECT_TRUE(cities.count("Вязьма"));
}

TEST_F(HubsApiTest, CatalogueIsFilteredByThemeAndPaged) {
  PublishedHub("media", "Медиа", 3);
  PublishedHub("crafts", "Ремёсла", 3);
  PublishedHub("migrants", "Адаптация мигрантов", 3);
  v1::ListPublishedHubsResponse crafts;
  ASSERT_TRUE(ListPublished("", &crafts, "crafts").ok());
  ASSERT_EQ(crafts.hubs_size(), 1);
  EXPECT_EQ(crafts.hubs(0).name(), "hubs/crafts");
  std::vector<std::string> titles;
  v1::ListPublishedHubsRequest req;
  req.set_programme(kProgramme);
  req.set_page_size(2);
  do {
    v1::ListPublishedHubsResponse page;
    ASSERT_TRUE(stub_->ListPublishedHubs(Ctx("").get(), req, &page).ok());
    EXPECT_EQ(page.total_size(), 3);
    for (const auto& hub : page.hubs()) titles.push_back(hub.title().ru());
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty());
  EXPECT_THAT(titles, ElementsAre("Адаптация мигрантов", "Медиа", "Ремёсла"));
}

TEST_F(HubsApiTest, HubLeadChangesOnlyTheirOwnHub) {
  ASSERT_TRUE(CreateHub(organiser_, "hub-a", "Хаб А", "media").ok());
  ASSERT_TRUE(CreateHub(organiser_, "hub-b", "Хаб Б", "crafts").ok());
  ASSERT_TRUE(CreateExpert(organiser_, "anna", "Анна Петрова", "Europe/Moscow").ok());
  const std::string lead_a = Token("lead-a", {auth::Role::kHubLead}, {"hub-a"});

  v1::UpdateHubRequest update;
  update.mutable_hub()->set_name("hubs/hub-a");
  update.mutable_hub()->mutable_description()->set_ru("Новое описание");
  update.mutable_update_mask()->add_paths("description");
  v1::Hub hub;
  EXPECT_TRUE(stub_->UpdateHub(Ctx(lead_a).get(), update, &hub).ok());
  EXPECT_TRUE(AddExpert(lead_a, "hub-a", "anna").ok());

  update.mutable_hub()->set_name("hubs/hub-b");
  grpc::Status denied = stub_->UpdateHub(Ctx(lead_a).get(), update, &hub);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(denied), "NOT_HUB_LEAD");
  EXPECT_EQ(AddExpert(lead_a, "hub-b", "anna").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Publish(lead_a, "hub-b").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::GetHubRequest get;
  get.set_name("hubs/hub-b");
  EXPECT_EQ(stub_->GetHub(Ctx(lead_a).get(), get, &hub).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Creating hubs and adding leads is for organisers.
  EXPECT_EQ(CreateHub(lead_a, "hub-c", "Хаб В", "media").error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // A lead lists only their hubs; an organiser lists all.
  v1::ListHubsResponse listed;
  ASSERT_TRUE(stub_->ListHubs(Ctx(lead_a).get(), v1::ListHubsRequest(), &listed).ok());
  ASSERT_EQ(listed.hubs_size(), 1);
  EXPECT_EQ(listed.hubs(0).name(), "hubs/hub-a");
  listed.Clear();
  ASSERT_TRUE(stub_->ListHubs(Ctx(organiser_).get(), v1::ListHubsRequest(), &listed).ok());
  EXPECT_EQ(listed.hubs_size(), 2);

  // Hub B is unchanged.
  get.set_name("hubs/hub-b");
  ASSERT_TRUE(stub_->GetHub(Ctx(organiser_).get(), get, &hub).ok());
  EXPECT_EQ(hub.description().ru(), "Ресурсная площадка «Хаб Б»");
  EXPECT_EQ(hub.expert_count(), 0);
}

TEST_F(HubsApiTest, ExpertsKeepTheirOwnAvailabilityAndLeadsTheirHubsExperts) {
  ASSERT_TRUE(CreateHub(organiser_, "hub-a", "Хаб А", "media").ok());
  ASSERT_TRUE(CreateHub(organiser_, "hub-b", "Хаб Б", "crafts").ok());
  v1::Expert anna, ivan;
  ASSERT_TRUE(CreateExpert(organiser_, "anna", "Анна Петрова", "Asia/Vladivostok", &anna).ok());
  ASSERT_TRUE(CreateExpert(organiser_, "ivan", "Иван Соколов", "Europe/Kaliningrad", &ivan).ok());
  ASSERT_TRUE(AddExpert(organiser_, "hub-a", "anna").ok());
  ASSERT_TRUE(AddExpert(organiser_, "hub-b", "ivan").ok());
  v1::UpdateExpertRequest link;
  link.mutable_expert()->set_name("experts/anna");
  link.mutable_expert()->set_subject("kc-anna");
  link.mutable_update_mask()->add_paths("subject");
  ASSERT_TRUE(stub_->UpdateExpert(Ctx(organiser_).get(), link, &anna).ok());

  // Anna reads and changes her own availability (in her own zone)...
  const std::string anna_token = Token("kc-anna", {auth::Role::kExpert});
  v1::GetExpertRequest get;
  get.set_name("experts/anna");
  ASSERT_TRUE(stub_->GetExpert(Ctx(anna_token).get(), get, &anna).ok());
  v1::UpdateExpertRequest availability;
  availability.mutable_expert()->set_name("experts/anna");
  auto* window = availability.mutable_expert()->add_weekly_availability();
  window->set_day_of_week(etnik::common::v1::DAY_OF_WEEK_FRIDAY);
  window->mutable_start()->set_hours(9);
  window->mutable_end()->set_hours(13);
  availability.mutable_update_mask()->add_paths("weekly_availability");
  v1::Expert changed;
  ASSERT_TRUE(stub_->UpdateExpert(Ctx(anna_token).get(), availability, &changed).ok());
  ASSERT_EQ(changed.weekly_availability_size(), 1);
  EXPECT_EQ(changed.time_zone(), "Asia/Vladivostok");
  absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> events = store::PendingEvents(*database_);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().type(), "etnik.events.v1.ExpertAvailabilityChanged");
  EXPECT_EQ(events->back().expert_availability_changed().expert().weekly_availability(0).day_of_week(),
            etnik::common::v1::DAY_OF_WEEK_FRIDAY);
  // ...but neither relinks her account nor touches Ivan.
  link.mutable_expert()->set_subject("kc-someone-else");
  EXPECT_EQ(stub_->UpdateExpert(Ctx(anna_token).get(), link, &changed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  availability.mutable_expert()->set_name("experts/ivan");
  EXPECT_EQ(stub_->UpdateExpert(Ctx(anna_token).get(), availability, &changed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  get.set_name("experts/ivan");
  EXPECT_EQ(stub_->GetExpert(Ctx(anna_token).get(), get, &changed).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The lead of hub A changes Anna (in hub A), not Ivan (only in hub B).
  const std::string lead_a = Token("lead-a", {auth::Role::kHubLead}, {"hub-a"});
  availability.mutable_expert()->set_name("experts/anna");
  EXPECT_TRUE(stub_->UpdateExpert(Ctx(lead_a).get(), availability, &changed).ok());
  availability.mutable_expert()->set_name("experts/ivan");
  grpc::Status denied = stub_->UpdateExpert(Ctx(lead_a).get(), availability, &changed);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(denied), "NOT_EXPERT_MANAGER");
  get.set_name("experts/ivan");
  ASSERT_TRUE(stub_->GetExpert(Ctx(organiser_).get(), get, &ivan).ok());
  EXPECT_EQ(ivan.weekly_availability(0).day_of_week(), etnik::common::v1::DAY_OF_WEEK_TUESDAY);
}

TEST_F(HubsApiTest, AnonymousCallersSeeOnlyPublishedHubs) {
  PublishedHub("media", "Медиа", 3);
  ASSERT_TRUE(CreateHub(organiser_, "draft", "Черновик", "crafts").ok());

  v1::ListPublishedHubsResponse catalogue;
  ASSERT_TRUE(ListPublished("", &catalogue).ok());
  ASSERT_EQ(catalogue.hubs_size(), 1);
  EXPECT_EQ(catalogue.hubs(0).name(), "hubs/media");
  v1::GetPublishedHubRequest get_published;
  get_published.set_name("hubs/draft");
  v1::CatalogueHub published;
  EXPECT_EQ(stub_->GetPublishedHub(Ctx("").get(), get_published, &published).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The public view has no contact details of experts.
  get_published.set_name("hubs/media");
  ASSERT_TRUE(stub_->GetPublishedHub(Ctx("").get(), get_published, &published).ok());
  EXPECT_EQ(published.experts_size(), 3);

  // Everything else needs a token.
  v1::GetHubRequest get;
  get.set_name("hubs/draft");
  v1::Hub hub;
  EXPECT_EQ(stub_->GetHub(Ctx("").get(), get, &hub).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::ListHubsResponse hubs;
  EXPECT_EQ(stub_->ListHubs(Ctx("").get(), v1::ListHubsRequest(), &hubs).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::ListExpertsResponse experts;
  EXPECT_EQ(stub_->ListExperts(Ctx("").get(), v1::ListExpertsRequest(), &experts).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CreateHub("", "x", "Х", "media").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // A participant is known but may not manage hubs.
  const std::string participant = Token("nko-1", {auth::Role::kParticipant});
  EXPECT_EQ(stub_->ListHubs(Ctx(participant).get(), v1::ListHubsRequest(), &hubs).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub_->GetHub(Ctx(participant).get(), get, &hub).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A bad token is refused even where no token is needed.
  EXPECT_EQ(ListPublished("not.a.token", &catalogue).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(HubsApiTest, BadInputGetsClearErrors) {
  v1::Expert out;
  grpc::Status bad = CreateExpert(organiser_, "bad", "", "Europe/Smolensk", &out);
  ASSERT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(bad), UnorderedElementsAre("expert.full_name.ru", "expert.time_zone"));
  EXPECT_THAT(bad.error_message(), HasSubstr("Europe/Smolensk"));

  grpc::Status empty_hub = CreateHub(organiser_, "empty", "", "media");
  ASSERT_EQ(empty_hub.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(empty_hub), ElementsAre("hub.title.ru"));

  ASSERT_TRUE(CreateHub(organiser_, "media", "Медиа", "media").ok());
  ASSERT_TRUE(CreateExpert(organiser_, "anna", "Анна Петрова", "Asia/Kamchatka").ok());
  ASSERT_TRUE(AddExpert(organiser_, "media", "anna").ok());
  grpc::Status twice = AddExpert(organiser_, "media", "anna");
  ASSERT_EQ(twice.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Reason(twice), "EXPERT_ALREADY_IN_HUB");
  EXPECT_THAT(ViolationFields(twice), ElementsAre("expert"));

  // The same person again, by e-mail.
  v1::CreateExpertRequest twin;
  twin.mutable_expert()->mutable_full_name()->set_ru("Анна Петрова");
  twin.mutable_expert()->set_time_zone("Europe/Moscow");
  twin.mutable_expert()->mutable_contact()->set_email("ANNA@experts.example.org");
  grpc::Status duplicate = stub_->CreateExpert(Ctx(organiser_).get(), twin, &out);
  ASSERT_EQ(duplicate.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Reason(duplicate), "DUPLICATE_EXPERT");
  EXPECT_THAT(ViolationFields(duplicate), ElementsAre("expert.contact.email"));

  v1::GetHubRequest get;
  get.set_name("media");
  v1::Hub hub;
  grpc::Status bad_name = stub_->GetHub(Ctx(organiser_).get(), get, &hub);
  ASSERT_EQ(bad_name.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(bad_name), ElementsAre("name"));

  grpc::Status too_few = Publish(organiser_, "media");
  ASSERT_EQ(too_few.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(too_few), "HUB_TOO_FEW_EXPERTS");
}

TEST_F(HubsApiTest, EtagsMasksRequestIdsAndPages) {
  v1::CreateHubRequest create;
  create.set_request_id("8f2c1a52-create");
  create.mutable_hub()->set_programme(kProgramme);
  create.mutable_hub()->mutable_title()->set_ru("Медиа");
  create.mutable_hub()->set_theme("media");
  v1::Hub first, retry;
  ASSERT_TRUE(stub_->CreateHub(Ctx(organiser_).get(), create, &first).ok());
  ASSERT_TRUE(stub_->CreateHub(Ctx(organiser_).get(), create, &retry).ok());
  EXPECT_EQ(retry.name(), first.name());

  v1::UpdateHubRequest update;
  *update.mutable_hub() = first;
  update.mutable_hub()->mutable_title()->set_en("Media");
  update.mutable_update_mask()->add_paths("title.en");
  v1::Hub updated;
  ASSERT_TRUE(stub_->UpdateHub(Ctx(organiser_).get(), update, &updated).ok());
  EXPECT_EQ(updated.title().ru(), "Медиа");
  EXPECT_EQ(updated.title().en(), "Media");
  EXPECT_NE(updated.etag(), first.etag());
  grpc::Status stale = stub_->UpdateHub(Ctx(organiser_).get(), update, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(Reason(stale), "ETAG_MISMATCH");
  update.mutable_update_mask()->set_paths(0, "state");
  update.mutable_hub()->set_etag("");
  grpc::Status immutable = stub_->UpdateHub(Ctx(organiser_).get(), update, &updated);
  EXPECT_EQ(immutable.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(immutable), ElementsAre("update_mask"));

  for (int i = 0; i < 4; ++i) ASSERT_TRUE(CreateHub(organiser_, absl::StrCat("h", i), absl::StrCat("Хаб ", i), "media").ok());
  v1::ListHubsRequest list;
  list.set_page_size(2);
  std::vector<std::string> names;
  do {
    v1::ListHubsResponse page;
    ASSERT_TRUE(stub_->ListHubs(Ctx(organiser_).get(), list, &page).ok());
    EXPECT_EQ(page.total_size(), 5);
    for (const auto& h : page.hubs()) names.push_back(h.name());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 5u);
  list.set_page_token("forged");
  v1::ListHubsResponse page;
  grpc::Status forged = stub_->ListHubs(Ctx(organiser_).get(), list, &page);
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(forged), ElementsAre("page_token"));
}

TEST_F(HubsApiTest, OnlyConfirmedParticipantsAreAssigned) {
  ASSERT_TRUE(CreateHub(organiser_, "media", "Медиа", "media").ok());
  const std::string lead = Token("lead-media", {auth::Role::kHubLead}, {"media"});
  const std::string participant = kProgramme + "/participants/nko-17";
  v1::AssignParticipantRequest assign;
  assign.set_hub("hubs/media");
  assign.set_participant(participant);
  v1::ParticipantAssignment assignment;
  grpc::Status refused = stub_->AssignParticipant(Ctx(lead).get(), assign, &assignment);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(refused), "PARTICIPANT_NOT_CONFIRMED");

  etnik::events::v1::DomainEvent confirmed;
  confirmed.set_event_id("reg-7");
  auto* e = confirmed.mutable_participant_confirmed();
  e->set_participant(participant);
  e->set_programme(kProgramme);
  e->set_organisation_name("АНО «Смоленский дом дружбы»");
  mapping::ToProto(kNow, e->mutable_confirm_time());
  ASSERT_TRUE(mapping::ApplyRegistrationEvent(*store_, confirmed).ok());

  ASSERT_TRUE(stub_->AssignParticipant(Ctx(lead).get(), assign, &assignment).ok());
  EXPECT_EQ(assignment.name(), "hubs/media/participants/nko-17");
  EXPECT_EQ(assignment.organisation_name(), "АНО «Смоленский дом дружбы»");
  v1::ListParticipantAssignmentsRequest list;
  list.set_parent("hubs/-");
  v1::ListParticipantAssignmentsResponse listed;
  ASSERT_TRUE(stub_->ListParticipantAssignments(Ctx(lead).get(), list, &listed).ok());
  EXPECT_EQ(listed.participant_assignments_size(), 1);

  // The outbox holds the fact for the other services.
  absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> events = store::PendingEvents(*database_);
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  EXPECT_EQ(events->back().participant_assigned().participant(), participant);
  EXPECT_EQ(events->back().actor(), "lead-media");
  EXPECT_FALSE(events->back().request_id().empty());
}

TEST_F(HubsApiTest, EventsTravelThroughTheSharedStreams) {
  // Ours: the outbox rows of a publication reach "etnik:events:hubs".
  PublishedHub("media", "Медиа", 3);
  absl::StatusOr<int> published = relay_->Drain();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 4) << "three ExpertAdded and one HubPublished";
  absl::StatusOr<redis::Reply> range = redis_pool_->Command("XRANGE", store::kHubsEventStream, "-", "+");
  ASSERT_TRUE(range.ok()) << range.status();
  absl::StatusOr<std::vector<outbox::StreamEntry>> entries = outbox::ParseEntries(*range);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 4u);
  const outbox::StreamEntry& last = entries->back();
  ASSERT_NE(last.Field(outbox::kFieldType), nullptr);
  EXPECT_EQ(*last.Field(outbox::kFieldType), "etnik.events.v1.HubPublished");
  etnik::events::v1::DomainEvent event;
  ASSERT_TRUE(event.ParseFromString(*last.Field(outbox::kFieldPayload)));
  EXPECT_EQ(event.hub_published().hub(), "hubs/media");
  EXPECT_EQ(event.hub_published().experts_size(), 3);

  // Theirs: registration's ParticipantConfirmed, delivered twice, is applied once.
  const std::string participant = kProgramme + "/participants/nko-3";
  etnik::events::v1::DomainEvent confirmed;
  confirmed.set_event_id("registration-event-42");
  confirmed.set_type("etnik.events.v1.ParticipantConfirmed");
  confirmed.set_producer("registration");
  confirmed.mutable_participant_confirmed()->set_participant(participant);
  confirmed.mutable_participant_confirmed()->set_programme(kProgramme);
  confirmed.mutable_participant_confirmed()->set_organisation_name("НКО «Содружество»");
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(redis_pool_
                    ->Command("XADD", store::kRegistrationEventStream, "*", outbox::kFieldEventId,
                              confirmed.event_id(), outbox::kFieldType, confirmed.type(), outbox::kFieldPayload,
                              confirmed.SerializeAsString())
                    .ok());
  }
  outbox::StreamConsumerOptions options;
  options.stream = store::kRegistrationEventStream;
  options.group = store::kConsumerGroup;
  options.consumer = "hubs-test";
  outbox::StreamConsumer consumer(*database_, *redis_pool_, clock_, *registry_, options,
                                  store::RegistrationEventHandler(*store_));
  ASSERT_TRUE(consumer.EnsureGroup().ok());
  absl::StatusOr<int> read = consumer.ReadOnce();
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, 2);
  EXPECT_EQ(redis::MetricValue(*registry_, "etnik_events_consumed_total", {{"result", "handled"}}), 1);
  EXPECT_EQ(redis::MetricValue(*registry_, "etnik_events_consumed_total", {{"result", "duplicate"}}), 1);

  v1::AssignParticipantRequest assign;
  assign.set_hub("hubs/media");
  assign.set_participant(participant);
  v1::ParticipantAssignment assignment;
  ASSERT_TRUE(stub_->AssignParticipant(Ctx(organiser_).get(), assign, &assignment).ok());
  EXPECT_EQ(assignment.organisation_name(), "НКО «Содружество»");
}

}  // namespace
}  // namespace etnik::hubs
