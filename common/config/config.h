#ifndef ETNIK_COMMON_CONFIG_CONFIG_H_
#define ETNIK_COMMON_CONFIG_CONFIG_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace etnik::config {

// The environment variable that overrides flag `name`: ETNIK_ + upper-case name,
// e.g. --grpc_address -> ETNIK_GRPC_ADDRESS.
std::string EnvVarFor(absl::string_view flag_name);

// Sets every registered Abseil flag whose ETNIK_* variable is present. A value that does not
// parse is an error naming the variable.
using EnvLookup = std::function<const char*(const char*)>;
absl::Status ApplyEnvOverrides(const EnvLookup& getenv_fn);

// Parses configuration for a binary: defaults < ETNIK_* environment < command line.
// Exits with a message on a bad value, as absl::ParseCommandLine does.
std::vector<char*> ParseFlags(int argc, char** argv);

}  // namespace etnik::config

#endif  // ETNIK_COMMON_CONFIG_CONFIG_H_
