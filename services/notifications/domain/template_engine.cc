#include "services/notifications/domain/template_engine.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace etnik::notifications {
namespace {

constexpr char kEventsPrefix[] = "etnik.events.v1.";

enum class TokenKind { kText, kVar, kIf, kElse, kEndIf };

struct Token {
  TokenKind kind;
  std::string value;  // text, or the variable name
  int line = 1;
};

bool IsIdentifier(absl::string_view s) {
  if (s.empty() || !(absl::ascii_islower(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '.';
  });
}

// Splits the text into tokens and reports every syntax problem (with its line).
std::vector<Token> Tokenize(absl::string_view text, std::vector<std::string>* errors) {
  std::vector<Token> tokens;
  std::vector<int> open_ifs;  // lines of unclosed {{#if}}
  std::vector<bool> seen_else;
  int line = 1;
  auto count_lines = [&](absl::string_view s) { line += static_cast<int>(std::count(s.begin(), s.end(), '\n')); };
  while (!text.empty()) {
    const size_t open = text.find("{{");
    if (open == absl::string_view::npos) {
      tokens.push_back({TokenKind::kText, std::string(text), line});
      break;
    }
    if (open > 0) {
      tokens.push_back({TokenKind::kText, std::string(text.substr(0, open)), line});
      count_lines(text.substr(0, open));
    }
    text.remove_prefix(open + 2);
    const size_t close = text.find("}}");
    const size_t next_open = text.find("{{");
    if (close == absl::string_view::npos || (next_open != absl::string_view::npos && next_open < close)) {
      errors->push_back(absl::StrCat("line ", line, ": '{{' without a closing '}}'"));
      if (close == absl::string_view::npos) break;
      // Skip to the next tag and keep checking the rest.
      count_lines(text.substr(0, next_open));
      text.remove_prefix(next_open);
      continue;
    }
    const absl::string_view raw = text.substr(0, close);
    const absl::string_view tag = absl::StripAsciiWhitespace(raw);
    const int tag_line = line;
    count_lines(raw);
    text.remove_prefix(close + 2);
    if (absl::StartsWith(tag, "#")) {
      absl::string_view rest = tag.substr(1);
      if (!absl::ConsumePrefix(&rest, "if") || (!rest.empty() && !absl::ascii_isspace(rest[0]))) {
        errors->push_back(absl::StrCat("line ", tag_line, ": unknown block '{{", tag, "}}' (only {{#if name}})"));
        continue;
      }
      rest = absl::StripAsciiWhitespace(rest);
      if (!IsIdentifier(rest)) {
        errors->push_back(absl::StrCat("line ", tag_line, ": '{{", tag, "}}' needs one variable name"));
        continue;
      }
      tokens.push_back({TokenKind::kIf, std::string(rest), tag_line});
      open_ifs.push_back(tag_line);
      seen_else.push_back(false);
    } else if (absl::StartsWith(tag, "/")) {
      if (absl::StripAsciiWhitespace(tag.substr(1)) != "if") {
        errors->push_back(absl::StrCat("line ", tag_line, ": unknown closing tag '{{", tag, "}}'"));
        continue;
      }
      if (open_ifs.empty()) {
        errors->push_back(absl::StrCat("line ", tag_line, ": '{{/if}}' without an open '{{#if}}'"));
        continue;
      }
      open_ifs.pop_back();
      seen_else.pop_back();
      tokens.push_back({TokenKind::kEndIf, "", tag_line});
    } else if (tag == "else") {
      if (open_ifs.empty()) {
        errors->push_back(absl::StrCat("line ", tag_line, ": '{{else}}' outside '{{#if}}'"));
        continue;
      }
      if (seen_else.back()) {
        errors->push_back(absl::StrCat("line ", tag_line, ": second '{{else}}' in one '{{#if}}'"));
        continue;
      }
      seen_else.back() = true;
      tokens.push_back({TokenKind::kElse, "", tag_line});
    } else if (IsIdentifier(tag)) {
      tokens.push_back({TokenKind::kVar, std::string(tag), tag_line});
    } else {
      errors->push_back(absl::StrCat("line ", tag_line, ": '{{", tag, "}}' is not a variable name"));
    }
  }
  for (int l : open_ifs) errors->push_back(absl::StrCat("line ", l, ": '{{#if}}' is never closed by '{{/if}}'"));
  return tokens;
}

std::string HtmlEscape(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

absl::StatusOr<std::string> RenderImpl(absl::string_view text,
                                       const std::map<std::string, std::string>& vars, bool html) {
  std::vector<std::string> errors;
  const std::vector<Token> tokens = Tokenize(text, &errors);
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrCat("template: ", errors.front()));
  auto value = [&](const std::string& name) -> absl::string_view {
    auto it = vars.find(name);
    return it == vars.end() ? absl::string_view() : absl::string_view(it->second);
  };
  std::string out;
  // One entry per open {{#if}}: whether its current branch is emitted, and whether the
  // enclosing context was emitting at all.
  std::vector<std::pair<bool, bool>> stack;
  bool emitting = true;
  for (const Token& t : tokens) {
    switch (t.kind) {
      case TokenKind::kText:
        if (emitting) out += t.value;
        break;
      case TokenKind::kVar:
        if (emitting) out += html ? HtmlEscape(value(t.value)) : std::string(value(t.value));
        break;
      case TokenKind::kIf: {
        const bool cond = !value(t.value).empty() && value(t.value) != "false";
        stack.emplace_back(cond, emitting);
        emitting = emitting && cond;
        break;
      }
      case TokenKind::kElse:
        stack.back().first = !stack.back().first;
        emitting = stack.back().second && stack.back().first;
        break;
      case TokenKind::kEndIf:
        emitting = stack.back().second;
        stack.pop_back();
        break;
    }
  }
  return out;
}

// Variables every template may use.
const std::vector<std::string>& CommonVariables() {
  static const auto* v = new std::vector<std::string>{"recipient_name"};
  return *v;
}

const std::vector<std::string>& ApplicationVariables() {
  static const auto* v = new std::vector<std::string>{"application", "organisation_name", "programme",
                                                      "programme_title"};
  return *v;
}

// Times are given three ways: in the recipient's zone (…_local), in the session's zone
// (…_event_zone) and both side by side (…_time).
const std::vector<std::string>& SessionVariables() {
  static const auto* v = new std::vector<std::string>{
      "session",        "session_title",     "event_kind",   "start_time",    "start_local",
      "start_event_zone", "end_time",        "end_local",    "end_event_zone", "event_zone",
      "recipient_zone", "hub_title",         "room",         "location",      "online_join_uri",
      "online_access_code", "hosts"};
  return *v;
}

const std::map<std::string, std::vector<std::string>>& Extras() {
  static const auto* m = new std::map<std::string, std::vector<std::string>>{
      {"ApplicationSubmitted", {"region", "organisation_inn", "submit_time"}},
      {"ApplicationSelected", {"rank", "score"}},
      {"ApplicationWaitlisted", {"waitlist_position", "score"}},
      {"ApplicationRejected", {"score"}},
      {"OfferMade", {"offer", "reply_deadline", "reply_deadline_local", "reply_deadline_event_zone",
                     "from_waitlist"}},
      {"OfferExpired", {"offer"}},
      {"ParticipantConfirmed", {"participant", "region"}},
      {"SessionBooked", {"capacity", "booked_by"}},
      {"SessionRescheduled", {"previous_start_time", "previous_start_local",
                              "previous_start_event_zone", "previous_location"}},
      {"SessionCancelled", {"reason"}},
      {"AttendeeRegistered", {"waitlisted", "waitlist_position"}},
      {"AttendeePromoted", {}},
      {"Reminder", {"time_until"}},
  };
  return *m;
}

// "etnik.events.v1.SessionBooked" / "SessionBooked" -> "SessionBooked"; the reminder -> "Reminder".
std::string ShortName(absl::string_view event_type) {
  if (event_type == kReminderEventType || event_type == "Reminder" || event_type == "SessionReminder") {
    return "Reminder";
  }
  absl::ConsumePrefix(&event_type, kEventsPrefix);
  return std::string(event_type);
}

bool IsSessionEvent(absl::string_view short_name) {
  return absl::StartsWith(short_name, "Session") || absl::StartsWith(short_name, "Attendee") ||
         short_name == "Reminder";
}

}  // namespace

std::vector<std::string> KnownEventTypes() {
  return {"etnik.events.v1.ApplicationSubmitted", "etnik.events.v1.ApplicationSelected",
          "etnik.events.v1.ApplicationWaitlisted", "etnik.events.v1.ApplicationRejected",
          "etnik.events.v1.OfferMade",            "etnik.events.v1.OfferExpired",
          "etnik.events.v1.ParticipantConfirmed", "etnik.events.v1.SessionBooked",
          "etnik.events.v1.SessionRescheduled",   "etnik.events.v1.SessionCancelled",
          "etnik.events.v1.AttendeeRegistered",   "etnik.events.v1.AttendeePromoted",
          kReminderEventType};
}

std::vector<std::string> AllowedVariables(absl::string_view event_type) {
  const std::string name = ShortName(event_type);
  auto it = Extras().find(name);
  if (it == Extras().end()) return {};
  std::set<std::string> out(CommonVariables().begin(), CommonVariables().end());
  const auto& base = IsSessionEvent(name) ? SessionVariables() : ApplicationVariables();
  out.insert(base.begin(), base.end());
  out.insert(it->second.begin(), it->second.end());
  return {out.begin(), out.end()};
}

std::vector<TemplateError> CheckText(absl::string_view field, absl::string_view text,
                                     const std::vector<std::string>* allowed) {
  std::vector<std::string> errors;
  const std::vector<Token> tokens = Tokenize(text, &errors);
  std::vector<TemplateError> out;
  for (std::string& e : errors) out.push_back({std::string(field), std::move(e)});
  if (allowed == nullptr) return out;
  std::set<std::string> reported;
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kVar && t.kind != TokenKind::kIf) continue;
    if (std::find(allowed->begin(), allowed->end(), t.value) != allowed->end()) continue;
    if (!reported.insert(t.value).second) continue;
    out.push_back({std::string(field),
                   absl::StrCat("line ", t.line, ": unknown variable '", t.value, "'")});
  }
  return out;
}

std::vector<etnik::FieldViolation> ValidateTemplate(const v1::Template& t) {
  std::vector<etnik::FieldViolation> out;
  const std::vector<std::string> allowed = AllowedVariables(t.event_type());
  if (allowed.empty()) {
    out.push_back({"template.event_type", absl::StrCat("unknown event type '", t.event_type(), "'")});
  }
  const std::vector<std::string>* check = allowed.empty() ? nullptr : &allowed;
  if (t.channel() == etnik::common::v1::CHANNEL_EMAIL && absl::StripAsciiWhitespace(t.subject()).empty()) {
    out.push_back({"template.subject", "an e-mail template needs a subject"});
  }
  if (t.subject().find_first_of("\r\n") != std::string::npos) {
    out.push_back({"template.subject", "the subject must be one line"});
  }
  if (absl::StripAsciiWhitespace(t.body()).empty()) {
    out.push_back({"template.body", "the body must not be empty"});
  }
  for (const auto& [field, text] : {std::pair<const char*, const std::string*>{"template.subject", &t.subject()},
                                    {"template.body", &t.body()}}) {
    for (TemplateError& e : CheckText(field, *text, check)) {
      out.push_back({std::move(e.field), std::move(e.description)});
    }
  }
  return out;
}

absl::StatusOr<std::string> Render(absl::string_view text,
                                   const std::map<std::string, std::string>& vars) {
  return RenderImpl(text, vars, false);
}

absl::StatusOr<std::string> RenderHtml(absl::string_view text,
                                       const std::map<std::string, std::string>& vars) {
  return RenderImpl(text, vars, true);
}

}  // namespace etnik::notifications
