#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct evp_pkey_st; // OpenSSL's EVP_PKEY, kept out of this header

namespace pbi::sandbox {

std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);

/// An RSA key pair the sandbox signs its tokens with (RS256), published in its JWKS.
class RsaKey {
public:
    static std::shared_ptr<RsaKey> generate(int bits = 2048);
    ~RsaKey();
    RsaKey(const RsaKey&) = delete;
    RsaKey& operator=(const RsaKey&) = delete;

    std::string signRs256(std::string_view data) const;
    bool verifyRs256(std::string_view data, std::string_view signature) const;
    /// The JWK's `n` and `e`, base64url.
    std::string modulus() const;
    std::string exponent() const;
    /// Key id: base64url of the SHA-1 of the public key (also used as x5t).
    const std::string& keyId() const { return m_kid; }

private:
    RsaKey() = default;
    ::evp_pkey_st* m_key = nullptr;
    std::string m_kid;
};

std::string encodeJwt(const nlohmann::json& header, const nlohmann::json& claims,
                      const RsaKey& key);

struct DecodedJwt {
    nlohmann::json header;
    nlohmann::json claims;
    std::string signingInput;
    std::string signature;
};
/// Splits and decodes a compact JWS; verifies nothing.
std::optional<DecodedJwt> decodeJwt(std::string_view token);

} // namespace pbi::sandbox
