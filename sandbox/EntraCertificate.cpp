#include "EntraCertificate.h"

#include "Jwt.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <cstdio>

namespace pbi::sandbox {

namespace {

EVP_PKEY* readPrivateKey(const std::string& pem)
{
    BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
    EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    return key;
}

X509* readCertificate(const std::string& pem)
{
    BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
    X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    return cert;
}

} // namespace

std::optional<EntraCertificate> EntraCertificate::fromPem(const std::string& pem)
{
    X509* cert = readCertificate(pem);
    if (!cert)
        return std::nullopt;
    unsigned char* der = nullptr;
    const int len = i2d_X509(cert, &der);
    EVP_PKEY* key = X509_get_pubkey(cert);
    X509_free(cert);
    if (len <= 0 || !key) {
        OPENSSL_free(der);
        EVP_PKEY_free(key);
        return std::nullopt;
    }
    unsigned char sha1[SHA_DIGEST_LENGTH];
    unsigned char sha256[SHA256_DIGEST_LENGTH];
    SHA1(der, std::size_t(len), sha1);
    SHA256(der, std::size_t(len), sha256);
    OPENSSL_free(der);
    EntraCertificate out;
    out.m_publicKey =
        std::shared_ptr<void>(key, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); });
    out.m_x5t = base64UrlEncode(std::string_view(reinterpret_cast<char*>(sha1), sizeof sha1));
    out.m_x5tS256 =
        base64UrlEncode(std::string_view(reinterpret_cast<char*>(sha256), sizeof sha256));
    return out;
}

bool EntraCertificate::verifyRs256(std::string_view data, std::string_view signature) const
{
    auto* key = static_cast<EVP_PKEY*>(m_publicKey.get());
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
        return false;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok =
        ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                         signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                         data.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

std::string sha256Bytes(std::string_view data)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return std::string(reinterpret_cast<char*>(digest), sizeof digest);
}

std::string signRs256WithPem(const std::string& privateKeyPem, std::string_view data)
{
    EVP_PKEY* key = readPrivateKey(privateKeyPem);
    if (!key)
        return {};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 0;
    std::string sig;
    if (ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1) {
        sig.resize(len);
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
            len = 0;
        sig.resize(len);
    }
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return sig;
}

std::string encodeJwtWithPem(const std::string& headerJson, const std::string& claimsJson,
                             const std::string& privateKeyPem)
{
    const std::string input = base64UrlEncode(headerJson) + "." + base64UrlEncode(claimsJson);
    return input + "." + base64UrlEncode(signRs256WithPem(privateKeyPem, input));
}

bool writePkcs12(const std::string& privateKeyPem, const std::string& certificatePem,
                 const std::string& passPhrase, const std::string& friendlyName,
                 const std::string& path, std::string* error)
{
    auto fail = [&](const std::string& why) {
        if (error)
            *error = why;
        return false;
    };
    EVP_PKEY* key = readPrivateKey(privateKeyPem);
    X509* cert = readCertificate(certificatePem);
    if (!key || !cert) {
        EVP_PKEY_free(key);
        X509_free(cert);
        return fail("the demo key or certificate cannot be read");
    }
    // AES-256 + SHA-256 MAC (OpenSSL 3's defaults when nids are 0): what current tools read.
    PKCS12* p12 =
        PKCS12_create(passPhrase.c_str(), friendlyName.c_str(), key, cert, nullptr, 0, 0, 0, 0, 0);
    EVP_PKEY_free(key);
    X509_free(cert);
    if (!p12)
        return fail("cannot build the PKCS#12 file");
    FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) {
        PKCS12_free(p12);
        return fail("cannot write " + path);
    }
    const bool ok = i2d_PKCS12_fp(file, p12) == 1;
    PKCS12_free(p12);
    if (std::fclose(file) != 0 || !ok)
        return fail("cannot write " + path);
    return true;
}

} // namespace pbi::sandbox
