#ifndef ETNIK_TOOLS_ETNIKCTL_COMMANDS_H_
#define ETNIK_TOOLS_ETNIKCTL_COMMANDS_H_

// etnikctl's commands beyond import and schedule. Each returns the process exit code: 0 done,
// 1 the services refused or failed (a one-line message on stderr), 2 bad usage.

#include <string>

#include "tools/etnikctl/client.h"

namespace etnik::ctl {

// Writes `programme` (programmes/{id}) as a programme file that `import` reads, to `out`
// ("-" for stdout).
int ExportProgramme(const std::string& programme, const std::string& out, const Endpoints& endpoints,
                    const std::string& token);

// `kind` "applications", "participants" or "progress" as UTF-8 CSV to `out` ("-" for stdout).
int WriteReport(const std::string& programme, const std::string& kind, const std::string& out,
                const Endpoints& endpoints, const std::string& token);

// Writes `text` to the file `out`, or stdout for "-". False after saying why on stderr.
bool WriteOut(const std::string& out, const std::string& text);

}  // namespace etnik::ctl

#endif  // ETNIK_TOOLS_ETNIKCTL_COMMANDS_H_
