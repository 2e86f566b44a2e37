// EntraCertificate and the sandbox-only demo certificate: thumbprints, RS256 with the registered
// key, and the PKCS#12 file `pbi-sandbox --write-demo-certificate` writes.

#include "EntraCertificate.h"
#include "EntraDemo.h"
#include "Jwt.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <cstdio>

namespace demo = pbi::sandbox::demo;

class TestEntraCertificate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void demoCertificateThumbprints()
    {
        const auto cert = pbi::sandbox::EntraCertificate::fromPem(demo::certificatePem());
        QVERIFY(cert.has_value());
        QCOMPARE(QString::fromStdString(cert->x5t()), QString::fromLatin1(demo::kCertificateX5t));
        // x5t is base64url(SHA-1(DER)); recompute it from the PEM text independently.
        QByteArray pem(demo::certificatePem());
        pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "");
        const QByteArray der = QByteArray::fromBase64(pem.simplified().replace(' ', ""));
        const auto b64url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
        QCOMPARE(QByteArray::fromStdString(cert->x5t()),
                 QCryptographicHash::hash(der, QCryptographicHash::Sha1).toBase64(b64url));
        QCOMPARE(QByteArray::fromStdString(cert->x5tS256()),
                 QCryptographicHash::hash(der, QCryptographicHash::Sha256).toBase64(b64url));
    }

    void signaturesVerifyOnlyWithTheMatchingKey()
    {
        const auto cert = pbi::sandbox::EntraCertificate::fromPem(demo::certificatePem());
        const std::string data = "header.claims";
        const std::string sig = pbi::sandbox::signRs256WithPem(demo::privateKeyPem(), data);
        QCOMPARE(sig.size(), std::size_t(256)); // RSA-2048
        QVERIFY(cert->verifyRs256(data, sig));
        QVERIFY(!cert->verifyRs256("header.claimz", sig));
        std::string flipped = sig;
        flipped[10] = char(flipped[10] ^ 1);
        QVERIFY(!cert->verifyRs256(data, flipped));
        QVERIFY(!cert->verifyRs256(data, ""));
    }

    void badInputIsRefused()
    {
        QVERIFY(!pbi::sandbox::EntraCertificate::fromPem("").has_value());
        QVERIFY(!pbi::sandbox::EntraCertificate::fromPem(
                     "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                     .has_value());
        QVERIFY(!pbi::sandbox::EntraCertificate::fromPem(demo::privateKeyPem()).has_value());
        QVERIFY(pbi::sandbox::signRs256WithPem("not a key", "data").empty());
    }

    void jwtWithPemIsACompactJws()
    {
        const std::string jwt = pbi::sandbox::encodeJwtWithPem(R"({"alg":"RS256"})", R"({"a":1})",
                                                               demo::privateKeyPem());
        const auto decoded = pbi::sandbox::decodeJwt(jwt);
        QVERIFY(decoded.has_value());
        QVERIFY(decoded->claims["a"] == 1);
        QVERIFY(pbi::sandbox::EntraCertificate::fromPem(demo::certificatePem())
                    ->verifyRs256(decoded->signingInput, decoded->signature));
    }

    void pkcs12OpensWithThePassPhrase()
    {
        QTemporaryDir dir;
        const std::string path = QString(dir.path() + QStringLiteral("/demo.pfx")).toStdString();
        std::string error;
        QVERIFY2(pbi::sandbox::writePkcs12(demo::privateKeyPem(), demo::certificatePem(),
                                           demo::kCertificatePassPhrase, "demo", path, &error),
                 error.c_str());
        auto open = [&](const char* passPhrase) {
            FILE* file = std::fopen(path.c_str(), "rb");
            PKCS12* p12 = file ? d2i_PKCS12_fp(file, nullptr) : nullptr;
            if (file)
                std::fclose(file);
            EVP_PKEY* key = nullptr;
            X509* cert = nullptr;
            const bool ok = p12 && PKCS12_parse(p12, passPhrase, &key, &cert, nullptr) == 1 &&
                            key && cert && X509_check_private_key(cert, key) == 1;
            EVP_PKEY_free(key);
            X509_free(cert);
            PKCS12_free(p12);
            return ok;
        };
        QVERIFY(open(demo::kCertificatePassPhrase));
        QVERIFY(!open("wrong"));

        QVERIFY(!pbi::sandbox::writePkcs12(
            demo::privateKeyPem(), demo::certificatePem(), "x", "demo",
            QString(dir.path() + QStringLiteral("/missing/dir/x.pfx")).toStdString(), &error));
        QVERIFY(!error.empty());
    }
};

QTEST_GUILESS_MAIN(TestEntraCertificate)
#include "tst_entracertificate.moc"
