#include "services/registration/store/review_store.h"

namespace etnik::registration::store {}  // namespace etnik::registration::store
