#include "services/registration/domain/form_rules.h"

namespace etnik::registration {}  // namespace etnik::registration
