// The permission probe: which calls the identity may make, and for each refusal the service's
// answer and the likely fix — against the demo tenant's service principal.

#include "SandboxFixture.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "diagnostics/PermissionProbe.h"

#include <QSignalSpy>
#include <QTest>

using namespace pbi;
using namespace pbi::diagnostics;

class TestPermissionProbe : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;

    const ProbeResult* find(const PermissionProbe& p, const QString& call)
    {
        for (const auto& r : p.results())
            if (r.call == call)
                return &r;
        return nullptr;
    }

private Q_SLOTS:
    void init()
    {
        sandbox::SandboxOptions o;
        o.refreshSchedules = false;
        f = std::make_unique<SandboxFixture>(o);
        std::tie(cred, client) = f->servicePrincipal();
    }

    void cleanup()
    {
        client.reset();
        cred.reset();
        f.reset();
    }

    void servicePrincipalOfTheDemo()
    {
        PermissionProbe probe(client.get());
        QSignalSpy done(&probe, &PermissionProbe::finished);
        QSignalSpy added(&probe, &PermissionProbe::resultAdded);
        probe.start();
        QVERIFY(done.wait(30000));
        QCOMPARE(added.size(), int(probe.results().size()));
        QCOMPARE(probe.results().size(), std::size_t(13));
        const ProbeResult* groups = find(probe, QStringLiteral("GET /groups"));
        QVERIFY(groups && groups->allowed);
        QCOMPARE(groups->detail, QStringLiteral("22 workspaces"));
        // Apps are closed to service principals; the refusal carries the service's words and a fix.
        const ProbeResult* apps = find(probe, QStringLiteral("GET /apps"));
        QVERIFY(apps && !apps->allowed && !apps->skipped);
        QCOMPARE(apps->error->httpStatus, 401);
        QVERIFY(apps->error->message.contains(QStringLiteral("not accessible")));
        QVERIFY(!apps->error->hint.isEmpty());
        QVERIFY(!apps->error->requestId.isEmpty());
        // The demo allows the read-only admin APIs for this principal.
        for (const auto& r : probe.results())
            if (r.area == QLatin1String("Admin APIs"))
                QVERIFY2(r.allowed, qPrintable(r.call));
        // Probing changes nothing: every call was a GET.
        for (const auto& e : f->log.entries())
            QVERIFY2(e.method == "GET" || e.url.path().endsWith(QLatin1String("/token")), e.method.constData());
    }

    void memberScopeOnlyAndCancel()
    {
        PermissionProbe probe(client.get());
        probe.setIncludeAdmin(false);
        QSignalSpy done(&probe, &PermissionProbe::finished);
        probe.start();
        QVERIFY(done.wait(30000));
        QCOMPARE(probe.results().size(), std::size_t(9));
        probe.start();
        QVERIFY(probe.isRunning());
        probe.cancel();
        QVERIFY(!probe.isRunning());
        QTest::qWait(300);
        QCOMPARE(done.size(), 1);
    }

    void aWrongSecretIsOneClearRefusalPerCall()
    {
        ClientSecretCredential wrong(&f->transport, &f->clock, f->cloud(), f->tenantId(), f->clientId(),
                                     QStringLiteral("not-the-secret"));
        PowerBiClient c(&f->transport, &wrong, f->cloud());
        PermissionProbe probe(&c);
        probe.setIncludeAdmin(false);
        QSignalSpy done(&probe, &PermissionProbe::finished);
        probe.start();
        QVERIFY(done.wait(30000));
        const ProbeResult* groups = find(probe, QStringLiteral("GET /groups"));
        QVERIFY(groups && !groups->allowed);
        QCOMPARE(groups->error->kind, ErrorKind::Auth);
        QVERIFY(groups->error->detailCode.contains(QStringLiteral("AADSTS7000215")));
        // Nothing else could be tried on a workspace it never saw.
        QVERIFY(find(probe, QStringLiteral("GET /groups/{id}/users"))->skipped);
    }
};

QTEST_GUILESS_MAIN(TestPermissionProbe)
#include "tst_permissionprobe.moc"
