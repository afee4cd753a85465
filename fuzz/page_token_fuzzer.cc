// Page tokens of the hubs and scheduling listings (the registration and notifications listings
// use plain offsets and ids, parsed with SimpleAtoi). Properties:
//   - decode(encode(position)) == position under the same filters, for every position whose
//     parts can be told apart (no part holds the separator);
//   - the same token under other filters, or with another number of parts, is INVALID_ARGUMENT;
//   - any other string decodes to INVALID_ARGUMENT or to a position, never a crash.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fuzz/fuzz_input.h"
#include "services/hubs/domain/paging.h"
#include "services/scheduling/domain/page_token.h"

namespace {

using etnik::fuzz::FuzzInput;

constexpr char kSeparator = '\x1f';

bool HasSeparator(const std::string& s) { return s.find(kSeparator) != std::string::npos; }

constexpr const char* kParts[] = {"", "media", "2021-06-01T10:00:00Z", "Смоленск", "\x1f", "a\x1f\x62", "=="};

void Scheduling(FuzzInput& in) {
  const std::string filters = in.Bytes(40);
  const std::string other = in.Bytes(40);
  std::vector<std::string> position(in.Byte() % 4);
  bool separable = true;
  for (std::string& p : position) {
    p = in.Text(kParts, 40);
    separable = separable && !HasSeparator(p);
  }
  const std::string token = etnik::scheduling::EncodePageToken(filters, position);
  auto back = etnik::scheduling::DecodePageToken(token, filters, position.size());
  if (separable) {
    FUZZ_CHECK(back.ok() && *back == position);
    auto wrong_size = etnik::scheduling::DecodePageToken(token, filters, position.size() + 1);
    FUZZ_CHECK(!wrong_size.ok() && wrong_size.status().code() == absl::StatusCode::kInvalidArgument);
  } else {
    FUZZ_CHECK(!back.ok() && back.status().code() == absl::StatusCode::kInvalidArgument);
  }
  if (other != filters) {
    auto foreign = etnik::scheduling::DecodePageToken(token, other, position.size());
    FUZZ_CHECK(!foreign.ok() && foreign.status().code() == absl::StatusCode::kInvalidArgument);
  }

  const std::string garbage = in.Bytes(120);
  const size_t parts = in.Byte() % 4;
  auto decoded = etnik::scheduling::DecodePageToken(garbage, filters, parts);
  FUZZ_CHECK(decoded.ok() ? decoded->size() == parts : decoded.status().code() == absl::StatusCode::kInvalidArgument);
}

void Hubs(FuzzInput& in) {
  std::vector<std::string> filter_parts(in.Byte() % 3);
  for (std::string& p : filter_parts) p = in.Text(kParts, 30);
  const std::string fingerprint = etnik::hubs::FilterFingerprint(filter_parts);
  FUZZ_CHECK(fingerprint.size() == 16 && !HasSeparator(fingerprint));

  etnik::hubs::SortKey last;
  last.id = in.Text(kParts, 30);
  last.primary = in.Text(kParts, 60);  // a title or a time: anything, the separator too
  const int page_size = static_cast<int>(in.Int(-2, 2000));
  etnik::hubs::PageRequest request{page_size, etnik::hubs::EncodePageToken(fingerprint, last)};
  auto cursor = etnik::hubs::ParsePageRequest(request, fingerprint);
  if (page_size < 0) {
    FUZZ_CHECK(!cursor.ok() && cursor.status().code() == absl::StatusCode::kInvalidArgument);
  } else if (!HasSeparator(last.id)) {  // ids never hold it; the primary key may
    FUZZ_CHECK(cursor.ok() && cursor->after.has_value() && *cursor->after == last);
    FUZZ_CHECK(cursor->limit >= 1 && cursor->limit <= etnik::hubs::kMaxPageSize);
    const std::string other = etnik::hubs::FilterFingerprint({in.Bytes(20), "other"});
    if (other != fingerprint) {
      auto foreign = etnik::hubs::ParsePageRequest(request, other);
      FUZZ_CHECK(!foreign.ok() && foreign.status().code() == absl::StatusCode::kInvalidArgument);
    }
  }

  etnik::hubs::PageRequest garbage{static_cast<int>(in.Int(0, 50)), in.Bytes(120)};
  auto parsed = etnik::hubs::ParsePageRequest(garbage, fingerprint);
  FUZZ_CHECK(parsed.ok() || parsed.status().code() == absl::StatusCode::kInvalidArgument);
  if (parsed.ok()) FUZZ_CHECK(garbage.page_token.empty() || parsed->after.has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  Scheduling(in);
  Hubs(in);
  return 0;
}
