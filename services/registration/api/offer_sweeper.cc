#include "services/registration/api/offer_sweeper.h"

namespace etnik::registration {

absl::Status OfferSweeper::Start() {
  (void)ctx_;
  (void)interval_;
  return absl::OkStatus();
}

void OfferSweeper::Stop() {}

}  // namespace etnik::registration
