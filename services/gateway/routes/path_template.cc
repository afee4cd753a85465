#include "services/gateway/routes/path_template.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace etnik::gateway {

namespace {

// "programmes" -> "programme", "hubs" -> "hub", "selectionRuns" -> "selectionRun".
std::string Singular(absl::string_view collection) {
  if (absl::EndsWith(collection, "ies")) return absl::StrCat(collection.substr(0, collection.size() - 3), "y");
  if (absl::EndsWith(collection, "s")) return std::string(collection.substr(0, collection.size() - 1));
  return std::string(collection);
}

// Splits "a/b:verb" into the path and the verb; the verb may only follow the last segment.
std::pair<absl::string_view, absl::string_view> SplitVerb(absl::string_view path) {
  size_t slash = path.rfind('/');
  size_t colon = path.find(':', slash == absl::string_view::npos ? 0 : slash);
  if (colon == absl::string_view::npos) return {path, ""};
  return {path.substr(0, colon), path.substr(colon + 1)};
}

}  // namespace

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate out;
  out.text_ = std::string(text);
  if (!absl::StartsWith(text, "/")) return absl::InvalidArgumentError(absl::StrCat("template must start with /: ", text));
  absl::string_view rest = text.substr(1);
  // Split at '/' outside braces.
  std::vector<std::string> raw;
  std::string current;
  int depth = 0;
  for (char c : rest) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == '/' && depth == 0) {
      raw.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  raw.push_back(current);
  if (depth != 0) return absl::InvalidArgumentError(absl::StrCat("unbalanced braces: ", text));
  // The verb sits after the last segment (after its closing brace for a variable).
  std::string& last = raw.back();
  size_t brace = last.rfind('}');
  size_t colon = last.find(':', brace == std::string::npos ? 0 : brace);
  if (colon != std::string::npos) {
    out.verb_ = last.substr(colon + 1);
    last.resize(colon);
  }
  for (const std::string& s : raw) {
    if (s.empty()) return absl::InvalidArgumentError(absl::StrCat("empty segment: ", text));
    Segment segment;
    if (s.front() == '{') {
      std::string body = s.substr(1, s.size() - 2);
      size_t eq = body.find('=');
      if (s.back() != '}' || eq == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat("variable must be {field=pattern}: ", text));
      }
      segment.field = body.substr(0, eq);
      segment.parts = absl::StrSplit(body.substr(eq + 1), '/');
    } else {
      segment.literal = s;
    }
    out.segments_.push_back(std::move(segment));
  }
  return out;
}

std::optional<std::map<std::string, std::string>> PathTemplate::Match(absl::string_view path) const {
  if (!absl::ConsumePrefix(&path, "/")) return std::nullopt;
  auto [body, verb] = SplitVerb(path);
  if (verb != verb_) return std::nullopt;
  std::vector<absl::string_view> parts = absl::StrSplit(body, '/');
  std::map<std::string, std::string> bound;
  size_t i = 0;
  for (const Segment& segment : segments_) {
    if (segment.field.empty()) {
      if (i >= parts.size() || parts[i] != segment.literal) return std::nullopt;
      ++i;
      continue;
    }
    if (i + segment.parts.size() > parts.size()) return std::nullopt;
    std::vector<absl::string_view> taken;
    for (const std::string& p : segment.parts) {
      absl::string_view got = parts[i++];
      if (got.empty() || (p != "*" && got != p)) return std::nullopt;
      taken.push_back(got);
    }
    bound[segment.field] = absl::StrJoin(taken, "/");
  }
  if (i != parts.size()) return std::nullopt;
  return bound;
}

std::string PathTemplate::OpenApiPath() const {
  std::string out;
  for (const Segment& segment : segments_) {
    if (segment.field.empty()) {
      absl::StrAppend(&out, "/", segment.literal);
      continue;
    }
    std::string previous = "id";
    for (const std::string& p : segment.parts) {
      if (p == "*") {
        absl::StrAppend(&out, "/{", Singular(previous), "}");
      } else {
        absl::StrAppend(&out, "/", p);
        previous = p;
      }
    }
  }
  if (!verb_.empty()) absl::StrAppend(&out, ":", verb_);
  return out;
}

std::vector<std::string> PathTemplate::OpenApiParameters() const {
  std::vector<std::string> out;
  for (const Segment& segment : segments_) {
    std::string previous = "id";
    for (const std::string& p : segment.parts) {
      if (p == "*") {
        out.push_back(Singular(previous));
      } else {
        previous = p;
      }
    }
  }
  return out;
}

std::vector<std::string> PathTemplate::Fields() const {
  std::vector<std::string> out;
  for (const Segment& segment : segments_) {
    if (!segment.field.empty()) out.push_back(segment.field);
  }
  return out;
}

}  // namespace etnik::gateway
