#include "common/auth/test_keys.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/auth/base64url.h"
#include "openssl/bio.h"
#include "openssl/evp.h"
#include "openssl/hmac.h"
#include "openssl/pem.h"
#include "openssl/rsa.h"

namespace etnik::auth::testkeys {

RsaKeyPair GenerateRsaKeyPair(int bits) {
  EVP_PKEY* raw = EVP_RSA_gen(static_cast<unsigned int>(bits));
  if (raw == nullptr) std::abort();
  RsaKeyPair pair{std::shared_ptr<evp_pkey_st>(raw, &EVP_PKEY_free), ""};
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (PEM_write_bio_PUBKEY(bio.get(), raw) != 1) std::abort();
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  pair.public_pem.assign(data, static_cast<size_t>(len));
  return pair;
}

const RsaKeyPair& KeyPairA() {
  static const RsaKeyPair* pair = new RsaKeyPair(GenerateRsaKeyPair(2048));
  return *pair;
}

const RsaKeyPair& KeyPairB() {
  static const RsaKeyPair* pair = new RsaKeyPair(GenerateRsaKeyPair(2048));
  return *pair;
}

Signer Hs256Signer(absl::string_view secret) {
  return [key = std::string(secret)](absl::string_view input) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    return std::string(reinterpret_cast<const char*>(mac), len);
  };
}

Signer Rs256Signer(const RsaKeyPair& pair) {
  return [key = pair.key](absl::string_view input) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t len = 0;
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1) {
      std::abort();
    }
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
      std::abort();
    }
    sig.resize(len);
    return sig;
  };
}

std::string BuildToken(absl::string_view header_json, absl::string_view payload_json, const Signer& sign) {
  std::string input = absl::StrCat(Base64UrlEncode(header_json), ".", Base64UrlEncode(payload_json));
  return absl::StrCat(input, ".", Base64UrlEncode(sign(input)));
}

std::string Payload(absl::Time now, absl::string_view iss, absl::string_view aud_json, absl::Duration ttl,
                    absl::string_view extra) {
  return absl::StrCat(R"({"sub":"user-1","name":"Анна","roles":["hub_lead"],"hubs":["hub-a"],"iss":")", iss,
                      R"(","aud":)", aud_json, R"(,"iat":)", absl::ToUnixSeconds(now), R"(,"exp":)",
                      absl::ToUnixSeconds(now + ttl), extra, "}");
}

}  // namespace etnik::auth::testkeys
