#ifndef ETNIK_SERVICES_REGISTRATION_STORE_SELECTION_STORE_H_
#define ETNIK_SERVICES_REGISTRATION_STORE_SELECTION_STORE_H_

// Selection runs, the waiting list, offers, participants and the participant seat counter,
// read and written inside the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/db/seat_counters.h"
#include "etnik/registration/v1/participant.pb.h"
#include "etnik/registration/v1/selection.pb.h"
#include "google/protobuf/message.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::registration::store {

namespace v1 = etnik::registration::v1;

// A stored proto: base64 of its bytes, so both engines keep it in a TEXT column.
std::string EncodeRow(const google::protobuf::Message& m);
bool DecodeRow(const std::string& text, google::protobuf::Message* m);

// Confirmed participants per programme (key: programmes/{p}); capacity is the programme's seats.
const db::SeatCounterTable& ParticipantSeats();

// Committed selection runs (previews are never stored).
absl::Status InsertSelectionRun(soci::session& s, absl::string_view programme, const v1::SelectionRun& run);
absl::StatusOr<std::optional<v1::SelectionRun>> LoadSelectionRun(soci::session& s, absl::string_view name);
// Newest first, without decisions.
absl::StatusOr<std::vector<v1::SelectionRun>> ListSelectionRuns(soci::session& s, absl::string_view programme,
                                                                 int offset, int limit);
absl::StatusOr<int> CountSelectionRuns(soci::session& s, absl::string_view programme);

// The waiting list of the committed run: application -> position. Positions stay as the run
// gave them; Remove takes an application off when it is offered a seat.
absl::Status AddToWaitlist(soci::session& s, absl::string_view programme, absl::string_view application,
                           int position);
absl::Status RemoveFromWaitlist(soci::session& s, absl::string_view application);
// Applications still on the list, in position order.
absl::StatusOr<std::vector<std::string>> Waitlist(soci::session& s, absl::string_view programme);

// Offers. `applicant` is indexed so an applicant lists only their own.
absl::Status InsertOffer(soci::session& s, const v1::Offer& offer, absl::string_view applicant);
// UPDATE guarded by the state the caller read: false when the row was not in `expected` any
// more (a concurrent reply or the sweeper got there first).
absl::StatusOr<bool> SaveOfferIfState(soci::session& s, const v1::Offer& offer, v1::OfferState expected);
absl::StatusOr<std::optional<v1::Offer>> LoadOffer(soci::session& s, absl::string_view name);
struct OfferFilter {
  std::string programme;  // required
  v1::OfferState state = v1::OFFER_STATE_UNSPECIFIED;
  std::string application;  // empty: all
  std::string applicant;    // empty: all
};
// Ordered by creation.
absl::StatusOr<std::vector<v1::Offer>> ListOffers(soci::session& s, const OfferFilter& f, int offset, int limit);
absl::StatusOr<int> CountOffers(soci::session& s, const OfferFilter& f);
// Names of OPEN offers (any programme) whose deadline is at or before `now`, oldest first.
absl::StatusOr<std::vector<std::string>> DueOffers(soci::session& s, absl::Time now, int limit);

// Participants (confirmed applications).
absl::Status InsertParticipant(soci::session& s, const v1::Participant& p, absl::string_view region);
absl::StatusOr<std::optional<v1::Participant>> LoadParticipant(soci::session& s, absl::string_view name);
// Ordered by organisation name; region empty means all.
absl::StatusOr<std::vector<v1::Participant>> ListParticipants(soci::session& s, absl::string_view programme,
                                                              absl::string_view region, int offset, int limit);
absl::StatusOr<int> CountParticipants(soci::session& s, absl::string_view programme, absl::string_view region);

}  // namespace etnik::registration::store

#endif  // ETNIK_SERVICES_REGISTRATION_STORE_SELECTION_STORE_H_
