#pragma once

#include "http/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <memory>

namespace pbi {

/// What the connection dialog shows about a certificate before anyone signs in with it.
struct CertificateInfo {
    QString thumbprint; ///< SHA-1 of the DER, upper-case hex: what the Azure portal lists
    QString x5t;        ///< the same SHA-1, base64url: the assertion's x5t header
    QString subject;    ///< RFC 2253, e.g. "CN=pbi-console"
    QString issuer;
    QDateTime notBefore; ///< UTC
    QDateTime notAfter;  ///< UTC

    bool isValidAt(const QDateTime& now) const { return now >= notBefore && now <= notAfter; }
    /// Empty when the certificate is valid at `now`; else one sentence for the user
    /// ("The certificate expired on …").
    QString validityProblem(const QDateTime& now) const;
};

/// A client certificate and its private key, loaded from PEM (key and certificate in one
/// file or two) or PKCS#12 (.pfx/.p12, with a pass phrase), able to sign RS256 assertions.
/// OpenSSL does the work: Qt has no RS256 signing. Copies share the key.
class ClientCertificate {
public:
    /// Loads `path`; `keyPath` is the private key's file when it is not in `path` (PEM only).
    /// `passPhrase` opens a PKCS#12 file or an encrypted PEM key. Errors (kind Auth) name
    /// the problem: unreadable file, wrong pass phrase, no private key, no certificate, key
    /// not matching the certificate, a key that is not RSA.
    static Result<ClientCertificate> load(const QString& path, const QString& passPhrase = {},
                                          const QString& keyPath = {});
    /// The same from bytes already in memory (e.g. from the secret store).
    static Result<ClientCertificate> fromData(const QByteArray& data, const QString& passPhrase,
                                              const QByteArray& keyData = {});

    const CertificateInfo& info() const { return m_info; }
    /// RSASSA-PKCS1-v1_5 with SHA-256 over `data` (a JWT's signing input).
    QByteArray signRs256(const QByteArray& data) const;

private:
    struct Key;
    ClientCertificate() = default;

    std::shared_ptr<Key> m_key;
    CertificateInfo m_info;
};

} // namespace pbi
