#include "bench/mixed/setup.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/etnikctl/client.h"

namespace etnik::bench {
namespace {

namespace reg = etnik::registration::v1;
namespace hv1 = etnik::hubs::v1;
namespace sv1 = etnik::scheduling::v1;
namespace cv1 = etnik::common::v1;

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

absl::Status Failed(const std::string& what, const grpc::Status& st) {
  return absl::InternalError(absl::StrCat(what, ": ", ctl::Describe(st)));
}

constexpr int kSlotsPerDay = 8;
constexpr absl::Duration kSlotStep = absl::Minutes(90);
constexpr absl::Duration kSessionLength = absl::Hours(1);

}  // namespace

std::string InnFor(int64_t n) {
  std::string d = absl::StrFormat("77%07d", n % 10000000);
  const int w[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (d[i] - '0') * w[i];
  return absl::StrCat(d, (sum % 11) % 10);
}

Fixture::Slot Fixture::SlotFor(int64_t k) const {
  const int64_t n = static_cast<int64_t>(hosts.size());
  const Host& host = hosts[static_cast<size_t>(k % n)];
  const int64_t j = k / n;
  const absl::CivilMinute at = absl::CivilMinute(first_day + j / kSlotsPerDay) + 9 * 60;
  const absl::Time start = absl::FromCivil(at, host.zone) + kSlotStep * (j % kSlotsPerDay);
  size_t event_index = 0;
  for (size_t i = 0; i < hub_ids.size(); ++i) {
    if (hub_ids[i] == host.hub_id) event_index = i;
  }
  return Slot{&host, event_index, start, start + kSessionLength};
}

absl::StatusOr<Fixture> PrepareFixture(Stubs& stubs, const std::string& organiser_token,
                                       const std::string& demo_programme) {
  Fixture f;
  const absl::Time now = absl::Now();
  f.run_id = absl::StrCat("load-", absl::ToUnixSeconds(now));
  f.demo_programme = demo_programme;

  // The imported programme's published hubs and their experts.
  hv1::ListPublishedHubsRequest lh;
  lh.set_programme(demo_programme);
  lh.set_page_size(100);
  hv1::ListPublishedHubsResponse hubs;
  grpc::Status st = ctl::CallWithRetry(
      "", [&](grpc::ClientContext& c) { return stubs.hubs->ListPublishedHubs(&c, lh, &hubs); });
  if (!st.ok()) return Failed("listing the published hubs", st);
  if (hubs.hubs().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(demo_programme, " has no published hubs: import demo/etnik-2021.json first"));
  }
  for (const hv1::CatalogueHub& h : hubs.hubs()) {
    const std::string hub_id(absl::StripPrefix(h.name(), "hubs/"));
    hv1::ListExpertsRequest le;
    le.set_hub(h.name());
    le.set_page_size(100);
    hv1::ListExpertsResponse experts;
    st = ctl::CallWithRetry(organiser_token,
                            [&](grpc::ClientContext& c) { return stubs.hubs->ListExperts(&c, le, &experts); });
    if (!st.ok()) return Failed(absl::StrCat("listing the experts of ", h.name()), st);
    for (const hv1::Expert& e : experts.experts()) {
      Host host{hub_id, e.name(), absl::UTCTimeZone()};
      if (!e.time_zone().empty() && !absl::LoadTimeZone(e.time_zone(), &host.zone)) {
        return absl::InternalError(absl::StrCat(e.name(), " has an unknown zone ", e.time_zone()));
      }
      f.hosts.push_back(host);
    }
    f.hub_ids.push_back(hub_id);
  }
  if (f.hosts.empty()) return absl::FailedPreconditionError("the published hubs have no experts");

  // This run's programme: selection open now, practice from a month on for three years.
  const std::string programme_id = f.run_id;
  f.programme = "programmes/" + programme_id;
  const absl::Time practice_start = absl::FromCivil(absl::ToCivilDay(now + absl::Hours(24 * 32), absl::UTCTimeZone()),
                                                    absl::UTCTimeZone());
  f.first_day = absl::ToCivilDay(practice_start, absl::UTCTimeZone()) + 1;
  {
    reg::CreateProgrammeRequest req;
    req.set_programme_id(programme_id);
    req.set_request_id(f.run_id + "-programme");
    reg::Programme* p = req.mutable_programme();
    p->mutable_title()->set_ru("Нагрузочный прогон");
    p->mutable_title()->set_en("Load run");
    p->set_time_zone("Europe/Moscow");
    p->set_seats(40);
    reg::Stage* s = p->add_stages();
    s->set_stage_id("selection");
    s->set_kind(cv1::STAGE_KIND_SELECTION);
    s->mutable_title()->set_ru("Отбор");
    *s->mutable_window()->mutable_start_time() = Ts(now - absl::Hours(1));
    *s->mutable_window()->mutable_end_time() = Ts(now + absl::Hours(24 * 30));
    s = p->add_stages();
    s->set_stage_id("practice");
    s->set_kind(cv1::STAGE_KIND_PRACTICE);
    s->mutable_title()->set_ru("Практика");
    *s->mutable_window()->mutable_start_time() = Ts(practice_start);
    *s->mutable_window()->mutable_end_time() = Ts(practice_start + absl::Hours(24 * 365 * 3));
    reg::ReviewCriterion* c = p->add_review_criteria();
    c->set_criterion_id("relevance");
    c->mutable_title()->set_ru("Актуальность");
    c->set_weight(1);
    c->set_max_score(10);
    reg::Programme out;
    st = ctl::CallWithRetry(organiser_token,
                            [&](grpc::ClientContext& c) { return stubs.registration->CreateProgramme(&c, req, &out); });
    if (!st.ok()) return Failed("creating the programme", st);
  }
  {
    reg::CreateFormRequest req;
    req.set_parent(f.programme);
    req.set_form_id("application");
    req.set_request_id(f.run_id + "-form");
    reg::Form* form = req.mutable_form();
    form->set_purpose(reg::FORM_PURPOSE_APPLICATION);
    form->mutable_title()->set_ru("Анкета участника");
    reg::Question* q = form->add_questions();
    q->set_question_id("experience");
    q->set_type(reg::QUESTION_TYPE_LONG_TEXT);
    q->mutable_text()->set_ru("Опыт организации");
    q->set_required(true);
    *form->mutable_open_time() = Ts(now - absl::Minutes(30));
    *form->mutable_close_time() = Ts(now + absl::Hours(24 * 29));
    reg::Form out;
    st = ctl::CallWithRetry(organiser_token,
                            [&](grpc::ClientContext& c) { return stubs.registration->CreateForm(&c, req, &out); });
    if (!st.ok()) return Failed("creating the application form", st);
    f.form = out.name();
  }
  // One webinar event per hub in the practice stage; scheduling learns of the stage by an event.
  for (const std::string& hub_id : f.hub_ids) {
    sv1::CreateEventRequest req;
    req.set_event_id(absl::StrCat(f.run_id, "-", hub_id));
    req.set_request_id(absl::StrCat(f.run_id, "-event-", hub_id));
    sv1::Event* e = req.mutable_event();
    e->set_programme(f.programme);
    e->set_stage(f.programme + "/stages/practice");
    e->set_kind(cv1::EVENT_KIND_WEBINAR);
    e->mutable_title()->set_ru("Вебинар хаба");
    e->set_hub("hubs/" + hub_id);
    e->set_time_zone("Europe/Moscow");
    e->set_open_registration(true);
    e->set_default_capacity(30);
    sv1::Event out;
    st = ctl::CallWithRetry(organiser_token,
                            [&](grpc::ClientContext& c) { return stubs.scheduling->CreateEvent(&c, req, &out); });
    if (!st.ok()) return Failed(absl::StrCat("creating the event of hubs/", hub_id), st);
    f.events.push_back(out.name());
  }
  return f;
}

}  // namespace etnik::bench
