#ifndef ETNIK_TOOLS_ETNIKCTL_IMPORT_H_
#define ETNIK_TOOLS_ETNIKCTL_IMPORT_H_

#include <string>

#include "tools/etnikctl/client.h"

namespace etnik::ctl {

// Loads a programme file (see demo/README.md) into the services: creates what is missing (every
// create carries a request_id derived from the file's ids), updates the fields the file sets that
// differ, and reports each object as created, updated or unchanged. Returns an exit code.
int ImportProgramme(const std::string& path, const Endpoints& endpoints, const std::string& token);

// Prints the sessions of `programme` (programmes/{id}) as a table. Returns an exit code.
int PrintSchedule(const std::string& programme, const Endpoints& endpoints, const std::string& token);

}  // namespace etnik::ctl

#endif  // ETNIK_TOOLS_ETNIKCTL_IMPORT_H_
