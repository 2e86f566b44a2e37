#include "auth/ClientCertificate.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include <vector>

namespace pbi {

struct ClientCertificate::Key {
    EVP_PKEY* pkey = nullptr;
    ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

// A certificate file bigger than this is not a certificate; refuse before reading it all.
constexpr qint64 kMaxFileBytes = 1024 * 1024;

Error certError(const QString& sentence, const QString& hint = {}) {
    Error e;
    e.kind = ErrorKind::Auth;
    e.sentence = sentence;
    e.hint = hint;
    return e;
}

QString lastOpenSslError() {
    const unsigned long code = ERR_peek_last_error();
    if (code == 0)
        return {};
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return QString::fromLatin1(buf);
}

struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

BioPtr memoryBio(const QByteArray& data) {
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

int passwordCallback(char* buf, int size, int /*rwflag*/, void* user) {
    const QByteArray& pass = *static_cast<const QByteArray*>(user);
    const int n = std::min<int>(size, int(pass.size()));
    memcpy(buf, pass.constData(), size_t(n));
    return n;
}

QDateTime fromAsn1(const ASN1_TIME* t) {
    struct tm tm {};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return {};
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                     QTime(tm.tm_hour, tm.tm_min, tm.tm_sec), Qt::UTC);
}

QString nameText(const X509_NAME* name) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QString::fromUtf8(data, n);
}

CertificateInfo describe(X509* cert) {
    CertificateInfo info;
    const int len = i2d_X509(cert, nullptr);
    QByteArray der(len, Qt::Uninitialized);
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert, &p);
    const QByteArray sha1 = QCryptographicHash::hash(der, QCryptographicHash::Sha1);
    info.thumbprint = QString::fromLatin1(sha1.toHex().toUpper());
    info.x5t = QString::fromLatin1(
        sha1.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    info.subject = nameText(X509_get_subject_name(cert));
    info.issuer = nameText(X509_get_issuer_name(cert));
    info.notBefore = fromAsn1(X509_get0_notBefore(cert));
    info.notAfter = fromAsn1(X509_get0_notAfter(cert));
    return info;
}

Result<ClientCertificate>
finish(EVP_PKEY* pkey, std::vector<X509Ptr> certs,
       const std::function<Result<ClientCertificate>(EVP_PKEY*, X509*)>& make) {
    if (!pkey)
        return certError(
            QStringLiteral("The file contains no private key."),
            QStringLiteral("Signing in with a certificate needs its private key: export "
                           "the certificate with its key (PKCS#12 / .pfx), or give the "
                           "key's PEM file as well."));
    if (certs.empty()) {
        EVP_PKEY_free(pkey);
        return certError(
            QStringLiteral("The file contains a private key but no certificate."),
            QStringLiteral("Entra ID identifies the key by its certificate's thumbprint: "
                           "add the certificate (PEM) next to the key."));
    }
    if (EVP_PKEY_base_id(pkey) != EVP_PKEY_RSA) {
        EVP_PKEY_free(pkey);
        return certError(QStringLiteral("The private key is not an RSA key."),
                         QStringLiteral("Entra ID client assertions are signed with RS256: use an "
                                        "RSA certificate."));
    }
    // A PEM bundle may carry the chain too: use the certificate that belongs to the key.
    for (auto& c : certs) {
        if (X509_check_private_key(c.get(), pkey) == 1) {
            ERR_clear_error();
            return make(pkey, c.get());
        }
    }
    ERR_clear_error();
    EVP_PKEY_free(pkey);
    return certError(QStringLiteral("The private key does not belong to the certificate (%1).")
                         .arg(describe(certs.front().get()).subject),
                     QStringLiteral("Pick the key that was generated with this certificate."));
}

} // namespace

QString CertificateInfo::validityProblem(const QDateTime& now) const {
    const QString fmt = QStringLiteral("yyyy-MM-dd HH:mm 'UTC'");
    if (notAfter.isValid() && now > notAfter)
        return QStringLiteral("The certificate %1 (thumbprint %2) expired on %3.")
            .arg(subject, thumbprint, notAfter.toString(fmt));
    if (notBefore.isValid() && now < notBefore)
        return QStringLiteral("The certificate %1 (thumbprint %2) is not valid before %3.")
            .arg(subject, thumbprint, notBefore.toString(fmt));
    return {};
}

Result<ClientCertificate> ClientCertificate::load(const QString& path, const QString& passPhrase,
                                                  const QString& keyPath) {
    auto read = [](const QString& file, QByteArray* out) -> std::optional<Error> {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return certError(QStringLiteral("Cannot read the certificate file %1: %2.")
                                 .arg(QFileInfo(file).fileName(), f.errorString()));
        if (f.size() > kMaxFileBytes)
            return certError(QStringLiteral("The file %1 is too big to be a certificate.")
                                 .arg(QFileInfo(file).fileName()));
        *out = f.readAll();
        return std::nullopt;
    };
    QByteArray data;
    QByteArray keyData;
    if (auto e = read(path, &data))
        return *e;
    if (!keyPath.isEmpty())
        if (auto e = read(keyPath, &keyData))
            return *e;
    return fromData(data, passPhrase, keyData);
}

Result<ClientCertificate> ClientCertificate::fromData(const QByteArray& data,
                                                      const QString& passPhrase,
                                                      const QByteArray& keyData) {
    ERR_clear_error();
    QByteArray pass = passPhrase.toUtf8();
    auto make = [](EVP_PKEY* pkey, X509* cert) -> Result<ClientCertificate> {
        ClientCertificate c;
        c.m_key = std::make_shared<Key>();
        c.m_key->pkey = pkey;
        c.m_info = describe(cert);
        return c;
    };

    if (data.contains("-----BEGIN")) {
        std::vector<X509Ptr> certs;
        {
            BioPtr bio = memoryBio(data);
            while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
                certs.emplace_back(x);
            ERR_clear_error(); // the loop ends on "no start line"
        }
        const QByteArray& keySource = keyData.isEmpty() ? data : keyData;
        BioPtr keyBio = memoryBio(keySource);
        EVP_PKEY* pkey = PEM_read_bio_PrivateKey(keyBio.get(), nullptr, passwordCallback, &pass);
        if (!pkey && keySource.contains("ENCRYPTED"))
            return certError(
                pass.isEmpty()
                    ? QStringLiteral("The private key is encrypted: a pass phrase is needed.")
                    : QStringLiteral(
                          "The pass phrase is wrong: the private key cannot be decrypted."));
        if (!pkey && keySource.contains("PRIVATE KEY-----"))
            return certError(
                QStringLiteral("The private key cannot be read (%1).").arg(lastOpenSslError()));
        ERR_clear_error();
        return finish(pkey, std::move(certs), make);
    }

    BioPtr bio = memoryBio(data);
    PKCS12* p12 = d2i_PKCS12_bio(bio.get(), nullptr);
    if (!p12) {
        ERR_clear_error();
        return certError(
            QStringLiteral("The file is neither a PEM nor a PKCS#12 (.pfx/.p12) certificate."));
    }
    // An empty pass phrase may be stored as "no password" or as the empty string.
    const char* passArg = nullptr;
    bool macOk = false;
    if (!pass.isEmpty()) {
        passArg = pass.constData();
        macOk = PKCS12_verify_mac(p12, passArg, int(pass.size())) == 1;
    } else if (PKCS12_verify_mac(p12, nullptr, 0) == 1) {
        macOk = true;
    } else if (PKCS12_verify_mac(p12, "", 0) == 1) {
        passArg = "";
        macOk = true;
    }
    if (!macOk) {
        PKCS12_free(p12);
        ERR_clear_error();
        return certError(
            pass.isEmpty()
                ? QStringLiteral("The PKCS#12 file is protected: a pass phrase is needed.")
                : QStringLiteral("The pass phrase is wrong: the PKCS#12 file cannot be opened."));
    }
    EVP_PKEY* pkey = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* chain = nullptr;
    int ok = PKCS12_parse(p12, passArg, &pkey, &cert, &chain);
    if (ok != 1) {
        // Files exported by older Windows use RC2/3DES, which OpenSSL 3 keeps in its legacy
        // provider; load it (the default provider stays) and try once more.
        ERR_clear_error();
        OSSL_PROVIDER_try_load(nullptr, "legacy", 1);
        ok = PKCS12_parse(p12, passArg, &pkey, &cert, &chain);
    }
    PKCS12_free(p12);
    if (ok != 1) {
        const QString why = lastOpenSslError();
        ERR_clear_error();
        return certError(QStringLiteral("The PKCS#12 file cannot be decrypted (%1).").arg(why),
                         QStringLiteral("Re-export it with AES-256 encryption (the default of "
                                        "current Windows and OpenSSL)."));
    }
    std::vector<X509Ptr> certs;
    if (cert)
        certs.emplace_back(cert);
    if (chain) {
        while (X509* x = sk_X509_shift(chain))
            certs.emplace_back(x);
        sk_X509_free(chain);
    }
    return finish(pkey, std::move(certs), make);
}

QByteArray ClientCertificate::signRs256(const QByteArray& data) const {
    if (!m_key || !m_key->pkey)
        return {};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    QByteArray sig;
    size_t len = 0;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, m_key->pkey) == 1 &&
        EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.constData()),
                       size_t(data.size())) == 1) {
        sig.resize(qsizetype(len));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(data.constData()),
                           size_t(data.size())) == 1)
            sig.resize(qsizetype(len));
        else
            sig.clear();
    }
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return sig;
}

} // namespace pbi
