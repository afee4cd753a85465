#ifndef ETNIK_SERVICES_REGISTRATION_API_OFFER_SWEEPER_H_
#define ETNIK_SERVICES_REGISTRATION_API_OFFER_SWEEPER_H_

// A background loop that expires offers past their reply deadline.

#include "absl/status/status.h"
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

  absl::Status Start();
  void Stop();

 private:
  ServiceContext& ctx_;
  absl::Duration interval_;
};

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_API_OFFER_SWEEPER_H_
