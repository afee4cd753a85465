#include "services/registration/store/selection_store.h"

namespace etnik::registration::store {}  // namespace etnik::registration::store
