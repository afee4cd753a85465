#ifndef ETNIK_TOOLS_ETNIKCTL_MESSAGES_H_
#define ETNIK_TOOLS_ETNIKCTL_MESSAGES_H_

// API messages as a programme file holds them: proto3 JSON with the proto's field names.

#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"

namespace etnik::ctl {

// `m` as pretty JSON without the fields in `drop` (names, times, counts the services own);
// lines after the first are indented by `indent` spaces so it nests inside a document.
std::string FileJson(const google::protobuf::Message& m, const std::vector<std::string>& drop, int indent);

// A JSON string literal.
std::string JsonString(const std::string& s);

// Top-level fields the file's object `written` sets whose values in `want` (the file) and `have`
// (the service) differ. Fields the file leaves out are kept as the service has them.
std::vector<std::string> ChangedFields(const google::protobuf::Struct& written, const google::protobuf::Message& want,
                                       const google::protobuf::Message& have);

// The value of top-level field `field` of `m` as JSON, for error messages.
std::string FieldJson(const google::protobuf::Message& m, const std::string& field);

}  // namespace etnik::ctl

#endif  // ETNIK_TOOLS_ETNIKCTL_MESSAGES_H_
