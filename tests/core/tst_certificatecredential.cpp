#include "SandboxFixture.h"

#include "EntraDemo.h"
#include "auth/CertificateCredential.h"
#include "auth/JwtInspector.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

using pbi::ErrorKind;

namespace {

class FixedClock final : public pbi::Clock {
public:
    QDateTime now() const override { return m_now; }
    QDateTime m_now = QDateTime(QDate(2030, 5, 17), QTime(9, 30, 0), Qt::UTC);
};

QString dataFile(const char* name) {
    return QFINDTESTDATA(QStringLiteral("../data/auth/") + QString::fromLatin1(name));
}

/// The sandbox's registered demo certificate, repackaged the ways users bring certificates.
class DemoFiles {
public:
    DemoFiles() {
        const QByteArray key(pbi::sandbox::demo::privateKeyPem());
        const QByteArray cert(pbi::sandbox::demo::certificatePem());
        write("key.pem", key);
        write("cert.pem", cert);
        write("combined.pem", cert + key); // certificate first: order must not matter
        write("empty.pem", {});

        BIO* kb = BIO_new_mem_buf(key.constData(), int(key.size()));
        EVP_PKEY* pkey = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
        BIO_free(kb);
        BIO* cb = BIO_new_mem_buf(cert.constData(), int(cert.size()));
        X509* x = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
        BIO_free(cb);
        const char* pass = pbi::sandbox::demo::kCertificatePassPhrase;
        write("demo.pfx", pkcs12(PKCS12_create(pass, "demo", pkey, x, nullptr, 0, 0, 0, 0, 0)));
        write("nopass.pfx",
              pkcs12(PKCS12_create(nullptr, "demo", pkey, x, nullptr, 0, 0, 0, 0, 0)));
        write("cert-only.pfx",
              pkcs12(PKCS12_create(pass, "demo", nullptr, x, nullptr, 0, 0, 0, 0, 0)));
        BIO* eb = BIO_new(BIO_s_mem());
        PEM_write_bio_PKCS8PrivateKey(eb, pkey, EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                      const_cast<char*>(pass));
        write("encrypted-key.pem", cert + drain(eb));
        BIO_free(eb);
        m_publicKey = X509_get_pubkey(x);
        X509_free(x);
        EVP_PKEY_free(pkey);
    }
    ~DemoFiles() { EVP_PKEY_free(m_publicKey); }

    QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    bool verifyRs256(const QByteArray& input, const QByteArray& signature) const {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        const bool ok =
            EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, m_publicKey) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.constData()),
                             size_t(signature.size()),
                             reinterpret_cast<const unsigned char*>(input.constData()),
                             size_t(input.size())) == 1;
        EVP_MD_CTX_free(ctx);
        return ok;
    }

private:
    static QByteArray drain(BIO* b) {
        char* data = nullptr;
        const long n = BIO_get_mem_data(b, &data);
        return QByteArray(data, n);
    }
    static QByteArray pkcs12(PKCS12* p) {
        BIO* b = BIO_new(BIO_s_mem());
        i2d_PKCS12_bio(b, p);
        QByteArray out = drain(b);
        BIO_free(b);
        PKCS12_free(p);
        return out;
    }
    void write(const char* name, const QByteArray& data) {
        QFile f(path(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(data);
    }

    QTemporaryDir m_dir;
    EVP_PKEY* m_publicKey = nullptr;
};

} // namespace

class TestCertificateCredential : public QObject {
    Q_OBJECT

    using R = pbi::Result<pbi::AccessToken>;
    std::unique_ptr<DemoFiles> m_files;

    std::optional<R> tokenFrom(pbi::TokenProvider& p) {
        std::optional<R> result;
        p.requestToken(this, [&](R r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
            return std::nullopt;
        return result;
    }

    pbi::Result<pbi::ClientCertificate> load(const QString& form) {
        if (form == QLatin1String("pair"))
            return pbi::ClientCertificate::load(m_files->path("cert.pem"), {},
                                                m_files->path("key.pem"));
        if (form == QLatin1String("combined"))
            return pbi::ClientCertificate::load(m_files->path("combined.pem"));
        if (form == QLatin1String("encrypted key"))
            return pbi::ClientCertificate::load(m_files->path("encrypted-key.pem"),
                                                QStringLiteral("sandbox"));
        if (form == QLatin1String("pkcs12 without pass phrase"))
            return pbi::ClientCertificate::load(m_files->path("nopass.pfx"));
        return pbi::ClientCertificate::load(m_files->path("demo.pfx"), QStringLiteral("sandbox"));
    }

private Q_SLOTS:
    void initTestCase() {
        m_files = std::make_unique<DemoFiles>();
        QVERIFY(QFile::exists(m_files->path("demo.pfx")));
        QVERIFY(!dataFile("expired.pem").isEmpty());
    }

    void loads_data() {
        QTest::addColumn<QString>("form");
        for (const char* f :
             {"pair", "combined", "encrypted key", "pkcs12", "pkcs12 without pass phrase"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void loads() {
        QFETCH(QString, form);
        const auto c = load(form);
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().sentence));
        const pbi::CertificateInfo& info = c.value().info();
        QCOMPARE(info.x5t, QString::fromLatin1(pbi::sandbox::demo::kCertificateX5t));
        QCOMPARE(info.thumbprint.size(), 40);
        QCOMPARE(QByteArray::fromHex(info.thumbprint.toLatin1())
                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
                 info.x5t.toLatin1());
        QVERIFY2(info.subject.contains(QStringLiteral("CN=PBI Console Sandbox Demo App")),
                 qPrintable(info.subject));
        QVERIFY(info.notBefore.isValid() && info.notAfter > info.notBefore);
        QCOMPARE(info.notAfter.timeSpec(), Qt::UTC);
        QVERIFY(info.isValidAt(QDateTime::currentDateTimeUtc()));
        QVERIFY(info.validityProblem(QDateTime::currentDateTimeUtc()).isEmpty());
    }

    void loadErrors_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("passPhrase");
        QTest::addColumn<QString>("keyPath");
        QTest::addColumn<QString>("says");
        QTest::newRow("missing file") << m_files->path("nope.pem") << ""
                                      << ""
                                      << "Cannot read the certificate file nope.pem";
        QTest::newRow("missing key file")
            << m_files->path("cert.pem") << "" << m_files->path("nokey.pem")
            << "Cannot read the certificate file nokey.pem";
        QTest::newRow("empty file") << m_files->path("empty.pem") << ""
                                    << ""
                                    << "neither a PEM nor a PKCS#12";
        QTest::newRow("garbage pfx") << dataFile("garbage.pfx") << "Gx-9-pass"
                                     << ""
                                     << "neither a PEM nor a PKCS#12";
        QTest::newRow("pfx wrong pass phrase") << m_files->path("demo.pfx") << "Wr0ng-Pa55"
                                               << ""
                                               << "pass phrase is wrong";
        QTest::newRow("pfx without pass phrase") << m_files->path("demo.pfx") << ""
                                                 << ""
                                                 << "a pass phrase is needed";
        QTest::newRow("pem key wrong pass phrase")
            << m_files->path("encrypted-key.pem") << "Wr0ng-Pa55"
            << ""
            << "pass phrase is wrong";
        QTest::newRow("pem key without pass phrase") << m_files->path("encrypted-key.pem") << ""
                                                     << ""
                                                     << "a pass phrase is needed";
        QTest::newRow("certificate only") << m_files->path("cert.pem") << ""
                                          << ""
                                          << "no private key";
        QTest::newRow("pfx certificate only") << m_files->path("cert-only.pfx") << "sandbox"
                                              << ""
                                              << "no private key";
        QTest::newRow("key only") << dataFile("other.key.pem") << ""
                                  << ""
                                  << "no certificate";
        QTest::newRow("key of another certificate")
            << m_files->path("cert.pem") << "" << dataFile("other.key.pem")
            << "does not belong to the certificate";
        QTest::newRow("not RSA") << dataFile("ec.pem") << ""
                                 << ""
                                 << "not an RSA key";
    }
    void loadErrors() {
        QFETCH(QString, path);
        QFETCH(QString, passPhrase);
        QFETCH(QString, keyPath);
        QFETCH(QString, says);
        const auto c = pbi::ClientCertificate::load(path, passPhrase, keyPath);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().kind, ErrorKind::Auth);
        QVERIFY2(c.error().sentence.contains(says), qPrintable(c.error().sentence));
        if (!passPhrase.isEmpty())
            QVERIFY(!c.error().sentence.contains(passPhrase));
    }

    // api-digest §10: header {alg RS256, typ JWT, x5t}; aud = token endpoint, iss = sub = client
    // id, jti = new GUID, nbf = iat = now, exp = now + 10 min; signed with the certificate's key.
    void assertionShape() {
        FixedClock clock;
        QNetworkAccessManager network;
        pbi::Transport transport(&network, &clock, nullptr);
        const auto cert = load(QStringLiteral("pair"));
        QVERIFY(cert.ok());
        const pbi::Cloud cloud = pbi::Cloud::publicCloud();
        const QString tid = QString::fromLatin1(pbi::sandbox::demo::kTenantId);
        const QString cid = QString::fromLatin1(pbi::sandbox::demo::kAppClientId);
        pbi::CertificateCredential c(&transport, &clock, cloud, tid, cid, cert.value());
        QVERIFY(c.identityLabel().contains(cert.value().info().thumbprint));
        QCOMPARE(c.certificateInfo().x5t, cert.value().info().x5t);

        const QString assertion = c.makeAssertion();
        const auto d = pbi::JwtInspector::decode(assertion);
        QVERIFY(d.ok());
        const pbi::DecodedJwt& j = d.value();
        QCOMPARE(j.header.size(), 3);
        QCOMPARE(j.headerField(QStringLiteral("alg"))->display, QStringLiteral("RS256"));
        QCOMPARE(j.headerField(QStringLiteral("typ"))->display, QStringLiteral("JWT"));
        QCOMPARE(j.headerField(QStringLiteral("x5t"))->display,
                 QString::fromLatin1(pbi::sandbox::demo::kCertificateX5t));
        QCOMPARE(j.claimText(QStringLiteral("aud")),
                 QStringLiteral("https://login.microsoftonline.com/%1/oauth2/v2.0/token").arg(tid));
        QCOMPARE(j.claimText(QStringLiteral("iss")), cid);
        QCOMPARE(j.claimText(QStringLiteral("sub")), cid);
        QVERIFY(!QUuid::fromString(j.claimText(QStringLiteral("jti"))).isNull());
        const qint64 now = clock.m_now.toSecsSinceEpoch();
        QCOMPARE(j.claim(QStringLiteral("nbf"))->raw, QString::number(now));
        QCOMPARE(j.claim(QStringLiteral("iat"))->raw, QString::number(now));
        QCOMPARE(j.claim(QStringLiteral("exp"))->raw, QString::number(now + 600));
        QCOMPARE(j.claims.size(), 7);

        const QStringList parts = assertion.split(QLatin1Char('.'));
        const QByteArray signature =
            QByteArray::fromBase64(parts[2].toLatin1(), QByteArray::Base64UrlEncoding);
        QCOMPARE(signature.size(), 256); // RSA-2048
        QVERIFY(
            m_files->verifyRs256((parts[0] + QLatin1Char('.') + parts[1]).toLatin1(), signature));
        QVERIFY(!m_files->verifyRs256((parts[0] + QStringLiteral(".x") + parts[1]).toLatin1(),
                                      signature));

        // Every assertion is new: jti differs.
        const auto again = pbi::JwtInspector::decode(c.makeAssertion());
        QVERIFY(again.value().claimText(QStringLiteral("jti")) !=
                j.claimText(QStringLiteral("jti")));
    }

    void signsInWithTheSandbox_data() {
        QTest::addColumn<QString>("form");
        for (const char* f : {"pair", "combined", "pkcs12"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void signsInWithTheSandbox() {
        QFETCH(QString, form);
        SandboxFixture f;
        const auto cert = load(form);
        QVERIFY(cert.ok());
        pbi::CertificateCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                                     cert.value());
        auto t = tokenFrom(c);
        QVERIFY(t);
        QVERIFY2(t->ok(), qPrintable(t->ok() ? QString() : t->error().summary()));
        const auto d = pbi::JwtInspector::decode(t->value().value);
        QCOMPARE(d.value().claimText(QStringLiteral("appidacr")),
                 QStringLiteral("2 (certificate)"));
        QCOMPARE(d.value().claimText(QStringLiteral("appid")), f.clientId());
        QCOMPARE(d.value().identityKind(), QStringLiteral("app-only (service principal)"));
        // Cached like every credential.
        auto again = tokenFrom(c);
        QCOMPARE(again->value().value, t->value().value);
        QCOMPARE(f.log.entries().size(), std::size_t(1));
        const QString body = QString::fromUtf8(f.log.entries().front().requestBody);
        QVERIFY2(body.contains(QStringLiteral("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%"
                                              "3Aclient-assertion-type%3Ajwt-bearer")),
                 qPrintable(body));
        QVERIFY2(body.contains(QStringLiteral("client_assertion=[redacted]")), qPrintable(body));
        QVERIFY(!body.contains(QStringLiteral("client_secret")));
        QVERIFY(!body.contains(QStringLiteral("eyJ")));
    }

    void unregisteredCertificateIsRefused() {
        SandboxFixture f;
        const auto cert = pbi::ClientCertificate::load(dataFile("unregistered.pem"));
        QVERIFY(cert.ok());
        pbi::CertificateCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                                     cert.value());
        auto r = tokenFrom(c);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Auth);
        QCOMPARE(r->error().httpStatus, 401);
        QCOMPARE(r->error().code, QStringLiteral("invalid_client"));
        QCOMPARE(r->error().detailCode, QStringLiteral("AADSTS700027"));
        QVERIFY(r->error().hint.contains(QStringLiteral("uploaded to the app registration")));
    }

    // Entra would answer with a vague AADSTS700027; the core says what is wrong, sends nothing.
    void expiredCertificateIsExplained() {
        SandboxFixture f;
        const auto cert = pbi::ClientCertificate::load(dataFile("expired.pem"));
        QVERIFY(cert.ok());
        const pbi::CertificateInfo& info = cert.value().info();
        QCOMPARE(info.notAfter, QDateTime(QDate(2021, 1, 1), QTime(12, 0), Qt::UTC));
        QCOMPARE(info.subject, QStringLiteral("CN=pbi-console-expired"));
        QVERIFY(!info.isValidAt(f.clock.now()));
        QVERIFY(info.validityProblem(f.clock.now())
                    .contains(QStringLiteral("expired on 2021-01-01 12:00 UTC")));
        QVERIFY(info.validityProblem(QDateTime(QDate(2019, 6, 1), QTime(0, 0), Qt::UTC))
                    .contains(QStringLiteral("not valid before 2020-01-01")));
        QVERIFY(info.validityProblem(QDateTime(QDate(2020, 6, 1), QTime(0, 0), Qt::UTC)).isEmpty());

        pbi::CertificateCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                                     cert.value());
        auto r = tokenFrom(c);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Auth);
        QVERIFY(r->error().sentence.contains(info.thumbprint));
        QVERIFY(r->error().sentence.contains(QStringLiteral("expired")));
        QVERIFY(!r->error().hint.isEmpty());
        QCOMPARE(f.log.entries().size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestCertificateCredential)
#include "tst_certificatecredential.moc"
