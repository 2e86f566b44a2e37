#include "Jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace pbi::sandbox {

namespace {
constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string bignumParam(EVP_PKEY* key, const char* name)
{
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1 || !bn)
        throw std::runtime_error("cannot read RSA parameter");
    std::string bytes(std::size_t(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    return bytes;
}
} // namespace

std::string base64UrlEncode(std::string_view in)
{
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 |
                           (unsigned char)in[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == in.size()) {
        const unsigned v = (unsigned char)in[i] << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
    } else if (i + 2 == in.size()) {
        const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

std::optional<std::string> base64UrlDecode(std::string_view in)
{
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '-' || c == '+') return 62;
        if (c == '_' || c == '/') return 63;
        return -1;
    };
    while (!in.empty() && in.back() == '=')
        in.remove_suffix(1);
    if (in.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(in.size() * 3 / 4);
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        const int v = value(c);
        if (v < 0)
            return std::nullopt;
        buffer = (buffer << 6) | unsigned(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::shared_ptr<RsaKey> RsaKey::generate(int bits)
{
    std::shared_ptr<RsaKey> key(new RsaKey());
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
    if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) <= 0 ||
        EVP_PKEY_keygen(ctx, &key->m_key) <= 0) {
        EVP_PKEY_CTX_free(ctx);
        throw std::runtime_error("RSA key generation failed");
    }
    EVP_PKEY_CTX_free(ctx);
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key->m_key, &der);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(der, std::size_t(len), digest);
    OPENSSL_free(der);
    key->m_kid = base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
    return key;
}

RsaKey::~RsaKey()
{
    EVP_PKEY_free(m_key);
}

std::string RsaKey::signRs256(std::string_view data) const
{
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 0;
    std::string sig;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, m_key) == 1 &&
        EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1) {
        sig.resize(len);
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
            sig.clear();
        sig.resize(len);
    }
    EVP_MD_CTX_free(ctx);
    if (sig.empty())
        throw std::runtime_error("RS256 signing failed");
    return sig;
}

bool RsaKey::verifyRs256(std::string_view data, std::string_view signature) const
{
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, m_key) == 1 &&
              EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                               signature.size(),
                               reinterpret_cast<const unsigned char*>(data.data()),
                               data.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

std::string RsaKey::modulus() const
{
    return base64UrlEncode(bignumParam(m_key, OSSL_PKEY_PARAM_RSA_N));
}

std::string RsaKey::exponent() const
{
    return base64UrlEncode(bignumParam(m_key, OSSL_PKEY_PARAM_RSA_E));
}

std::string encodeJwt(const nlohmann::json& header, const nlohmann::json& claims,
                      const RsaKey& key)
{
    const std::string input = base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims.dump());
    return input + "." + base64UrlEncode(key.signRs256(input));
}

std::optional<DecodedJwt> decodeJwt(std::string_view token)
{
    const auto first = token.find('.');
    if (first == std::string_view::npos)
        return std::nullopt;
    const auto second = token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
        return std::nullopt;
    auto header = base64UrlDecode(token.substr(0, first));
    auto claims = base64UrlDecode(token.substr(first + 1, second - first - 1));
    auto signature = base64UrlDecode(token.substr(second + 1));
    if (!header || !claims || !signature)
        return std::nullopt;
    DecodedJwt out;
    out.header = nlohmann::json::parse(*header, nullptr, false);
    out.claims = nlohmann::json::parse(*claims, nullptr, false);
    if (out.header.is_discarded() || out.claims.is_discarded() || !out.header.is_object() ||
        !out.claims.is_object())
        return std::nullopt;
    out.signingInput = std::string(token.substr(0, second));
    out.signature = std::move(*signature);
    return out;
}

} // namespace pbi::sandbox
