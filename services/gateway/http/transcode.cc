#include "services/gateway/http/transcode.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace etnik::gateway {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status Bad(absl::string_view what) { return absl::InvalidArgumentError(std::string(what)); }

google::protobuf::util::JsonParseOptions StrictParse() {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // an unknown field is a client bug: 400
  return options;
}

// A field by its proto name or its JSON (lowerCamelCase) name.
const FieldDescriptor* FindField(const Descriptor* message, absl::string_view name) {
  if (const FieldDescriptor* f = message->FindFieldByName(std::string(name))) return f;
  return message->FindFieldByCamelcaseName(std::string(name));
}

// Walks "hub.name" to the message holding the last field, creating submessages on the way.
absl::StatusOr<std::pair<Message*, const FieldDescriptor*>> Resolve(Message* message, absl::string_view path) {
  std::vector<absl::string_view> steps = absl::StrSplit(path, '.');
  for (size_t i = 0; i < steps.size(); ++i) {
    const FieldDescriptor* field = FindField(message->GetDescriptor(), steps[i]);
    if (field == nullptr) return Bad(absl::StrCat("unknown parameter '", path, "'"));
    if (i + 1 == steps.size()) return std::make_pair(message, field);
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
      return Bad(absl::StrCat("parameter '", path, "' does not name a field"));
    }
    message = message->GetReflection()->MutableMessage(message, field);
  }
  return Bad(absl::StrCat("empty parameter name"));
}

// One query value as JSON for the field's type (the proto3 JSON parser does the checking).
google::protobuf::Value JsonValue(const FieldDescriptor* field, const std::string& text) {
  google::protobuf::Value value;
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
    if (text == "true" || text == "false") {
      value.set_bool_value(text == "true");
      return value;
    }
  }
  value.set_string_value(text);  // numbers, enums, timestamps and durations are all accepted as strings
  return value;
}

absl::Status SetFromQuery(Message* root, const std::string& key, const std::vector<std::string>& values) {
  absl::StatusOr<std::pair<Message*, const FieldDescriptor*>> target = Resolve(root, key);
  if (!target.ok()) return target.status();
  auto [message, field] = *target;
  const Reflection* reflection = message->GetReflection();
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
      field->message_type()->full_name() == "google.protobuf.FieldMask") {
    // updateMask=closeTime,title: JSON names (as the proto3 JSON mapping writes a FieldMask) or
    // the proto's own names (close_time); the services see the proto's.
    auto* mask = static_cast<google::protobuf::FieldMask*>(reflection->MutableMessage(message, field));
    for (const std::string& v : values) {
      for (absl::string_view path : absl::StrSplit(v, ',', absl::SkipEmpty())) {
        std::string snake;
        for (char c : path) {
          if (absl::ascii_isupper(c)) {
            snake.push_back('_');
            snake.push_back(absl::ascii_tolower(c));
          } else {
            snake.push_back(c);
          }
        }
        mask->add_paths(snake);
      }
    }
    return absl::OkStatus();
  }
  if (!field->is_repeated() && values.size() > 1) return Bad(absl::StrCat("parameter '", key, "' given more than once"));
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
    // Well-known scalars in JSON form: a Timestamp "2021-06-01T10:00:00Z", a Duration "3600s".
    google::protobuf::Value text;
    text.set_string_value(values[0]);
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(text, &json);
    Message* sub = reflection->MutableMessage(message, field);
    auto status = google::protobuf::util::JsonStringToMessage(json, sub, StrictParse());
    if (!status.ok()) return Bad(absl::StrCat("parameter '", key, "': ", status.message().as_string()));
    return absl::OkStatus();
  }
  // Build {"<field>": value-or-list} and let the strict JSON parser check the type.
  google::protobuf::Struct object;
  google::protobuf::Value& slot = (*object.mutable_fields())[field->json_name()];
  if (field->is_repeated()) {
    for (const std::string& v : values) {
      for (absl::string_view item : absl::StrSplit(v, ',', absl::SkipEmpty())) {
        *slot.mutable_list_value()->add_values() = JsonValue(field, std::string(item));
      }
    }
  } else {
    slot = JsonValue(field, values[0]);
  }
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(object, &json);
  std::unique_ptr<Message> scratch(message->New());
  auto status = google::protobuf::util::JsonStringToMessage(json, scratch.get(), StrictParse());
  if (!status.ok()) return Bad(absl::StrCat("parameter '", key, "': ", status.message().as_string()));
  if (field->is_repeated()) reflection->ClearField(message, field);
  message->MergeFrom(*scratch);
  return absl::OkStatus();
}

absl::Status SetString(Message* root, const std::string& path, const std::string& value) {
  absl::StatusOr<std::pair<Message*, const FieldDescriptor*>> target = Resolve(root, path);
  if (!target.ok()) return target.status();
  auto [message, field] = *target;
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_STRING || field->is_repeated()) {
    return absl::InternalError(absl::StrCat("path field ", path, " is not a string"));
  }
  message->GetReflection()->SetString(message, field, value);
  return absl::OkStatus();
}

}  // namespace

int JsonDepth(absl::string_view json) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

absl::StatusOr<std::unique_ptr<Message>> BuildRequest(const Route& route,
                                                      const std::map<std::string, std::string>& bound,
                                                      const std::multimap<std::string, std::string>& query,
                                                      const std::string& body) {
  std::unique_ptr<Message> request(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(route.method->input_type())->New());
  const std::string body_field = route.spec.body;
  // The body first, so path variables win over whatever the body says about the same field.
  absl::string_view trimmed = absl::StripAsciiWhitespace(body);
  if (body_field.empty()) {
    if (!trimmed.empty()) return Bad("this method takes no request body");
  } else if (!trimmed.empty()) {
    if (JsonDepth(trimmed) > kMaxJsonDepth) {
      return Bad(absl::StrCat("invalid JSON body: nested deeper than ", kMaxJsonDepth, " levels"));
    }
    Message* target = request.get();
    if (body_field != "*") {
      target = request->GetReflection()->MutableMessage(request.get(),
                                                        request->GetDescriptor()->FindFieldByName(body_field));
    }
    auto status = google::protobuf::util::JsonStringToMessage(std::string(trimmed), target, StrictParse());
    if (!status.ok()) return Bad(absl::StrCat("invalid JSON body: ", status.message().as_string()));
  }
  // Query parameters for the remaining fields (never the body field itself).
  std::map<std::string, std::vector<std::string>> grouped;
  for (const auto& [key, value] : query) grouped[key].push_back(value);
  for (const auto& [key, values] : grouped) {
    if (!body_field.empty() && body_field != "*" &&
        (key == body_field || absl::StartsWith(key, body_field + "."))) {
      return Bad(absl::StrCat("parameter '", key, "' belongs in the body"));
    }
    if (bound.count(key) != 0) return Bad(absl::StrCat("parameter '", key, "' is given by the path"));
    if (absl::Status s = SetFromQuery(request.get(), key, values); !s.ok()) return s;
  }
  if (route.spec.defaults[0] != '\0') {
    std::pair<std::string, std::string> kv = absl::StrSplit(route.spec.defaults, absl::MaxSplits('=', 1));
    if (absl::Status s = SetString(request.get(), kv.first, kv.second); !s.ok()) return s;
  }
  for (const auto& [field, value] : bound) {
    if (absl::Status s = SetString(request.get(), field, value); !s.ok()) return s;
  }
  // GetAttendance names the programme twice; the path gives it once, inside the participant.
  const FieldDescriptor* programme = request->GetDescriptor()->FindFieldByName("programme");
  if (programme != nullptr && programme->containing_oneof() == nullptr &&
      programme->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !programme->is_repeated() &&
      request->GetReflection()->GetString(*request, programme).empty()) {
    for (const auto& [field, value] : bound) {
      std::vector<absl::string_view> parts = absl::StrSplit(value, '/');
      if (field != "programme" && parts.size() > 2 && parts[0] == "programmes") {
        request->GetReflection()->SetString(request.get(), programme, absl::StrCat("programmes/", parts[1]));
        break;
      }
    }
  }
  return request;
}

std::string ToJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = false;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) return "{}";
  return out;
}

}  // namespace etnik::gateway
