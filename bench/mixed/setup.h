#ifndef ETNIK_BENCH_MIXED_SETUP_H_
#define ETNIK_BENCH_MIXED_SETUP_H_

// What the mixed load needs before it starts: the imported programme's hubs and experts to read
// and book with, and a programme of its own (future stages, an open application form, one
// webinar event per hub) so that bookings, registrations and applications can succeed.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "etnik/hubs/v1/hubs_service.grpc.pb.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"

namespace etnik::bench {

struct Stubs {
  std::unique_ptr<registration::v1::RegistrationService::Stub> registration;
  std::unique_ptr<hubs::v1::HubsService::Stub> hubs;
  std::unique_ptr<scheduling::v1::SchedulingService::Stub> scheduling;
};

struct Host {
  std::string hub_id;  // without "hubs/"
  std::string expert;  // experts/{expert}
  absl::TimeZone zone;
};

struct Fixture {
  std::string run_id;           // unique per run: ids, request ids and e-mails carry it
  std::string demo_programme;   // programmes/{id}, the imported one the reads go to
  std::vector<std::string> hub_ids;
  std::string programme;        // programmes/{id}, this run's own
  std::string form;             // its open application form
  std::vector<std::string> events;  // per hub_ids[i], this run's webinar event of that hub
  std::vector<Host> hosts;
  absl::CivilDay first_day;     // first day of the practice stage, in every host's zone

  // The k-th free slot: host k mod hosts, then eight 60-minute sessions a day 90 minutes apart
  // from 09:00 local (the demo experts are available 09:00-21:00; 15 minutes of buffer fit).
  struct Slot {
    const Host* host;
    size_t event_index;
    absl::Time start;
    absl::Time end;
  };
  Slot SlotFor(int64_t k) const;
};

// Reads the imported programme's published hubs and their experts, creates this run's programme,
// form and events (retrying while the services learn of each other through events).
absl::StatusOr<Fixture> PrepareFixture(Stubs& stubs, const std::string& organiser_token,
                                       const std::string& demo_programme);

// A 10-digit INN with the official check digit: distinct for distinct n below 10^7.
std::string InnFor(int64_t n);

}  // namespace etnik::bench

#endif  // ETNIK_BENCH_MIXED_SETUP_H_
