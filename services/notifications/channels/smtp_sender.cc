#include "services/notifications/channels/smtp_sender.h"

#include <curl/curl.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "services/notifications/channels/curl_http.h"

namespace etnik::notifications {
namespace {

bool IsAscii(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Header values: line breaks and other control characters would start a new header.
std::string OneLine(absl::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
  return out;
}

// RFC 2047 B-encoded words of at most 75 octets, split between UTF-8 characters and folded.
std::string EncodeWords(absl::string_view text) {
  const std::string line = OneLine(text);
  if (IsAscii(line) && line.size() < 900 && line.find("=?") == std::string::npos) return line;
  constexpr size_t kMaxChunk = 45;  // base64 of 45 octets is 60 chars; with =?UTF-8?B??= 72
  std::string out;
  absl::string_view rest = line;
  while (!rest.empty()) {
    size_t cut = std::min(kMaxChunk, rest.size());
    while (cut < rest.size() && cut > 0 && (static_cast<unsigned char>(rest[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0) cut = std::min(kMaxChunk, rest.size());
    if (!out.empty()) out += "\r\n ";
    absl::StrAppend(&out, "=?UTF-8?B?", absl::Base64Escape(rest.substr(0, cut)), "?=");
    rest.remove_prefix(cut);
  }
  return out;
}

// "Name <a@b>" -> {"Name", "a@b"}; "a@b" -> {"", "a@b"}.
std::pair<std::string, std::string> SplitAddress(absl::string_view a) {
  const size_t lt = a.find('<');
  const size_t gt = a.rfind('>');
  if (lt == absl::string_view::npos || gt == absl::string_view::npos || gt < lt) {
    return {"", std::string(absl::StripAsciiWhitespace(a))};
  }
  std::string name(absl::StripAsciiWhitespace(a.substr(0, lt)));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  return {name, std::string(absl::StripAsciiWhitespace(a.substr(lt + 1, gt - lt - 1)))};
}

// A plain addr-spec: local@domain, no spaces, brackets, quotes, commas or control characters.
bool ValidAddress(absl::string_view a) {
  const size_t at = a.find('@');
  if (at == 0 || at == absl::string_view::npos || at + 1 >= a.size() || a.find('@', at + 1) != a.npos) {
    return false;
  }
  return std::none_of(a.begin(), a.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || std::strchr("<>()[]\",;:\\", c) != nullptr;
  });
}

std::string Mailbox(absl::string_view name, absl::string_view address) {
  if (name.empty()) return std::string(address);
  std::string display;
  if (IsAscii(name)) {
    display = absl::StrCat("\"", absl::StrReplaceAll(OneLine(name), {{"\\", "\\\\"}, {"\"", "\\\""}}), "\"");
  } else {
    display = EncodeWords(name);
  }
  return absl::StrCat(display, " <", address, ">");
}

// Base64 in lines of 76 characters.
std::string Base64Lines(absl::string_view data) {
  const std::string b64 = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) absl::StrAppend(&out, b64.substr(i, 76), "\r\n");
  return out;
}

// Text in canonical form: CRLF line ends.
std::string Crlf(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

// A header parameter value: quoted, no quotes or control characters inside.
std::string Param(absl::string_view v) {
  std::string out;
  for (char c : OneLine(v)) {
    if (c != '"' && c != '\\') out += c;
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    const int64_t now = absl::ToUnixNanos(absl::Now());
    std::memcpy(raw.data(), &now, std::min(bytes, sizeof now));
  }
  return absl::BytesToHexString(raw);
}

// Message-ID local part from the idempotency key: kept when it is plain, else its SHA-256, so one
// key always gives one Message-ID and receivers can drop a duplicate.
std::string MessageIdLocal(absl::string_view key) {
  if (key.empty()) return RandomHex(16);
  const bool plain = key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
                       return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.';
                     });
  if (plain) return std::string(key);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), 16));
}

size_t ReadChunk(char* buffer, size_t size, size_t n, void* user) {
  auto* rest = static_cast<absl::string_view*>(user);
  const size_t len = std::min(size * n, rest->size());
  std::memcpy(buffer, rest->data(), len);
  rest->remove_prefix(len);
  return len;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

class SmtpSender : public Sender {
 public:
  explicit SmtpSender(SmtpOptions o) : options_(std::move(o)), from_address_(SplitAddress(options_.from).second) {}

  absl::Status Send(const OutgoingMessage& m) override {
    const std::string to = SplitAddress(m.address).second;
    if (!ValidAddress(to)) return absl::InvalidArgumentError("not a valid e-mail address");
    if (!ValidAddress(from_address_)) return absl::FailedPreconditionError("the sender address is not valid");
    internal::EnsureCurlInitialised();
    const std::string message = BuildMimeMessage(m, options_.from, absl::Now());
    absl::string_view rest = message;

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return absl::UnavailableError("curl_easy_init failed");
    std::unique_ptr<curl_slist, SlistDeleter> rcpt(curl_slist_append(nullptr, absl::StrCat("<", to, ">").c_str()));
    const std::string mail_from = absl::StrCat("<", from_address_, ">");
    const long timeout_ms = static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.timeout)));
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &ReadChunk);
    curl_easy_setopt(c, CURLOPT_READDATA, &rest);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(c, CURLOPT_USE_SSL, options_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_NONE);
    if (!options_.username.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    }
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return absl::OkStatus();
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    // The server's own verdict decides: 5xx is permanent (e.g. no such mailbox), 4xx temporary.
    if (rc != CURLE_LOGIN_DENIED && reply >= 500 && reply < 600) {
      return absl::InvalidArgumentError(absl::StrCat("SMTP server refused the message (", reply, ")"));
    }
    if (reply >= 400 && reply < 500) {
      return absl::UnavailableError(absl::StrCat("SMTP server deferred the message (", reply, ")"));
    }
    return internal::CurlError(rc, "SMTP");
  }

 private:
  const SmtpOptions options_;
  const std::string from_address_;
};

}  // namespace

std::unique_ptr<Sender> MakeSmtpSender(SmtpOptions o) { return std::make_unique<SmtpSender>(std::move(o)); }

std::string BuildMimeMessage(const OutgoingMessage& m, absl::string_view from, absl::Time now) {
  const auto [from_name, from_address] = SplitAddress(from);
  const auto to_address = SplitAddress(m.address).second;
  const size_t at = from_address.find('@');
  const std::string domain = at == std::string::npos ? "etnik.local" : from_address.substr(at + 1);

  std::string h;
  absl::StrAppend(&h, "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()), "\r\n");
  absl::StrAppend(&h, "From: ", Mailbox(from_name, from_address), "\r\n");
  absl::StrAppend(&h, "To: ", Mailbox(m.recipient_name, to_address), "\r\n");
  absl::StrAppend(&h, "Subject: ", EncodeWords(m.subject), "\r\n");
  absl::StrAppend(&h, "Message-ID: <", MessageIdLocal(m.idempotency_key), "@", domain, ">\r\n");
  absl::StrAppend(&h, "MIME-Version: 1.0\r\n");
  absl::StrAppend(&h, "Auto-Submitted: auto-generated\r\n");
  std::string body = m.body;
  if (!m.unsubscribe_url.empty()) {
    const std::string url = OneLine(m.unsubscribe_url);
    absl::StrAppend(&h, "List-Unsubscribe: <", url, ">\r\n");
    if (absl::StartsWith(absl::AsciiStrToLower(url), "https://")) {
      absl::StrAppend(&h, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");  // RFC 8058
    }
    absl::StrAppend(&body, "\n\n--\nОтписаться от таких писем / Unsubscribe: ", url, "\n");
  }
  const std::string text_headers =
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n";
  if (m.attachments.empty()) {
    return absl::StrCat(h, text_headers, "\r\n", Base64Lines(Crlf(body)));
  }
  const std::string boundary = absl::StrCat("=_etnik_", RandomHex(12));  // "=_" never occurs in base64
  absl::StrAppend(&h, "Content-Type: multipart/mixed; boundary=\"", boundary, "\"\r\n\r\n");
  absl::StrAppend(&h, "This is a MIME message.\r\n");
  absl::StrAppend(&h, "--", boundary, "\r\n", text_headers, "\r\n", Base64Lines(Crlf(body)));
  for (const Attachment& a : m.attachments) {
    const std::string type = a.content_type.empty() ? "application/octet-stream" : OneLine(a.content_type);
    absl::StrAppend(&h, "--", boundary, "\r\n");
    absl::StrAppend(&h, "Content-Type: ", type, "; name=\"", Param(a.filename), "\"\r\n");
    absl::StrAppend(&h, "Content-Disposition: attachment; filename=\"", Param(a.filename), "\"\r\n");
    absl::StrAppend(&h, "Content-Transfer-Encoding: base64\r\n\r\n", Base64Lines(a.data));
  }
  absl::StrAppend(&h, "--", boundary, "--\r\n");
  return h;
}

}  // namespace etnik::notifications
