#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace pbi::sandbox {

/// An X.509 certificate registered on an app (keyCredentials): its thumbprints and public key,
/// for checking the RS256 signature of a client assertion.
class EntraCertificate {
public:
    /// Parses one PEM certificate; nullopt if it is not one.
    static std::optional<EntraCertificate> fromPem(const std::string& pem);

    /// base64url(SHA-1(DER)): the `x5t` a client assertion names its key by.
    const std::string& x5t() const { return m_x5t; }
    /// base64url(SHA-256(DER)): the newer `x5t#S256` header.
    const std::string& x5tS256() const { return m_x5tS256; }
    bool verifyRs256(std::string_view data, std::string_view signature) const;

private:
    std::shared_ptr<void> m_publicKey; // EVP_PKEY, freed by its deleter
    std::string m_x5t;
    std::string m_x5tS256;
};

/// The raw SHA-256 digest of `data` (PKCE S256).
std::string sha256Bytes(std::string_view data);

/// RS256 signature of `data` with a PEM private key (PKCS#8 or PKCS#1); empty when the key is
/// unusable. For clients of the sandbox that sign assertions (tests, tools).
std::string signRs256WithPem(const std::string& privateKeyPem, std::string_view data);

/// A compact JWS "header.claims.signature" signed RS256 with a PEM private key.
std::string encodeJwtWithPem(const std::string& headerJson, const std::string& claimsJson,
                             const std::string& privateKeyPem);

/// Writes a PKCS#12 (.pfx) holding the key and certificate, protected by `passPhrase`.
bool writePkcs12(const std::string& privateKeyPem, const std::string& certificatePem,
                 const std::string& passPhrase, const std::string& friendlyName,
                 const std::string& path, std::string* error = nullptr);

} // namespace pbi::sandbox
