// A mixed load against a running stack: 90% reads (hub catalogue, hub, public schedule, calendar
// feed) and 10% writes (bookings, attendee registrations, applications created and submitted)
// with N calls outstanding, N rising level by level. Each level first measures the empty call
// (grpc.health.v1 Check on the same three services) with the same N, so latencies are reported
// beside the cost of a call that does nothing, measured in the same run on the same machine.
//
//   mixed_load --registration=H:P --hubs=H:P --scheduling=H:P --jwt_key_file=SECRET
//              [--levels=1,4,16,64] [--max_ops=20000] [--max_seconds=20] [--writes=false]
//
// Prints one markdown table per level. Exits 1 when any call failed unexpectedly (a booking
// refused for a taken slot is counted apart, not as an error) or when an RPC made no calls.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bench/mixed/latency.h"
#include "bench/mixed/setup.h"
#include "common/auth/client_token.h"
#include "common/auth/identity.h"
#include "common/auth/jwt_config.h"
#include "common/auth/token_minter.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tools/etnikctl/client.h"

ABSL_FLAG(std::string, registration, "127.0.0.1:50051", "Address of the registration service");
ABSL_FLAG(std::string, hubs, "127.0.0.1:50052", "Address of the hubs service");
ABSL_FLAG(std::string, scheduling, "127.0.0.1:50053", "Address of the scheduling service");
ABSL_FLAG(std::string, jwt_key_file, ".run/secrets/jwt-hs256.key", "HS256 secret to mint callers' tokens with");
ABSL_FLAG(std::string, programme, "programmes/etnik-2021", "The imported programme the reads go to");
ABSL_FLAG(std::vector<std::string>, levels, std::vector<std::string>({"1", "4", "16", "64"}), "Calls outstanding, one level each");
ABSL_FLAG(int64_t, max_ops, 20000, "Most operations per phase (an application is two calls)");
ABSL_FLAG(double, max_seconds, 20, "Longest phase, seconds");
ABSL_FLAG(bool, writes, true, "Include the 10% writes; false reads only (to see what the writes cost the reads)");

namespace etnik::bench {
namespace {

namespace reg = etnik::registration::v1;
namespace hv1 = etnik::hubs::v1;
namespace sv1 = etnik::scheduling::v1;
using HealthStub = grpc::health::v1::Health::Stub;

int64_t MicrosSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t).count();
}

// Tokens are minted in the client, also inside completion callbacks: the secret is read once.
std::string Mint(const std::string& role, const std::string& subject, const std::string& hub = "") {
  static const absl::StatusOr<std::string> secret = auth::ReadSecretFile(absl::GetFlag(FLAGS_jwt_key_file));
  auth::TokenClaims claims;
  claims.subject = subject;
  claims.roles.insert(*auth::ParseRole(role));
  if (!hub.empty()) claims.hub_ids.insert(hub);
  claims.issued_at = absl::Now();
  absl::StatusOr<std::string> token = secret.ok() ? auth::MintHs256Token(*secret, claims) : secret;
  if (!token.ok()) {
    std::cerr << "mixed_load: cannot mint a " << role << " token: " << token.status() << "\n";
    std::exit(2);
  }
  return *token;
}

// One phase: N slots each keep one operation in flight until the operation or time budget ends.
class Phase {
 public:
  using Op = std::function<void(Phase&, std::function<void()> done)>;

  Phase(int concurrency, int64_t max_ops, absl::Duration max_time, std::function<Op(int64_t)> pick)
      : concurrency_(concurrency), max_ops_(max_ops), pick_(std::move(pick)),
        deadline_(absl::Now() + max_time) {}

  // Returns the elapsed wall time.
  absl::Duration Run() {
    const absl::Time start = absl::Now();
    active_ = concurrency_;
    for (int i = 0; i < concurrency_; ++i) Next();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return active_ == 0; });
    return absl::Now() - start;
  }

  RpcStats& total() { return total_; }
  RpcStats& Stats(const std::string& rpc) {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_[rpc];
  }
  const std::map<std::string, RpcStats>& stats() const { return stats_; }

 private:
  void Next() {
    const int64_t n = issued_.fetch_add(1);
    if (n >= max_ops_ || absl::Now() >= deadline_) {
      std::lock_guard<std::mutex> lock(mu_);
      if (--active_ == 0) cv_.notify_all();
      return;
    }
    pick_(n)(*this, [this] { Next(); });
  }

  const int concurrency_;
  const int64_t max_ops_;
  std::function<Op(int64_t)> pick_;
  const absl::Time deadline_;
  std::atomic<int64_t> issued_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  int active_ = 0;
  std::map<std::string, RpcStats> stats_;
  RpcStats total_;
};

// One asynchronous unary call through the callback API; `classify` decides what a failure means.
template <typename Req, typename Resp, typename Start>
void Call(Phase& phase, const std::string& rpc, const std::string& token, Req req, Start start,
          std::function<void(const grpc::Status&, const Resp&)> then,
          std::function<Outcome(const grpc::Status&)> classify = nullptr) {
  struct State {
    grpc::ClientContext ctx;
    Req req;
    Resp resp;
    std::chrono::steady_clock::time_point t0;
  };
  auto* s = new State;
  s->req = std::move(req);
  s->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auth::AttachBearerToken(s->ctx, token);
  RpcStats& stats = phase.Stats(rpc);
  RpcStats& total = phase.total();
  s->t0 = std::chrono::steady_clock::now();
  start(&s->ctx, &s->req, &s->resp, [s, &stats, &total, then = std::move(then), classify = std::move(classify)](grpc::Status st) {
    const int64_t us = MicrosSince(s->t0);
    Outcome outcome = st.ok() ? Outcome::kOk : Outcome::kError;
    if (!st.ok() && classify) outcome = classify(st);
    stats.Add(us, outcome, outcome == Outcome::kError ? ctl::Describe(st) : "");
    total.Add(us, outcome);
    then(st, s->resp);
    delete s;
  });
}

class Workload {
 public:
  Workload(Stubs& stubs, Fixture& fixture, std::vector<std::unique_ptr<HealthStub>>& health)
      : stubs_(stubs), f_(fixture), health_(health), writes_(absl::GetFlag(FLAGS_writes)) {
    organiser_ = Mint("organiser", "load-organiser");
    for (const std::string& hub : f_.hub_ids) leads_[hub] = Mint("hub_lead", "load-lead-" + hub, hub);
    for (int i = 0; i < 16; ++i) participants_.push_back(Mint("participant", absl::StrCat("load-participant-", i)));
  }

  // Books one session per host before the first level, retrying while scheduling has not yet
  // heard of an expert (hubs tells it by event), so that no measured booking meets that race and
  // registrations have somewhere to go.
  bool Prime(int sessions) {
    for (int i = 0; i < sessions; ++i) {
      const Fixture::Slot slot = f_.SlotFor(next_slot_++);
      sv1::BookSessionRequest req = Booking(slot);
      sv1::Session out;
      grpc::Status st = ctl::CallWithRetry(leads_.at(slot.host->hub_id), [&](grpc::ClientContext& c) {
        return stubs_.scheduling->BookSession(&c, req, &out);
      });
      if (!st.ok()) {
        std::cerr << "mixed_load: booking " << slot.host->expert << " failed: " << ctl::Describe(st) << "\n";
        return false;
      }
      sessions_.push_back(out.name());
      ++booked_;
    }
    return true;
  }

  // The empty call, round robin over the three services.
  Phase::Op Empty(int64_t n) {
    static const char* const kNames[] = {"Health/Check registration", "Health/Check hubs", "Health/Check scheduling"};
    const size_t i = static_cast<size_t>(n % 3);
    HealthStub* stub = health_[i].get();
    return [stub, i](Phase& p, std::function<void()> done) {
      Call<grpc::health::v1::HealthCheckRequest, grpc::health::v1::HealthCheckResponse>(
          p, kNames[i], "", {},
          [stub](auto* c, auto* q, auto* r, auto cb) { stub->async()->Check(c, q, r, std::move(cb)); },
          [done](const grpc::Status&, const grpc::health::v1::HealthCheckResponse&) { done(); });
    };
  }

  // 30 operations: 27 reads, then a booking, a registration and an application at 9, 19, 29.
  Phase::Op Mixed(int64_t n) {
    const int64_t at = n % 30;
    if (!writes_ && at % 10 == 9) return Mixed(n + 1);  // reads only: the next read instead
    if (at == 9) return [this](Phase& p, std::function<void()> done) { Book(p, std::move(done)); };
    if (at == 19) return [this](Phase& p, std::function<void()> done) { Register(p, std::move(done)); };
    if (at == 29) return [this](Phase& p, std::function<void()> done) { Apply(p, std::move(done)); };
    const std::string hub = "hubs/" + f_.hub_ids[static_cast<size_t>(n / 30 + at) % f_.hub_ids.size()];
    switch (at % 4) {
      case 0:
        return [this](Phase& p, std::function<void()> done) {
          hv1::ListPublishedHubsRequest req;
          req.set_programme(f_.demo_programme);
          Call<hv1::ListPublishedHubsRequest, hv1::ListPublishedHubsResponse>(
              p, "Hubs/ListPublishedHubs", "", req,
              [this](auto* c, auto* q, auto* r, auto cb) { stubs_.hubs->async()->ListPublishedHubs(c, q, r, std::move(cb)); },
              [done](const grpc::Status&, const hv1::ListPublishedHubsResponse&) { done(); });
        };
      case 1:
        return [this, hub](Phase& p, std::function<void()> done) {
          hv1::GetHubRequest req;
          req.set_name(hub);
          Call<hv1::GetHubRequest, hv1::Hub>(
              p, "Hubs/GetHub", organiser_, req,
              [this](auto* c, auto* q, auto* r, auto cb) { stubs_.hubs->async()->GetHub(c, q, r, std::move(cb)); },
              [done](const grpc::Status&, const hv1::Hub&) { done(); });
        };
      case 2:
        return [this](Phase& p, std::function<void()> done) {
          sv1::ListSessionsRequest req;
          req.set_parent("events/-");
          req.set_programme(f_.demo_programme);
          req.set_page_size(50);
          Call<sv1::ListSessionsRequest, sv1::ListSessionsResponse>(
              p, "Scheduling/ListSessions", "", req,
              [this](auto* c, auto* q, auto* r, auto cb) { stubs_.scheduling->async()->ListSessions(c, q, r, std::move(cb)); },
              [done](const grpc::Status&, const sv1::ListSessionsResponse&) { done(); });
        };
      default:
        return [this, hub](Phase& p, std::function<void()> done) {
          sv1::GetCalendarFeedRequest req;
          req.set_hub(hub);
          Call<sv1::GetCalendarFeedRequest, sv1::CalendarFeed>(
              p, "Scheduling/GetCalendarFeed", "", req,
              [this](auto* c, auto* q, auto* r, auto cb) { stubs_.scheduling->async()->GetCalendarFeed(c, q, r, std::move(cb)); },
              [done](const grpc::Status&, const sv1::CalendarFeed&) { done(); });
        };
    }
  }

  int64_t booked() const { return booked_.load(); }

 private:
  sv1::BookSessionRequest Booking(const Fixture::Slot& slot) {
    sv1::BookSessionRequest req;
    req.set_parent(f_.events[slot.event_index]);
    const std::string id = absl::StrCat(absl::ToUnixSeconds(slot.start), "-", absl::StripPrefix(slot.host->expert, "experts/"));
    req.set_request_id(absl::StrCat(f_.run_id, "-book-", id));
    sv1::Session* s = req.mutable_session();
    s->mutable_title()->set_ru("Вебинар");
    s->mutable_start_time()->set_seconds(absl::ToUnixSeconds(slot.start));
    s->mutable_end_time()->set_seconds(absl::ToUnixSeconds(slot.end));
    s->set_time_zone("Europe/Moscow");
    s->add_hosts(slot.host->expert);
    s->mutable_online_room()->set_join_uri(absl::StrCat("https://meet.example.org/", f_.run_id, "-", id));
    return req;
  }

  void Book(Phase& p, std::function<void()> done) {
    const Fixture::Slot slot = f_.SlotFor(next_slot_++);
    Call<sv1::BookSessionRequest, sv1::Session>(
        p, "Scheduling/BookSession", leads_.at(slot.host->hub_id), Booking(slot),
        [this](auto* c, auto* q, auto* r, auto cb) { stubs_.scheduling->async()->BookSession(c, q, r, std::move(cb)); },
        [this, done](const grpc::Status& st, const sv1::Session& s) {
          if (st.ok()) {
            ++booked_;
            std::lock_guard<std::mutex> lock(mu_);
            sessions_.push_back(s.name());
          }
          done();
        },
        // A slot someone else holds is the service doing its job: counted as refused.
        [](const grpc::Status& st) {
          const std::string reason = ctl::ErrorReason(st);
          return st.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
                         (reason == "RESOURCE_CONFLICT" || reason == "EXPERT_UNAVAILABLE" ||
                          reason == "WEEKLY_LIMIT_EXCEEDED")
                     ? Outcome::kRefused
                     : Outcome::kError;
        });
  }

  void Register(Phase& p, std::function<void()> done) {
    const int64_t k = next_attendee_++;
    std::string session;
    {
      std::lock_guard<std::mutex> lock(mu_);
      session = sessions_[static_cast<size_t>(k) % sessions_.size()];
    }
    sv1::RegisterAttendeeRequest req;
    req.set_parent(session);
    req.set_request_id(absl::StrCat(f_.run_id, "-attendee-", k));
    req.mutable_attendee()->set_full_name(absl::StrCat("Участник ", k));
    req.mutable_attendee()->set_email(absl::StrCat(f_.run_id, "-", k, "@example.org"));
    Call<sv1::RegisterAttendeeRequest, sv1::Attendee>(
        p, "Scheduling/RegisterAttendee", participants_[static_cast<size_t>(k) % participants_.size()], req,
        [this](auto* c, auto* q, auto* r, auto cb) { stubs_.scheduling->async()->RegisterAttendee(c, q, r, std::move(cb)); },
        [done](const grpc::Status&, const sv1::Attendee&) { done(); });
  }

  // Create, then submit: each applicant a new account, each organisation a new INN.
  void Apply(Phase& p, std::function<void()> done) {
    const int64_t k = next_application_++;
    const std::string token = Mint("participant", absl::StrCat(f_.run_id, "-applicant-", k));
    reg::CreateApplicationRequest req;
    req.set_parent(f_.programme);
    req.set_request_id(absl::StrCat(f_.run_id, "-application-", k));
    reg::Application* a = req.mutable_application();
    a->set_form(f_.form);
    reg::Organisation* o = a->mutable_organisation();
    o->set_full_name(absl::StrCat("АНО «Ресурсный центр ", k, "»"));
    o->set_inn(InnFor(k));
    o->set_region("RU-SMO");
    o->set_city("Смоленск");
    reg::ContactPerson* c = a->mutable_contact_person();
    c->set_full_name("Иванова Мария Петровна");
    c->mutable_contact()->set_email(absl::StrCat("applicant-", k, "@example.org"));
    reg::Answer* ans = a->add_answers();
    ans->set_question_id("experience");
    ans->set_text("Проводим этнографические экспедиции с 2015 года");
    Call<reg::CreateApplicationRequest, reg::Application>(
        p, "Registration/CreateApplication", token, req,
        [this](auto* c, auto* q, auto* r, auto cb) { stubs_.registration->async()->CreateApplication(c, q, r, std::move(cb)); },
        [this, &p, token, k, done](const grpc::Status& st, const reg::Application& created) {
          if (!st.ok()) {
            done();
            return;
          }
          reg::SubmitApplicationRequest sub;
          sub.set_name(created.name());
          sub.set_etag(created.etag());
          sub.set_request_id(absl::StrCat(f_.run_id, "-submit-", k));
          Call<reg::SubmitApplicationRequest, reg::Application>(
              p, "Registration/SubmitApplication", token, sub,
              [this](auto* c, auto* q, auto* r, auto cb) { stubs_.registration->async()->SubmitApplication(c, q, r, std::move(cb)); },
              [done](const grpc::Status&, const reg::Application&) { done(); });
        });
  }

  Stubs& stubs_;
  Fixture& f_;
  std::vector<std::unique_ptr<HealthStub>>& health_;
  const bool writes_;
  std::string organiser_;
  std::map<std::string, std::string> leads_;
  std::vector<std::string> participants_;
  std::mutex mu_;
  std::vector<std::string> sessions_;
  std::atomic<int64_t> next_slot_{0}, next_attendee_{0}, next_application_{0}, booked_{0};
};

struct Totals {
  int64_t calls = 0, errors = 0;
  std::vector<std::string> silent;  // RPCs with no calls
};

// Rows for one phase; `baseline_p50` maps a service to its empty call's p50 for the ratio.
void PrintRows(const Phase& phase, absl::Duration elapsed, const std::map<std::string, int64_t>& baseline_p50,
               Totals& totals) {
  const double secs = absl::ToDoubleSeconds(elapsed);
  for (const auto& [rpc, stats] : phase.stats()) {
    const RpcStats::Summary s = stats.Summarize();
    totals.calls += s.calls;
    totals.errors += s.errors;
    std::string ratio = "";
    const std::string service = rpc.substr(0, rpc.find('/'));
    auto base = baseline_p50.find(service);
    if (base != baseline_p50.end() && base->second > 0) {
      ratio = absl::StrFormat("%.1f", static_cast<double>(s.p50) / static_cast<double>(base->second));
    }
    std::string calls = absl::StrCat(s.calls);
    if (s.refused > 0) absl::StrAppend(&calls, " (", s.refused, " refused)");
    std::cout << absl::StrFormat("| %s | %s | %d | %.0f | %d | %d | %s |\n", rpc, calls, s.errors,
                                 static_cast<double>(s.calls) / secs, s.p50, s.p99, ratio);
    for (const std::string& e : s.first_errors) std::cerr << "mixed_load: " << rpc << ": " << e << "\n";
  }
}

int Run() {
  Stubs stubs;
  stubs.registration = reg::RegistrationService::NewStub(ctl::Connect(absl::GetFlag(FLAGS_registration)));
  stubs.hubs = hv1::HubsService::NewStub(ctl::Connect(absl::GetFlag(FLAGS_hubs)));
  stubs.scheduling = sv1::SchedulingService::NewStub(ctl::Connect(absl::GetFlag(FLAGS_scheduling)));
  std::vector<std::unique_ptr<HealthStub>> health;
  for (const std::string& a : {absl::GetFlag(FLAGS_registration), absl::GetFlag(FLAGS_hubs), absl::GetFlag(FLAGS_scheduling)}) {
    health.push_back(grpc::health::v1::Health::NewStub(ctl::Connect(a)));
  }
  absl::StatusOr<Fixture> fixture = PrepareFixture(stubs, Mint("organiser", "load-organiser"),
                                                   absl::GetFlag(FLAGS_programme));
  if (!fixture.ok()) {
    std::cerr << "mixed_load: setup failed: " << fixture.status().message() << "\n";
    return 2;
  }
  Workload work(stubs, *fixture, health);
  if (!work.Prime(static_cast<int>(fixture->hosts.size()))) return 2;
  std::cerr << "mixed_load: run " << fixture->run_id << ": " << fixture->hub_ids.size() << " hubs, "
            << fixture->hosts.size() << " experts\n";

  const int64_t max_ops = absl::GetFlag(FLAGS_max_ops);
  const absl::Duration max_time = absl::Seconds(absl::GetFlag(FLAGS_max_seconds));
  Totals totals;
  std::set<std::string> seen;
  std::vector<std::string> summary;
  for (const std::string& level : absl::GetFlag(FLAGS_levels)) {
    int n = 0;
    if (!absl::SimpleAtoi(level, &n) || n < 1) {
      std::cerr << "mixed_load: bad level '" << level << "'\n";
      return 2;
    }
    Phase empty(n, max_ops, max_time, [&](int64_t i) { return work.Empty(i); });
    const absl::Duration empty_time = empty.Run();
    Phase mixed(n, max_ops, max_time, [&](int64_t i) { return work.Mixed(i); });
    const absl::Duration mixed_time = mixed.Run();

    std::map<std::string, int64_t> baseline;
    for (const auto& [rpc, stats] : empty.stats()) {
      const std::string service = rpc.substr(rpc.rfind(' ') + 1);
      const std::string key = service == "registration" ? "Registration" : service == "hubs" ? "Hubs" : "Scheduling";
      baseline[key] = stats.Summarize().p50;
    }
    const RpcStats::Summary e = empty.total().Summarize(), m = mixed.total().Summarize();
    summary.push_back(absl::StrFormat("| %d | %.0f | %d | %d | %.0f | %d | %d | %.1f |", n,
                                      static_cast<double>(e.calls) / absl::ToDoubleSeconds(empty_time), e.p50, e.p99,
                                      static_cast<double>(m.calls) / absl::ToDoubleSeconds(mixed_time), m.p50, m.p99,
                                      e.p50 > 0 ? static_cast<double>(m.p50) / static_cast<double>(e.p50) : 0.0));
    std::cout << absl::StrFormat("\n### %d outstanding calls\n\n", n);
    std::cout << absl::StrFormat("Empty calls: %.1f s; mixed: %.1f s.\n\n", absl::ToDoubleSeconds(empty_time),
                                 absl::ToDoubleSeconds(mixed_time));
    std::cout << "| RPC | calls | errors | calls/s | p50 µs | p99 µs | p50 / empty p50 |\n"
                 "|---|---:|---:|---:|---:|---:|---:|\n";
    PrintRows(empty, empty_time, {}, totals);
    PrintRows(mixed, mixed_time, baseline, totals);
    for (const auto& [rpc, stats] : mixed.stats()) {
      if (stats.Summarize().calls > 0) seen.insert(rpc);
    }
    std::cout << std::flush;
  }
  std::cout << "\n### All levels\n\nEvery call of a phase together (a mixed operation is one call, an "
               "application two).\n\n"
               "| outstanding | empty calls/s | empty p50 µs | empty p99 µs | mixed calls/s | mixed p50 µs | "
               "mixed p99 µs | mixed p50 / empty p50 |\n"
               "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            << absl::StrJoin(summary, "\n") << "\n";
  std::vector<std::string> expected = {"Hubs/ListPublishedHubs", "Hubs/GetHub", "Scheduling/ListSessions",
                                       "Scheduling/GetCalendarFeed"};
  if (absl::GetFlag(FLAGS_writes)) {
    for (const char* rpc : {"Scheduling/BookSession", "Scheduling/RegisterAttendee", "Registration/CreateApplication",
                            "Registration/SubmitApplication"}) {
      expected.push_back(rpc);
    }
  }
  for (const std::string& rpc : expected) {
    if (seen.count(rpc) == 0) totals.silent.push_back(rpc);
  }
  std::cerr << absl::StrFormat("mixed_load: total calls=%d errors=%d sessions booked=%d silent=[%s]\n", totals.calls,
                               totals.errors, work.booked(), absl::StrJoin(totals.silent, ","));
  return totals.errors == 0 && totals.silent.empty() ? 0 : 1;
}

}  // namespace
}  // namespace etnik::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return etnik::bench::Run();
}
