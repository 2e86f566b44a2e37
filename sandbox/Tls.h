#pragma once

#include <optional>
#include <string>
#include <vector>

struct ssl_ctx_st; // OpenSSL's SSL_CTX, kept out of this header

namespace pbi::sandbox {

/// What an https sandbox presents: its certificate chain and private key, as PEM.
struct TlsIdentity {
    std::string certificateChainPem; ///< the server certificate first, then any intermediates
    std::string privateKeyPem;       ///< unencrypted (PKCS#8 or the traditional forms)
};

/// A server identity signed by a certificate authority made for it, and that authority's
/// certificate: the one file a client must trust to reach the sandbox over https.
struct GeneratedTls {
    TlsIdentity server;
    std::string caCertificatePem;
    std::string notAfter; ///< when both certificates expire, "2025-07-01 12:00:00 UTC"
};

/// Generates a P-256 certificate authority and a server certificate it signs, for localhost,
/// 127.0.0.1, ::1 and `extraHosts` (DNS names or IP addresses), valid `validityDays`.
///
/// The authority can sign for those names only (name constraints, path length 0) and its
/// private key is thrown away here, so trusting its certificate lets nothing else in, even if
/// the file ends up in a system trust store. nullopt with `error` set when OpenSSL fails.
std::optional<GeneratedTls> generateTls(const std::vector<std::string>& extraHosts = {},
                                        int validityDays = 30, std::string* error = nullptr);

/// Reads a PEM certificate chain and an unencrypted PEM private key and checks that the key
/// belongs to the first certificate; nullopt with a sentence in `error` when they do not do.
std::optional<TlsIdentity> readTlsIdentity(const std::string& certificateFile,
                                           const std::string& keyFile,
                                           std::string* error = nullptr);

/// Puts `identity` into a server context (TLS 1.2 at least, no compression, no renegotiation);
/// false with `error` set when the PEM does not parse or the key does not match.
bool configureServerContext(ssl_ctx_st* context, const TlsIdentity& identity,
                            std::string* error = nullptr);

/// Writes `text` to `path` through a temporary file and a rename, so that a client waiting for
/// the file never reads half of it; false with `error` set on failure.
bool writeFileAtomically(const std::string& path, const std::string& text,
                         std::string* error = nullptr);

} // namespace pbi::sandbox
