#include "services/registration/domain/organisation_rules.h"

namespace etnik::registration {}  // namespace etnik::registration
