#include "services/gateway/routes/openapi.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/gateway/routes/route_table.h"

namespace etnik::gateway {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Struct;
using google::protobuf::Value;

Value Str(absl::string_view s) {
  Value v;
  v.set_string_value(std::string(s));
  return v;
}

Struct& Obj(Struct& parent, const std::string& key) { return *(*parent.mutable_fields())[key].mutable_struct_value(); }

std::string TypeOf(const FieldDescriptor* f) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL: return "boolean";
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_UINT32: return "integer";
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: return "number";
    default: return "string";  // strings, enums, 64-bit integers, timestamps and durations in proto3 JSON
  }
}

std::string Roles(uint32_t access) {
  if (access & kPublic) return "public (no token needed)";
  if (access == kAnyRole) return "any authenticated caller";
  std::vector<std::string> names;
  const std::pair<uint32_t, const char*> bits[] = {{kOrganiser, "organiser"}, {kReviewer, "reviewer"},
                                                   {kHubLead, "hub_lead"},     {kExpert, "expert"},
                                                   {kParticipant, "participant"}, {kService, "service"}};
  for (const auto& [bit, name] : bits) {
    if (access & bit) names.push_back(name);
  }
  return absl::StrJoin(names, ", ");
}

void AddParameter(google::protobuf::ListValue& list, const std::string& name, const std::string& in,
                  const std::string& type, bool required, const std::string& description) {
  Struct& p = *list.add_values()->mutable_struct_value();
  (*p.mutable_fields())["name"] = Str(name);
  (*p.mutable_fields())["in"] = Str(in);
  (*p.mutable_fields())["required"].set_bool_value(required);
  if (!description.empty()) (*p.mutable_fields())["description"] = Str(description);
  (*Obj(p, "schema").mutable_fields())["type"] = Str(type);
}

Struct Operation(const Route& route) {
  Struct op;
  auto& f = *op.mutable_fields();
  f["operationId"] = Str(absl::StrCat(route.method->name(), "_", route.path.OpenApiPath()));
  f["summary"] = Str(absl::StrCat(route.method->full_name(), " (", Roles(route.spec.access), ")"));
  f["tags"].mutable_list_value()->add_values()->set_string_value(route.spec.backend);
  f["x-grpc-method"] = Str(route.grpc_method);
  f["x-roles"] = Str(Roles(route.spec.access));
  google::protobuf::ListValue& params = *f["parameters"].mutable_list_value();
  std::vector<std::string> names = route.path.OpenApiParameters();
  for (const std::string& name : names) AddParameter(params, name, "path", "string", true, "");
  // Query parameters: the request's top-level scalar fields not bound by the path or the body.
  std::set<std::string> bound;
  for (const std::string& field : route.path.Fields()) bound.insert(field.substr(0, field.find('.')));
  const std::string body = route.spec.body;
  if (body != "*") {
    const google::protobuf::Descriptor* input = route.method->input_type();
    for (int i = 0; i < input->field_count(); ++i) {
      const FieldDescriptor* field = input->field(i);
      if (bound.count(field->name()) || field->name() == body) continue;
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
          field->message_type()->full_name().rfind("google.protobuf.", 0) != 0) {
        continue;  // nested messages travel in bodies only
      }
      AddParameter(params, field->json_name(), "query", TypeOf(field), false,
                   field->is_repeated() ? "repeatable, or comma-separated" : "");
    }
  }
  if (!body.empty()) {
    const google::protobuf::Descriptor* message =
        body == "*" ? route.method->input_type() : route.method->input_type()->FindFieldByName(body)->message_type();
    Struct& rb = Obj(op, "requestBody");
    (*rb.mutable_fields())["required"].set_bool_value(body != "*");
    (*rb.mutable_fields())["description"] = Str(absl::StrCat("proto3 JSON of ", message->full_name()));
    Struct& schema = Obj(Obj(Obj(rb, "content"), "application/json"), "schema");
    (*schema.mutable_fields())["type"] = Str("object");
    (*schema.mutable_fields())["x-proto-message"] = Str(message->full_name());
  }
  Struct& responses = Obj(op, "responses");
  Struct& ok = Obj(responses, "200");
  const bool raw = route.spec.raw_body[0] != '\0';
  (*ok.mutable_fields())["description"] =
      Str(raw ? absl::StrCat("the ", route.spec.raw_body, " of ", route.method->output_type()->full_name(),
                             " as the body, in its own media type")
              : absl::StrCat("proto3 JSON of ", route.method->output_type()->full_name()));
  Struct& error = Obj(responses, "default");
  (*error.mutable_fields())["description"] = Str("error");
  (*Obj(Obj(Obj(error, "content"), "application/json"), "schema").mutable_fields())["$ref"] =
      Str("#/components/schemas/Error");
  if (!(route.spec.access & kPublic)) {
    Struct& requirement = *f["security"].mutable_list_value()->add_values()->mutable_struct_value();
    (*requirement.mutable_fields())["bearer"].mutable_list_value();
  }
  return op;
}

std::string Build() {
  Struct doc;
  auto& f = *doc.mutable_fields();
  f["openapi"] = Str("3.0.3");
  Struct& info = Obj(doc, "info");
  (*info.mutable_fields())["title"] = Str("etnik REST API");
  (*info.mutable_fields())["version"] = Str("v1");
  (*info.mutable_fields())["description"] =
      Str("REST/JSON over the etnik gRPC services (proto3 JSON mapping). Errors follow Google's JSON error format.");
  Struct& paths = Obj(doc, "paths");
  for (const Route& route : Routes()) {
    Struct& item = Obj(paths, route.path.OpenApiPath());
    *Obj(item, absl::AsciiStrToLower(route.spec.http_method)).mutable_fields() = Operation(route).fields();
  }
  Struct& components = Obj(doc, "components");
  Struct& bearer = Obj(Obj(components, "securitySchemes"), "bearer");
  (*bearer.mutable_fields())["type"] = Str("http");
  (*bearer.mutable_fields())["scheme"] = Str("bearer");
  (*bearer.mutable_fields())["bearerFormat"] = Str("JWT");
  Struct& err = Obj(Obj(components, "schemas"), "Error");
  (*err.mutable_fields())["type"] = Str("object");
  Struct& inner = Obj(Obj(Obj(err, "properties"), "error"), "properties");
  (*Obj(inner, "code").mutable_fields())["type"] = Str("integer");
  (*Obj(inner, "status").mutable_fields())["type"] = Str("string");
  (*Obj(inner, "message").mutable_fields())["type"] = Str("string");
  (*Obj(inner, "details").mutable_fields())["type"] = Str("array");
  (*Obj(Obj(inner, "details"), "items").mutable_fields())["type"] = Str("object");
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  (void)google::protobuf::util::MessageToJsonString(doc, &out, options);
  return out;
}

}  // namespace

const std::string& OpenApiJson() {
  static const std::string* json = new std::string(Build());
  return *json;
}

}  // namespace etnik::gateway
