#ifndef ETNIK_SERVICES_REGISTRATION_API_OFFER_SWEEPER_H_
#define ETNIK_SERVICES_REGISTRATION_API_OFFER_SWEEPER_H_

// A background loop that expires offers past their reply deadline and refills their seats
// from the waiting list (ExpireDueOffers in selection/offer_flow.h). Several replicas may
// sweep at once: each offer expires in its own transaction guarded by its state.

#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/registration/api/service_context.h"

namespace etnik::registration {

class OfferSweeper {
 public:
  // `ctx` must outlive the sweeper.
  OfferSweeper(ServiceContext& ctx, absl::Duration interval) : ctx_(ctx), interval_(interval) {}
  ~OfferSweeper() { Stop(); }
  OfferSweeper(const OfferSweeper&) = delete;
  OfferSweeper& operator=(const OfferSweeper&) = delete;

  // Starts the loop (a sweep right away, then one per interval). INVALID_ARGUMENT for a
  // non-positive interval, FAILED_PRECONDITION when already running.
  absl::Status Start();
  // Stops and joins the loop; safe to call twice.
  void Stop();

  // One sweep now, as the loop does it; returns how many offers expired.
  absl::StatusOr<int> SweepOnce();

 private:
  void Loop();

  ServiceContext& ctx_;
  absl::Duration interval_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_API_OFFER_SWEEPER_H_
