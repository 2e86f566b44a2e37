// The sandbox over https (docs/sandbox-tls.md): a generated CA or given PEM files on the
// sandbox's side; on the core's, the CA trusted besides the system's, verification never off.

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "http/RequestLog.h"
#include "http/Transport.h"
#include "profiles/ProfileValidator.h"
#include "profiles/Session.h"

#include "EntraDemo.h"
#include "HttpServer.h"
#include "Sandbox.h"
#include "Tenant.h"
#include "Tls.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslCertificateExtension>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <optional>

using pbi::ErrorKind;
using pbi::sandbox::GeneratedTls;
using pbi::sandbox::Sandbox;
using pbi::sandbox::SandboxOptions;

namespace {

QString tenantId()
{
    return QString::fromLatin1(pbi::sandbox::demo::kTenantId);
}

std::unique_ptr<Sandbox> startSandbox(SandboxOptions options)
{
    auto sandbox = std::make_unique<Sandbox>(pbi::sandbox::makeDemoTenant(), std::move(options));
    std::string error;
    if (!sandbox->start(&error))
        qFatal("sandbox did not start: %s", error.c_str());
    return sandbox;
}

/// Why a result failed, for QVERIFY2 (which evaluates its message even on success).
template <typename T>
QByteArray whyNot(const pbi::Result<T>& r)
{
    return r.ok() ? QByteArray() : r.error().sentence.toUtf8();
}

void writeFile(const QString& path, const std::string& text)
{
    std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
    out << text;
}

/// The core's side: a transport of its own (its own connections) and a client-secret sign-in.
struct Client {
    explicit Client(const QUrl& base, const QString& caFile = {})
        : cloud(pbi::Cloud::sandbox(base))
    {
        if (!caFile.isEmpty()) {
            QString why;
            const auto authorities = pbi::Transport::readCaCertificates(caFile, &why);
            if (authorities.isEmpty())
                qFatal("%s", qPrintable(why));
            transport.setExtraCaCertificates(authorities);
        }
        // No backoff to wait out if something were retried: the test would see it in the log.
        transport.setRandom([] { return 0.0; });
    }
    ~Client()
    {
        transport.cancelAll();
        network.clearConnectionCache();
    }

    /// GET `url` through the transport, waiting for the answer.
    std::optional<pbi::Result<pbi::HttpResponse>> get(const QUrl& url)
    {
        std::optional<pbi::Result<pbi::HttpResponse>> out;
        pbi::HttpRequest request;
        request.url = url;
        transport.send(request, &context,
                       [&](pbi::Result<pbi::HttpResponse> r) { out = std::move(r); });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, 5000))
            return std::nullopt; // no answer in 5 s
        return out;
    }

    pbi::SystemClock clock;
    QNetworkAccessManager network;
    pbi::RequestLog log;
    pbi::Transport transport{&network, &clock, &log};
    pbi::Cloud cloud;
    pbi::ClientSecretCredential credential{&transport,
                                           &clock,
                                           cloud,
                                           tenantId(),
                                           QString::fromLatin1(pbi::sandbox::demo::kAppClientId),
                                           QString::fromLatin1(pbi::sandbox::demo::kAppSecret)};
    pbi::PowerBiClient client{&transport, &credential, cloud};
    QObject context;
};

} // namespace

class TestSandboxTls : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    GeneratedTls m_tls;
    QString m_caFile;
    std::unique_ptr<Sandbox> m_sandbox;

    QUrl base() const { return QUrl(QString::fromStdString(m_sandbox->baseUrl())); }
    QUrl url(const QString& path) const { return QUrl(base().toString() + path); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        std::string error;
        auto tls = pbi::sandbox::generateTls({}, 30, &error);
        QVERIFY2(tls, error.c_str());
        m_tls = *tls;
        m_caFile = m_dir.filePath(QStringLiteral("sandbox-ca.pem"));
        QVERIFY2(pbi::sandbox::writeFileAtomically(m_caFile.toStdString(), m_tls.caCertificatePem,
                                                   &error),
                 error.c_str());
        SandboxOptions options;
        options.tls = m_tls.server;
        m_sandbox = startSandbox(options);
        QVERIFY(m_sandbox->isTls());
        QCOMPARE(base().scheme(), QStringLiteral("https"));
    }

    void cleanupTestCase() { m_sandbox.reset(); }

    void caFileIsAPemCertificateAuthority()
    {
        QString why;
        const auto authorities = pbi::Transport::readCaCertificates(m_caFile, &why);
        QVERIFY2(authorities.size() == 1, qPrintable(why));
        const QSslCertificate& ca = authorities.front();
        QVERIFY(ca.isSelfSigned());
        QVERIFY(ca.expiryDate() > QDateTime::currentDateTimeUtc().addDays(29));
        QVERIFY(ca.effectiveDate() <= QDateTime::currentDateTimeUtc());
        bool isCa = false, constrained = false;
        for (const QSslCertificateExtension& e : ca.extensions()) {
            if (e.name() == QLatin1String("basicConstraints"))
                isCa = e.isCritical() && e.value().toMap().value(QStringLiteral("ca")).toBool();
            if (e.name() == QLatin1String("nameConstraints"))
                constrained = e.isCritical();
        }
        QVERIFY(isCa);
        QVERIFY(constrained);
        QVERIFY(!m_tls.notAfter.empty());

        // The server certificate: issued by that CA, for the loopback names, not a CA itself.
        const auto chain =
            QSslCertificate::fromData(QByteArray::fromStdString(m_tls.server.certificateChainPem));
        QCOMPARE(chain.size(), 1);
        QCOMPARE(chain.front().issuerDisplayName(), ca.subjectDisplayName());
        const auto names = chain.front().subjectAlternativeNames();
        QVERIFY(names.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
        QVERIFY(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
        QCOMPARE(names.values(QSsl::IpAddressEntry).size(), 2); // and ::1
        // And the CA's private key went nowhere: only the server's key is handed out.
        QVERIFY(m_tls.caCertificatePem.find("PRIVATE KEY") == std::string::npos);
    }

    void trustedCaGetsATokenAndWorkspaces()
    {
        Client c(base(), m_caFile);
        std::optional<pbi::Result<pbi::AccessToken>> token;
        c.credential.requestToken(&c.context,
                                  [&](pbi::Result<pbi::AccessToken> r) { token = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(token.has_value(), 5000);
        QVERIFY2(token->ok(), whyNot(*token).constData());

        std::optional<pbi::Result<std::vector<pbi::Workspace>>> workspaces;
        c.client.listWorkspaces(&c.context, [&](auto r) { workspaces = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(workspaces.has_value(), 5000);
        QVERIFY2(workspaces->ok(), whyNot(*workspaces).constData());
        QVERIFY(!workspaces->value().empty());
        for (const auto& entry : c.log.entries())
            QCOMPARE(entry.url.scheme(), QStringLiteral("https"));
    }

    void sessionTrustsTheProfilesCaFile()
    {
        pbi::ConnectionProfile p;
        p.displayName = QStringLiteral("Sandbox over https");
        p.cloud = pbi::Cloud::Id::Custom;
        p.customAuthority = base().toString();
        p.customApiBase = base().toString();
        p.customResource = QStringLiteral("https://analysis.windows.net/powerbi/api");
        p.caCertificatePath = m_caFile;
        p.tenant = tenantId();
        p.clientId = QString::fromLatin1(pbi::sandbox::demo::kAppClientId);
        QVERIFY(pbi::ProfileValidator::validate(p).isEmpty());

        pbi::SystemClock clock;
        QNetworkAccessManager network;
        pbi::RequestLog log;
        pbi::CredentialSecrets secrets;
        secrets.secret = QString::fromLatin1(pbi::sandbox::demo::kAppSecret);
        auto session =
            pbi::openSession(p, secrets, std::make_unique<pbi::Transport>(&network, &clock, &log),
                             &clock, std::nullopt);
        QVERIFY2(session.ok(), whyNot(session).constData());
        QCOMPARE(session.value()->transport->extraCaCertificates().size(), 1);

        QObject context;
        std::optional<pbi::Result<std::vector<pbi::Workspace>>> workspaces;
        session.value()->client->listWorkspaces(&context,
                                                [&](auto r) { workspaces = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(workspaces.has_value(), 5000);
        QVERIFY2(workspaces->ok(), whyNot(*workspaces).constData());
        session.value()->transport->cancelAll();
        network.clearConnectionCache();

        // A CA file that is gone: the session is not opened, and the sentence says why.
        p.caCertificatePath = m_dir.filePath(QStringLiteral("gone.pem"));
        auto refused =
            pbi::openSession(p, secrets, std::make_unique<pbi::Transport>(&network, &clock, &log),
                             &clock, std::nullopt);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::Refused);
        QVERIFY(refused.error().sentence.contains(QStringLiteral("CA certificate file")));
    }

    void untrustedCaIsAClearNetworkErrorNotRetried()
    {
        Client c(base()); // the system's CAs only
        auto r = c.get(url(QLatin1Char('/') + tenantId() +
                           QStringLiteral("/v2.0/.well-known/openid-configuration")));
        QVERIFY(r);
        QVERIFY(!r->ok());
        const pbi::Error& e = r->error();
        QCOMPARE(e.kind, ErrorKind::Network);
        QVERIFY2(e.sentence.contains(QStringLiteral("TLS")) &&
                     e.sentence.contains(QStringLiteral("certificate")),
                 qPrintable(e.sentence));
        QVERIFY2(e.hint.contains(QStringLiteral("CA")), qPrintable(e.hint));
        QCOMPARE(c.log.entries().size(), std::size_t(1));
        QCOMPARE(c.log.entries().front().retries, 0);

        // The sign-in fails the same way: the token endpoint is never trusted either.
        std::optional<pbi::Result<pbi::AccessToken>> token;
        c.credential.requestToken(&c.context,
                                  [&](pbi::Result<pbi::AccessToken> t) { token = std::move(t); });
        QTRY_VERIFY_WITH_TIMEOUT(token.has_value(), 5000);
        QVERIFY(!token->ok());
        QCOMPARE(token->error().kind, ErrorKind::Network);
        QCOMPARE(c.log.entries().size(), std::size_t(2));
    }

    void advertisedUrlsAreHttpsAtTheAddressUsed_data()
    {
        QTest::addColumn<QString>("host");
        QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1");
        QTest::newRow("localhost") << QStringLiteral("localhost");
    }
    void advertisedUrlsAreHttpsAtTheAddressUsed()
    {
        QFETCH(QString, host);
        Client c(base(), m_caFile);
        QUrl reached = base();
        reached.setHost(host);
        const QString root = reached.toString(); // https://HOST:PORT
        QVERIFY(root.startsWith(QStringLiteral("https://") + host + QLatin1Char(':')));

        auto doc = c.get(QUrl(root + QLatin1Char('/') + tenantId() +
                              QStringLiteral("/v2.0/.well-known/openid-configuration")));
        QVERIFY(doc && doc->ok());
        QCOMPARE(doc->value().status, 200);
        const auto json = nlohmann::json::parse(doc->value().body.toStdString());
        const std::string prefix = root.toStdString() + "/" + tenantId().toStdString();
        QCOMPARE(json["issuer"].get<std::string>(), prefix + "/v2.0");
        QCOMPARE(json["token_endpoint"].get<std::string>(), prefix + "/oauth2/v2.0/token");
        QCOMPARE(json["jwks_uri"].get<std::string>(), prefix + "/discovery/v2.0/keys");
        QCOMPARE(json["device_authorization_endpoint"].get<std::string>(),
                 prefix + "/oauth2/v2.0/devicecode");

        // The device-code flow sends people to the same address.
        pbi::HttpRequest dc;
        dc.method = "POST";
        dc.url = QUrl(root + QStringLiteral("/organizations/oauth2/v2.0/devicecode"));
        dc.setHeader("Content-Type", "application/x-www-form-urlencoded");
        dc.body = "client_id=" + QByteArray(pbi::sandbox::demo::kPublicClientId) +
                  "&scope=https%3A%2F%2Fanalysis.windows.net%2Fpowerbi%2Fapi%2F.default";
        std::optional<pbi::Result<pbi::HttpResponse>> code;
        c.transport.send(dc, &c.context,
                         [&](pbi::Result<pbi::HttpResponse> r) { code = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(code.has_value(), 5000);
        QVERIFY(code->ok());
        QCOMPARE(code->value().status, 200);
        QCOMPARE(nlohmann::json::parse(code->value().body.toStdString())["verification_uri"]
                     .get<std::string>(),
                 root.toStdString() + "/sandbox/devicelogin");

        // Power BI's own links (@odata.context, Location headers) too.
        pbi::ClientSecretCredential credential(
            &c.transport, &c.clock, pbi::Cloud::sandbox(reached), tenantId(),
            QString::fromLatin1(pbi::sandbox::demo::kAppClientId),
            QString::fromLatin1(pbi::sandbox::demo::kAppSecret));
        pbi::HttpRequest groups;
        groups.url = QUrl(root + QStringLiteral("/v1.0/myorg/groups"));
        groups.bearer = &credential;
        std::optional<pbi::Result<pbi::HttpResponse>> list;
        c.transport.send(groups, &c.context,
                         [&](pbi::Result<pbi::HttpResponse> r) { list = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(list.has_value(), 5000);
        QVERIFY2(list->ok(), whyNot(*list).constData());
        QCOMPARE(list->value().status, 200);
        const std::string context =
            nlohmann::json::parse(list->value().body.toStdString())["@odata.context"]
                .get<std::string>();
        QVERIFY2(context.rfind(root.toStdString() + "/v1.0/myorg/", 0) == 0, context.c_str());
    }

    void givenPemFilesWork()
    {
        // Another run's CA and server certificate, handed over as files: the chain file holds
        // the server certificate and then its CA, as many servers' chain files do.
        std::string error;
        auto other = pbi::sandbox::generateTls({}, 2, &error);
        QVERIFY2(other, error.c_str());
        const QString cert = m_dir.filePath(QStringLiteral("server-chain.pem"));
        const QString key = m_dir.filePath(QStringLiteral("server-key.pem"));
        const QString ca = m_dir.filePath(QStringLiteral("other-ca.pem"));
        writeFile(cert, other->server.certificateChainPem + other->caCertificatePem);
        writeFile(key, other->server.privateKeyPem);
        writeFile(ca, other->caCertificatePem);
        auto identity =
            pbi::sandbox::readTlsIdentity(cert.toStdString(), key.toStdString(), &error);
        QVERIFY2(identity, error.c_str());

        SandboxOptions options;
        options.tls = *identity;
        auto sandbox = startSandbox(options);
        const QUrl otherBase(QString::fromStdString(sandbox->baseUrl()));
        Client c(otherBase, ca);
        auto keys = c.get(QUrl(otherBase.toString() + QStringLiteral("/common/discovery/keys")));
        QVERIFY(keys && keys->ok());
        QCOMPARE(keys->value().status, 200);

        // This run's CA does not vouch for the other server.
        Client wrong(otherBase, m_caFile);
        auto refused =
            wrong.get(QUrl(otherBase.toString() + QStringLiteral("/common/discovery/keys")));
        QVERIFY(refused && !refused->ok());
        QCOMPARE(refused->error().kind, ErrorKind::Network);
    }

    void badPemFilesAreRefused()
    {
        std::string error;
        const QString cert = m_dir.filePath(QStringLiteral("bad-cert.pem"));
        const QString key = m_dir.filePath(QStringLiteral("bad-key.pem"));
        auto other = pbi::sandbox::generateTls({}, 1, &error);
        QVERIFY(other);
        writeFile(cert, m_tls.server.certificateChainPem);
        writeFile(key, other->server.privateKeyPem); // another certificate's key
        QVERIFY(!pbi::sandbox::readTlsIdentity(cert.toStdString(), key.toStdString(), &error));
        QVERIFY2(error.find("does not belong") != std::string::npos, error.c_str());

        writeFile(key, "not a key");
        QVERIFY(!pbi::sandbox::readTlsIdentity(cert.toStdString(), key.toStdString(), &error));
        QVERIFY2(error.find("no PEM private key") != std::string::npos, error.c_str());

        QVERIFY(!pbi::sandbox::readTlsIdentity(
            m_dir.filePath(QStringLiteral("none.pem")).toStdString(), key.toStdString(), &error));
        QVERIFY2(error.find("cannot read") != std::string::npos, error.c_str());

        // Handed to the server directly, a broken identity stops start() with the reason.
        pbi::sandbox::HttpServer server(pbi::sandbox::TlsIdentity{"garbage", "garbage"});
        QCOMPARE(server.start("127.0.0.1", 0, &error), -1);
        QVERIFY2(error.find("cannot serve https") != std::string::npos, error.c_str());
    }

    void onlyLoopbackUnlessAllowed()
    {
        for (const char* host :
             {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LocalHost", "::ffff:127.0.0.1"})
            QVERIFY2(pbi::sandbox::isLoopbackHost(host), host);
        for (const char* host : {"0.0.0.0", "::", "192.0.2.1", "10.0.0.1", "example.com", ""})
            QVERIFY2(!pbi::sandbox::isLoopbackHost(host), host);

        SandboxOptions options;
        options.host = "0.0.0.0";
        Sandbox sandbox(pbi::sandbox::makeDemoTenant(), options);
        std::string error;
        QVERIFY(!sandbox.start(&error));
        QVERIFY2(error.find("loopback") != std::string::npos &&
                     error.find("--allow-remote") != std::string::npos,
                 error.c_str());
    }

    void profileValidatorChecksTheCaFile()
    {
        using pbi::ProfileValidator::caCertificatePath;
        QVERIFY(caCertificatePath(QString()).isEmpty()); // optional
        QVERIFY(caCertificatePath(m_caFile).isEmpty());
        QVERIFY(caCertificatePath(m_dir.filePath(QStringLiteral("missing.pem")))
                    .contains(QStringLiteral("cannot be read")));
        const QString notPem = m_dir.filePath(QStringLiteral("not-pem.txt"));
        writeFile(notPem, "hello");
        QVERIFY(caCertificatePath(notPem).contains(QStringLiteral("no PEM certificate")));
        // A private key is not a certificate.
        const QString keyOnly = m_dir.filePath(QStringLiteral("key-only.pem"));
        writeFile(keyOnly, m_tls.server.privateKeyPem);
        QVERIFY(!caCertificatePath(keyOnly).isEmpty());

        pbi::ConnectionProfile p;
        p.cloud = pbi::Cloud::Id::Custom;
        p.caCertificatePath = notPem;
        bool flagged = false;
        for (const auto& problem : pbi::ProfileValidator::validate(p))
            flagged = flagged || problem.field == QLatin1String("caCertificatePath");
        QVERIFY(flagged);
    }

    void commandLineWritesTheCaAndServesHttps()
    {
        const QString caFile = m_dir.filePath(QStringLiteral("cli/ca.pem"));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("cli"))));
        QProcess sandbox;
        sandbox.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        sandbox.start(QStringLiteral(PBI_SANDBOX_EXE),
                      {QStringLiteral("--tls-generate-ca"), caFile});
        QVERIFY(sandbox.waitForStarted(5000));
        QByteArray banner;
        QTRY_VERIFY_WITH_TIMEOUT(
            (banner += sandbox.readAllStandardOutput()).contains("Press Ctrl+C"), 5000);
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("listening on (https://127\\.0\\.0\\.1:\\d+)"))
                .match(QString::fromUtf8(banner));
        QVERIFY2(m.hasMatch(), banner.constData());
        QVERIFY(banner.contains(caFile.toUtf8()));
        const QUrl cliBase(m.captured(1));

        {
            Client c(cliBase, caFile);
            auto doc = c.get(QUrl(cliBase.toString() + QLatin1Char('/') + tenantId() +
                                  QStringLiteral("/v2.0/.well-known/openid-configuration")));
            QVERIFY(doc && doc->ok());
            QCOMPARE(
                nlohmann::json::parse(doc->value().body.toStdString())["issuer"].get<std::string>(),
                cliBase.toString().toStdString() + "/" + tenantId().toStdString() + "/v2.0");
        }
        sandbox.terminate();
        QVERIFY(sandbox.waitForFinished(5000));
        QCOMPARE(sandbox.exitCode(), 0);

        // Refused before anything is written: a non-loopback address without --allow-remote.
        QProcess refused;
        refused.start(QStringLiteral(PBI_SANDBOX_EXE),
                      {QStringLiteral("--host"), QStringLiteral("0.0.0.0"),
                       QStringLiteral("--tls-generate-ca"),
                       m_dir.filePath(QStringLiteral("never.pem"))});
        QVERIFY(refused.waitForFinished(5000));
        QCOMPARE(refused.exitCode(), 2);
        QVERIFY(refused.readAllStandardError().contains("--allow-remote"));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("never.pem"))));
    }
};

QTEST_GUILESS_MAIN(TestSandboxTls)
#include "tst_sandboxtls.moc"
