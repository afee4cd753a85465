#include "services/registration/domain/answer_rules.h"

namespace etnik::registration {}  // namespace etnik::registration
