#ifndef ETNIK_SERVICES_REGISTRATION_STORE_SELECTION_STORE_H_
#define ETNIK_SERVICES_REGISTRATION_STORE_SELECTION_STORE_H_

// Selection runs, offers and participants.

namespace etnik::registration::store {}  // namespace etnik::registration::store

#endif  // ETNIK_SERVICES_REGISTRATION_STORE_SELECTION_STORE_H_
