#ifndef ETNIK_SERVICES_REGISTRATION_STORE_REVIEW_STORE_H_
#define ETNIK_SERVICES_REGISTRATION_STORE_REVIEW_STORE_H_

// Reviewer assignments, conflict declarations and reviews.

namespace etnik::registration::store {}  // namespace etnik::registration::store

#endif  // ETNIK_SERVICES_REGISTRATION_STORE_REVIEW_STORE_H_
