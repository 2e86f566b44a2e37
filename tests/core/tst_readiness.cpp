// The readiness checklist: each live rule's pass and its warning or failure on real sandbox
// data (the demo tenant, and demo tenants shaped to pass), errors on one call marking only the
// checks that needed it, attestations (merge, staleness with a manual clock, validation), the
// review file, and the exports — which never hold the secret or the token.

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "auth/JwtInspector.h"
#include "auth/TokenProvider.h"
#include "auth/UsernamePasswordCredential.h"
#include "http/RequestLog.h"
#include "http/Transport.h"
#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"
#include "profiles/Session.h"
#include "readiness/ReadinessEvaluator.h"
#include "readiness/ReadinessReport.h"
#include "readiness/ReadinessRules.h"

#include "EntraDemo.h"
#include "Sandbox.h"
#include "Tenant.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace pbi;
using namespace pbi::readiness;

namespace {

class ManualClock final : public Clock {
public:
    QDateTime t = QDateTime::currentDateTimeUtc();
    QDateTime now() const override { return t; }
};

/// A demo tenant (optionally shaped by the test) on loopback, and the core's plumbing to it.
struct Rig {
    explicit Rig(const std::function<void(sandbox::Tenant&)>& shape = {})
        : transport(&network, &systemClock, &log)
    {
        sandbox::Tenant tenant = sandbox::makeDemoTenant();
        if (shape)
            shape(tenant);
        tenant.reindex();
        sandbox::SandboxOptions o;
        o.refreshSchedules = false;
        server = std::make_unique<sandbox::Sandbox>(std::move(tenant), o);
        std::string error;
        if (!server->start(&error))
            qFatal("sandbox did not start: %s", error.c_str());
        TransportPolicy policy;
        policy.backoffBase = std::chrono::milliseconds(10);
        policy.backoffCap = std::chrono::milliseconds(50);
        transport.setPolicy(policy);
    }
    ~Rig()
    {
        transport.cancelAll();
        network.clearConnectionCache();
        server->stop();
    }
    QUrl base() const { return QUrl(QString::fromStdString(server->baseUrl())); }
    Cloud cloud() const { return Cloud::sandbox(base()); }

    /// A saved-connection-like profile of the demo app at this sandbox.
    ConnectionProfile profile(Environment env = Environment::Test) const
    {
        ConnectionProfile p;
        p.id = QStringLiteral("readiness-test");
        p.displayName = QStringLiteral("Sales integration");
        p.environment = env;
        p.cloud = Cloud::Id::Custom;
        p.customAuthority = base().toString();
        p.customApiBase = base().toString();
        p.customResource = QStringLiteral("https://analysis.windows.net/powerbi/api");
        p.tenant = QString::fromLatin1(sandbox::demo::kTenantId);
        p.clientId = QString::fromLatin1(sandbox::demo::kAppClientId);
        p.credentialKind = CredentialKind::ClientSecret;
        return p;
    }
    std::unique_ptr<PowerBiClient> client(TokenProvider* credential)
    {
        return std::make_unique<PowerBiClient>(&transport, credential, cloud());
    }
    std::unique_ptr<ClientSecretCredential> servicePrincipal(const QString& secret = QString::fromLatin1(sandbox::demo::kAppSecret))
    {
        return std::make_unique<ClientSecretCredential>(&transport, &systemClock, cloud(),
                                                        QString::fromLatin1(sandbox::demo::kTenantId),
                                                        QString::fromLatin1(sandbox::demo::kAppClientId), secret);
    }

    SystemClock systemClock;
    QNetworkAccessManager network;
    RequestLog log;
    Transport transport;
    std::unique_ptr<sandbox::Sandbox> server;
};

sandbox::Workspace* workspaceNamed(sandbox::Tenant& t, const std::string& name)
{
    for (auto& w : t.workspaces)
        if (w.name == name)
            return &w;
    qFatal("no workspace %s", name.c_str());
    return nullptr;
}

/// Sales [Prod] as a well-run production workspace: two people administer it, its items are
/// described and owned by the integration's app, and nobody gave the app the admin APIs.
void shapeClean(sandbox::Tenant& t)
{
    sandbox::Workspace* w = workspaceNamed(t, "Sales [Prod]");
    for (auto& m : w->members)
        if (m.identifier.rfind("megan@", 0) == 0)
            m.accessRight = "Admin";
    for (auto& r : w->reports)
        r.description = "Field sales report";
    for (auto& d : w->datasets) {
        d.description = "Sales model";
        d.configuredBy = sandbox::demo::kAppClientId;
    }
    for (auto& d : w->dataflows)
        d.configuredBy = sandbox::demo::kAppClientId;
    t.settings.servicePrincipalsCanUseReadOnlyAdminApis = false;
}

const CheckResult& result(const ReadinessReport& r, const QString& id)
{
    for (const CheckResult& c : r.results)
        if (c.checkId == id)
            return c;
    qFatal("no result %s", qPrintable(id));
    return r.results.front();
}

bool evidenceHas(const CheckResult& r, const QString& text)
{
    for (const QString& e : r.evidence)
        if (e.contains(text))
            return true;
    return false;
}

QString describe(const CheckResult& r)
{
    return QStringLiteral("%1: %2 [%3] %4").arg(r.checkId, statusName(r.status), r.evidence.join(QStringLiteral(" / ")), r.error);
}

/// Builds an unsigned JWT with these claims (the inspector decodes without verifying).
QString craftToken(const nlohmann::json& claims)
{
    const auto b64 = [](const std::string& s) {
        return QByteArray::fromStdString(s).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    return QString::fromLatin1(b64(R"({"typ":"JWT","alg":"RS256"})") + '.' + b64(claims.dump()) + ".c2ln");
}

TokenFacts facts(const nlohmann::json& claims)
{
    auto decoded = JwtInspector::decode(craftToken(claims));
    if (!decoded)
        qFatal("crafted token does not decode: %s", qPrintable(decoded.error().sentence));
    return TokenFacts::fromDecoded(decoded.value());
}

Attestation attest(const QString& id, Status s, const QDateTime& at, const QString& comment = QStringLiteral("checked"))
{
    return Attestation{id, s, QStringLiteral("Alice Auditor"), at, comment};
}

} // namespace

class TestReadiness : public QObject {
    Q_OBJECT

    ManualClock clock;
    std::unique_ptr<MemorySecretStore> secrets;

    /// Runs a review to its end (or fails the test).
    ReadinessReport review(PowerBiClient* client, const ConnectionProfile& profile, ReviewOptions options = {},
                           std::vector<Attestation> attestations = {}, SecretStore* store = nullptr)
    {
        ReadinessEvaluator e(client, profile, store ? store : secrets.get(), &clock);
        e.setOptions(options);
        e.setAttestations(std::move(attestations));
        QSignalSpy finished(&e, &ReadinessEvaluator::finished);
        QSignalSpy progress(&e, &ReadinessEvaluator::progress);
        const QString problem = e.start();
        if (!problem.isEmpty())
            qFatal("start refused: %s", qPrintable(problem));
        if (!finished.wait(90000))
            qFatal("the review did not finish");
        if (progress.isEmpty())
            qFatal("no progress was reported");
        return e.report();
    }

    void storeSecret(const QString& profileId, SecretKind kind, const QString& value)
    {
        bool written = false;
        QObject ctx;
        secrets->write(ProfileStore::secretKey(profileId, kind), value, &ctx, [&written](Result<bool>) { written = true; });
        QTRY_VERIFY(written);
    }

private Q_SLOTS:
    void init()
    {
        clock.t = QDateTime::currentDateTimeUtc();
        secrets = std::make_unique<MemorySecretStore>();
    }

    void catalogueIsComplete()
    {
        QSet<QString> ids;
        QSet<Area> areas;
        for (const ReadinessCheck& c : catalogue()) {
            QVERIFY2(!ids.contains(c.id), qPrintable(c.id));
            ids.insert(c.id);
            areas.insert(c.area);
            QVERIFY(c.id.contains(QLatin1Char('.')));
            QVERIFY(!c.title.isEmpty() && !c.why.isEmpty() && !c.howDecided.isEmpty() && !c.fix.isEmpty());
            QCOMPARE(!c.attestation.isEmpty(), c.decision != Decision::Live);
            QCOMPARE(findCheck(c.id), &c);
        }
        QCOMPARE(areas.size(), 8);
        QCOMPARE(findCheck(QStringLiteral("no.such")), nullptr);
        QCOMPARE(unevaluatedResults().size(), catalogue().size());
        QCOMPARE(verdictOf(unevaluatedResults()), Verdict::Incomplete);
    }

    void environmentTags_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("tag");
        QTest::newRow("dev") << "Sales [Dev]" << "Dev";
        QTest::newRow("prod") << "Sales [Prod]" << "Prod";
        QTest::newRow("production, parentheses") << "Finance (Production)" << "Prod";
        QTest::newRow("uat") << "HR [UAT]" << "Test";
        QTest::newRow("dash suffix") << "Portal - test" << "Test";
        QTest::newRow("none") << "Executive Dashboards" << "";
        QTest::newRow("word inside a name") << "Product Analytics" << "";
        QTest::newRow("dash in the middle") << "Data Platform - Shared Models" << "";
    }
    void environmentTags()
    {
        QFETCH(QString, name);
        QFETCH(QString, tag);
        QCOMPARE(environmentTag(name), tag);
    }

    void optionsAreValidated()
    {
        ReviewOptions o;
        QVERIFY(o.validate().isEmpty());
        o.namingPattern = QStringLiteral("([unclosed");
        QVERIFY(o.validate().contains(QStringLiteral("not a valid regular expression")));
        o.namingPattern = ReviewOptions::defaultNamingPattern();
        o.staleAfterDays = 0;
        QVERIFY(!o.validate().isEmpty());
        Rig rig;
        auto cred = rig.servicePrincipal();
        auto client = rig.client(cred.get());
        ReadinessEvaluator e(client.get(), rig.profile(), secrets.get(), &clock);
        e.setOptions(o);
        QSignalSpy finished(&e, &ReadinessEvaluator::finished);
        QVERIFY(!e.start().isEmpty());
        QVERIFY(!e.isRunning());
        QTest::qWait(50);
        QCOMPARE(finished.size(), 0);
    }

    // The demo service principal over every workspace it can see: app-only with a secret,
    // Admin in the dev workspaces, in every environment, prod workspaces on shared capacity,
    // models owned by people, one admin per workspace, names off the convention.
    void demoTenantEverything()
    {
        Rig rig;
        auto cred = rig.servicePrincipal();
        auto client = rig.client(cred.get());
        storeSecret(QStringLiteral("readiness-test"), SecretKind::ClientSecret, QString::fromLatin1(sandbox::demo::kAppSecret));
        const ReadinessReport r = review(client.get(), rig.profile(Environment::Test));

        QCOMPARE(r.results.size(), catalogue().size());
        QStringList wrong;
        const auto expect = [&r, &wrong](const char* id, Status s) -> CheckResult {
            const CheckResult& c = result(r, QString::fromLatin1(id));
            if (c.status != s)
                wrong << describe(c);
            return c;
        };
        CheckResult c = expect("identity.app-only", Status::Pass);
        QVERIFY(evidenceHas(c, QStringLiteral("token idtyp=app")));
        QVERIFY(evidenceHas(c, QStringLiteral("roles: none")));
        c = expect("identity.certificate", Status::Warn);
        QVERIFY(evidenceHas(c, QStringLiteral("appidacr=1 (client secret)")));
        expect("identity.tenant-authority", Status::Pass);
        c = expect("privilege.workspace-role", Status::Warn);
        QVERIFY2(evidenceHas(c, QStringLiteral("Admin in 'Finance [Dev]'")), qPrintable(describe(c)));
        QVERIFY2(evidenceHas(c, QStringLiteral("Contributor in 'Sales [Prod]'")), qPrintable(describe(c)));
        QVERIFY(evidenceHas(c, QStringLiteral("Member in 'Finance [Test]'")));
        QVERIFY(evidenceHas(c, QStringLiteral("Viewer in 'Finance [Prod]'")));
        c = expect("privilege.app-permissions", Status::Pass);
        QVERIFY(evidenceHas(c, QStringLiteral("token roles: none")));
        expect("privilege.delegated-scopes", Status::NotApplicable);
        // The demo app is in the admin-API security group, at member scope: more than it needs.
        c = expect("privilege.api-reach", Status::Warn);
        QVERIFY2(evidenceHas(c, QStringLiteral("GET /admin/groups")), qPrintable(describe(c)));
        QVERIFY(evidenceHas(c, QStringLiteral("GET /apps"))); // refused, but not needed
        c = expect("secrets.keychain", Status::Pass);
        QVERIFY(evidenceHas(c, QStringLiteral("client secret present in memory")));
        expect("secrets.certificate-expiry", Status::NotApplicable);
        expect("secrets.rotation", Status::NeedsAttestation);
        expect("retries.backoff", Status::NeedsAttestation);
        expect("logging.request-id", Status::NeedsAttestation);
        c = expect("environments.profile", Status::Warn);
        QVERIFY(evidenceHas(c, QStringLiteral("'Sales [Prod]'")));
        expect("environments.separation", Status::Fail);
        c = expect("environments.prod-capacity", Status::Fail);
        QVERIFY2(evidenceHas(c, QStringLiteral("'IT Operations [Prod]'")), qPrintable(describe(c)));
        c = expect("ownership.item-owner", Status::Warn);
        QVERIFY2(evidenceHas(c, QStringLiteral("configured by megan@contoso-sandbox.onmicrosoft.com (a person)")),
                 qPrintable(describe(c)));
        c = expect("ownership.workspace-admins", Status::Warn);
        QVERIFY2(evidenceHas(c, QStringLiteral("'Customer Success [Prod]': 1 admin(s) — Alex Admin")), qPrintable(describe(c)));
        QVERIFY(evidenceHas(c, QStringLiteral("… and "))); // long lists are capped
        c = expect("naming.workspace-convention", Status::Warn);
        QVERIFY(evidenceHas(c, QStringLiteral("'Executive Dashboards'")));
        QVERIFY(evidenceHas(c, QStringLiteral("'test ws do not use'")));
        QVERIFY(!evidenceHas(c, QStringLiteral("'Sales [Prod]'")));
        expect("naming.descriptions", Status::Warn);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
        QCOMPARE(r.verdict(), Verdict::NotReady);
        QCOMPARE(r.integration.idtyp, QStringLiteral("app"));
        QVERIFY(r.integration.workspaces.size() > 10);
    }

    // The same app on Sales [Prod] only (Contributor, Premium): the workspace rules pass.
    void salesProdOnly()
    {
        Rig rig;
        auto cred = rig.servicePrincipal();
        auto client = rig.client(cred.get());
        ReviewOptions o;
        o.workspaces = {QStringLiteral("sales [prod]")}; // names match case-insensitively
        const ReadinessReport r = review(client.get(), rig.profile(Environment::Production), o);
        QCOMPARE(r.integration.workspaces.size(), std::size_t(1));
        const CheckResult& role = result(r, QStringLiteral("privilege.workspace-role"));
        QVERIFY2(role.status == Status::Pass, qPrintable(describe(role)));
        QCOMPARE(role.evidence, QStringList{QStringLiteral("Contributor in 'Sales [Prod]'")});
        for (const char* id : {"environments.profile", "environments.separation", "environments.prod-capacity",
                               "naming.workspace-convention"}) {
            const CheckResult& c = result(r, QString::fromLatin1(id));
            QVERIFY2(c.status == Status::Pass, qPrintable(describe(c)));
        }
        // No secret in the store for this profile: the session got it elsewhere.
        const CheckResult& keychain = result(r, QStringLiteral("secrets.keychain"));
        QVERIFY2(keychain.status == Status::Warn, qPrintable(describe(keychain)));
        QVERIFY(evidenceHas(keychain, QStringLiteral("client secret not found")));
    }

    void unknownWorkspaceIsReported()
    {
        Rig rig;
        auto cred = rig.servicePrincipal();
        auto client = rig.client(cred.get());
        ReviewOptions o;
        o.workspaces = {QStringLiteral("Legal [Prod]")}; // exists, but the app is not a member
        ReadinessEvaluator e(client.get(), rig.profile(), secrets.get(), &clock);
        e.setOptions(o);
        QSignalSpy finished(&e, &ReadinessEvaluator::finished);
        QVERIFY(e.start().isEmpty());
        QVERIFY(finished.wait(60000));
        QCOMPARE(e.evidence().unmatchedWorkspaces, QStringList{QStringLiteral("Legal [Prod]")});
        const CheckResult& c = result(e.report(), QStringLiteral("ownership.workspace-admins"));
        QCOMPARE(c.status, Status::NotApplicable);
        QVERIFY(evidenceHas(c, QStringLiteral("no workspace 'Legal [Prod]' is visible")));
    }

    // A tenant shaped to pass, a certificate connection on the production workspace, and the
    // attestations on file: the integration is ready.
    void shapedTenantIsReady()
    {
        Rig rig(shapeClean);
        QTemporaryDir dir;
        const QString pem = dir.filePath(QStringLiteral("app.pem"));
        {
            QFile f(pem);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(sandbox::demo::privateKeyPem());
            f.write(sandbox::demo::certificatePem());
            f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        }
        ConnectionProfile p = rig.profile(Environment::Production);
        p.credentialKind = CredentialKind::Certificate;
        p.certificatePath = pem;
        auto session = openSession(p, CredentialSecrets{}, std::make_unique<Transport>(&rig.network, &rig.systemClock, &rig.log),
                                   &rig.systemClock, std::nullopt);
        QVERIFY2(session, session ? "" : qPrintable(session.error().sentence));
        ReviewOptions o;
        o.workspaces = {QStringLiteral("Sales [Prod]")};
        const QDateTime yesterday = clock.t.addDays(-1);
        const std::vector<Attestation> attestations = {
            attest(QStringLiteral("secrets.rotation"), Status::Pass, yesterday, QStringLiteral("expiry in the team wiki; owner: BI platform team")),
            attest(QStringLiteral("retries.backoff"), Status::Pass, yesterday),
            attest(QStringLiteral("logging.request-id"), Status::Pass, yesterday),
        };
        const ReadinessReport r = review(session.value()->client.get(), p, o, attestations);
        for (const CheckResult& c : r.results) {
            const bool ok = c.status == Status::Pass || c.status == Status::NotApplicable;
            QVERIFY2(ok, qPrintable(describe(c)));
        }
        QVERIFY(evidenceHas(result(r, QStringLiteral("identity.certificate")), QStringLiteral("appidacr=2 (certificate)")));
        QVERIFY(evidenceHas(result(r, QStringLiteral("secrets.certificate-expiry")), QStringLiteral("from the certificate file")));
        QVERIFY(evidenceHas(result(r, QStringLiteral("ownership.workspace-admins")), QStringLiteral("two or more admins")));
        QVERIFY(evidenceHas(result(r, QStringLiteral("ownership.item-owner")), QStringLiteral("owned by the integration")));
        QVERIFY(result(r, QStringLiteral("logging.request-id")).attestationApplied);
        QCOMPARE(r.verdict(), Verdict::Ready);

        // The same key file readable by everyone: the secret is not protected.
        QFile::setPermissions(pem, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        const ReadinessReport open = review(session.value()->client.get(), p, o, attestations);
        const CheckResult& keychain = result(open, QStringLiteral("secrets.keychain"));
        QVERIFY2(keychain.status == Status::Warn, qPrintable(describe(keychain)));
        QCOMPARE(open.verdict(), Verdict::ReadyWithWarnings);
    }

    // Admin scope on a tenant that does not let the app use the admin APIs: needed calls refused.
    void adminScopeRefusedFails()
    {
        Rig rig(shapeClean);
        auto cred = rig.servicePrincipal();
        auto client = rig.client(cred.get());
        ConnectionProfile p = rig.profile();
        ReviewOptions o;
        o.workspaces = {QStringLiteral("Sales [Prod]")};
        const CheckResult member = result(review(client.get(), p, o), QStringLiteral("privilege.api-reach"));
        QVERIFY2(member.status == Status::Pass, qPrintable(describe(member)));
        p.scope = ApiScope::Admin;
        const CheckResult admin = result(review(client.get(), p, o), QStringLiteral("privilege.api-reach"));
        QVERIFY2(admin.status == Status::Fail, qPrintable(describe(admin)));
        QVERIFY(evidenceHas(admin, QStringLiteral("refused: Read the tenant's workspace list (GET /admin/groups?$top=1) — 401")));
    }

    // A person's token: delegated scopes include ReadWrite; the password sign-in fails outright.
    void delegatedIdentity()
    {
        Rig rig;
        auto cred = std::make_unique<UsernamePasswordCredential>(
            &rig.transport, &rig.systemClock, rig.cloud(), QString::fromLatin1(sandbox::demo::kTenantId),
            QString::fromLatin1(sandbox::demo::kPublicClientId), QStringLiteral("megan@contoso-sandbox.onmicrosoft.com"),
            QString::fromLatin1(sandbox::demo::kUserPassword));
        auto client = rig.client(cred.get());
        ConnectionProfile p = rig.profile(Environment::Development);
        p.clientId = QString::fromLatin1(sandbox::demo::kPublicClientId);
        p.credentialKind = CredentialKind::UsernamePassword;
        p.userName = QStringLiteral("megan@contoso-sandbox.onmicrosoft.com");
        ReviewOptions o;
        o.workspaces = {QStringLiteral("Sales [Dev]")};
        o.runProbe = false;
        ReadinessReport r = review(client.get(), p, o);
        QCOMPARE(result(r, QStringLiteral("identity.app-only")).status, Status::Fail);
        const CheckResult scopes = result(r, QStringLiteral("privilege.delegated-scopes"));
        QVERIFY2(scopes.status == Status::Warn, qPrintable(describe(scopes)));
        QVERIFY(evidenceHas(scopes, QStringLiteral("Dataset.ReadWrite.All")));
        QCOMPARE(result(r, QStringLiteral("privilege.app-permissions")).status, Status::NotApplicable);
        QCOMPARE(result(r, QStringLiteral("privilege.api-reach")).status, Status::NotApplicable);
        const CheckResult role = result(r, QStringLiteral("privilege.workspace-role"));
        QVERIFY2(role.status == Status::Pass && evidenceHas(role, QStringLiteral("Member in 'Sales [Dev]'")),
                 qPrintable(describe(role)));
        // A person may own the models: the owner is the integration's own identity.
        QVERIFY(!evidenceHas(result(r, QStringLiteral("ownership.item-owner")), QStringLiteral("megan@contoso-sandbox.onmicrosoft.com (a person)")));

        // Interactive sign-in by the same person on dev only: a warning, not a failure.
        p.credentialKind = CredentialKind::DeviceCode;
        r = review(client.get(), p, o);
        QCOMPARE(result(r, QStringLiteral("identity.app-only")).status, Status::Warn);
        QCOMPARE(result(r, QStringLiteral("secrets.keychain")).status, Status::NotApplicable);
        QCOMPARE(result(r, QStringLiteral("secrets.rotation")).status, Status::NotApplicable);
        // … and on production workspaces, a failure.
        o.workspaces = {QStringLiteral("Sales [Prod]")};
        r = review(client.get(), p, o);
        QCOMPARE(result(r, QStringLiteral("identity.app-only")).status, Status::Fail);
    }

    // Nightly ETL holds Tenant.Read.All with admin consent; its app-only token says so in
    // `roles`, and the review fails it live.
    void applicationPermissionsFailLive()
    {
        Rig rig;
        const sandbox::AppRegistration etl = sandbox::makeDemoTenant().apps.at(1);
        auto cred = std::make_unique<ClientSecretCredential>(
            &rig.transport, &rig.systemClock, rig.cloud(), QString::fromLatin1(sandbox::demo::kTenantId),
            QString::fromStdString(etl.clientId), QString::fromStdString(etl.secrets.at(0)));
        auto client = rig.client(cred.get());
        ConnectionProfile p = rig.profile(Environment::Production);
        p.clientId = QString::fromStdString(etl.clientId);
        ReviewOptions o;
        o.workspaces = {QStringLiteral("Sales [Prod]")};
        o.runProbe = false;
        const CheckResult c = result(review(client.get(), p, o), QStringLiteral("privilege.app-permissions"));
        QVERIFY2(c.status == Status::Fail, qPrintable(describe(c)));
        QVERIFY2(evidenceHas(c, QStringLiteral("token roles: Tenant.Read.All")), qPrintable(describe(c)));
    }

    // Rules the sandbox cannot produce live: every delegated sign-in gets the consented
    // ReadWrite scopes (docs/readiness.md); a token from another tenant.
    void tokenRulesOnCraftedTokens()
    {
        Evidence ev;
        ev.profile.credentialKind = CredentialKind::ClientSecret;
        ev.profile.tenant = QString::fromLatin1(sandbox::demo::kTenantId);
        ev.token.value = facts({{"idtyp", "app"}, {"appid", "a"}, {"tid", sandbox::demo::kTenantId},
                                {"roles", {"Tenant.Read.All"}}, {"appidacr", "1"}});
        QCOMPARE(ev.token.value->roles, QStringList{QStringLiteral("Tenant.Read.All")});
        auto results = evaluate(ev, {});
        auto find = [&results](const char* id) -> const CheckResult& {
            for (const CheckResult& c : results)
                if (c.checkId == QLatin1String(id))
                    return c;
            qFatal("missing");
            return results.front();
        };
        QCOMPARE(find("privilege.app-permissions").status, Status::Fail);
        QVERIFY(evidenceHas(find("privilege.app-permissions"), QStringLiteral("token roles: Tenant.Read.All")));
        QCOMPARE(find("identity.app-only").status, Status::Pass);

        ev.token.value = facts({{"idtyp", "user"}, {"upn", "u@x"}, {"tid", "other"}, {"scp", "Dataset.Read.All Workspace.Read.All"}});
        ev.profile.credentialKind = CredentialKind::Interactive;
        results = evaluate(ev, {});
        QCOMPARE(find("privilege.delegated-scopes").status, Status::Pass);
        QCOMPARE(find("identity.tenant-authority").status, Status::Fail); // tid of another tenant
        // No idtyp claim: scp says delegated.
        ev.token.value = facts({{"upn", "u@x"}, {"scp", "Tenant.ReadWrite.All"}});
        QVERIFY(!ev.token.value->isAppOnly());
        results = evaluate(ev, {});
        QCOMPARE(find("privilege.delegated-scopes").status, Status::Warn);

        // Multi-tenant authorities.
        ev.profile.tenant = QStringLiteral("organizations");
        results = evaluate(ev, {});
        QCOMPARE(find("identity.tenant-authority").status, Status::Warn); // a person
        ev.profile.credentialKind = CredentialKind::ClientSecret;
        results = evaluate(ev, {});
        QCOMPARE(find("identity.tenant-authority").status, Status::Fail); // an app
    }

    void certificateExpiry()
    {
        QTemporaryDir dir;
        const QString pem = dir.filePath(QStringLiteral("cert.pem"));
        QFile f(pem);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(sandbox::demo::certificatePem());
        f.close();
        ConnectionProfile p;
        p.credentialKind = CredentialKind::Certificate;
        p.certificatePath = pem;
        auto cert = readCertificateFacts(p);
        QVERIFY2(cert, cert ? "" : qPrintable(cert.error().sentence));
        QVERIFY(cert.value().subject.contains(QStringLiteral("PBI Console Sandbox Demo App")));
        QCOMPARE(cert.value().thumbprint.size(), 40);
        Evidence ev;
        ev.profile = p;
        ev.certificate.value = cert.value();
        const auto statusAt = [&ev](const QDateTime& now) {
            ev.now = now;
            for (const CheckResult& c : evaluate(ev, {}))
                if (c.checkId == QLatin1String("secrets.certificate-expiry"))
                    return c.status;
            return Status::NotEvaluated;
        };
        const QDateTime notAfter = cert.value().notAfter;
        QCOMPARE(statusAt(notAfter.addDays(-200)), Status::Pass);
        QCOMPARE(statusAt(notAfter.addDays(-10)), Status::Warn);
        QCOMPARE(statusAt(notAfter.addDays(1)), Status::Fail);
        QCOMPARE(statusAt(cert.value().notBefore.addDays(-1)), Status::Fail);

        // PKCS#12: the expiry recorded with the connection; none recorded is an error.
        p.certificatePath = dir.filePath(QStringLiteral("app.pfx"));
        QVERIFY(!readCertificateFacts(p));
        p.certificateExpiry = notAfter;
        QCOMPARE(readCertificateFacts(p).value().notAfter, notAfter);
        // Not a certificate at all.
        p.certificatePath = dir.filePath(QStringLiteral("junk.pem"));
        QFile junk(p.certificatePath);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a certificate");
        junk.close();
        const auto bad = readCertificateFacts(p);
        QVERIFY(!bad);
        QVERIFY(bad.error().sentence.contains(QStringLiteral("holds no certificate")));
    }

    // One call fails (throttled far beyond what the transport waits for): only the checks that
    // needed it are Error, with the core's sentence; the rest are evaluated.
    void oneFailingCallMarksOnlyItsChecks()
    {
        Rig rig;
        auto cred = rig.servicePrincipal();
        auto client = rig.client(cred.get());
        sandbox::FaultRule rule;
        rule.kind = sandbox::FaultKind::Throttled;
        rule.path = "^/v1\\.0/myorg/groups/[^/]+/users$";
        rule.retryAfterSeconds = 7200;
        rig.server->faults().addFault(rule);
        ReviewOptions o;
        o.workspaces = {QStringLiteral("Sales [Prod]")};
        const ReadinessReport r = review(client.get(), rig.profile(Environment::Production), o);
        for (const char* id : {"privilege.workspace-role", "ownership.workspace-admins"}) {
            const CheckResult& c = result(r, QString::fromLatin1(id));
            QVERIFY2(c.status == Status::Error, qPrintable(describe(c)));
            QVERIFY2(c.error.contains(QStringLiteral("throttl"), Qt::CaseInsensitive), qPrintable(c.error));
            QVERIFY(evidenceHas(c, QStringLiteral("could not read 'Sales [Prod]'")));
        }
        for (const char* id : {"environments.prod-capacity", "naming.workspace-convention", "identity.app-only"}) {
            const CheckResult& c = result(r, QString::fromLatin1(id));
            QVERIFY2(c.status == Status::Pass, qPrintable(describe(c)));
        }
        QCOMPARE(result(r, QStringLiteral("ownership.item-owner")).status, Status::Warn);
        QVERIFY(evidenceHas(result(r, QStringLiteral("retries.backoff")), QStringLiteral("answered 429")));
        QCOMPARE(r.verdict(), Verdict::Incomplete);
    }

    // Sign-in refused: every check that needs the token says so; nothing crashes or hangs.
    void signInRefused()
    {
        Rig rig;
        auto cred = rig.servicePrincipal(QStringLiteral("wrong-secret"));
        auto client = rig.client(cred.get());
        ReviewOptions o;
        o.runProbe = false;
        const ReadinessReport r = review(client.get(), rig.profile(), o);
        const CheckResult& c = result(r, QStringLiteral("identity.app-only"));
        QCOMPARE(c.status, Status::Error);
        QVERIFY2(c.error.contains(QStringLiteral("7000215")), qPrintable(c.error));
        QCOMPARE(result(r, QStringLiteral("privilege.workspace-role")).status, Status::Error);
        QCOMPARE(result(r, QStringLiteral("identity.certificate")).status, Status::Warn); // from the profile
        QCOMPARE(r.verdict(), Verdict::Incomplete);
    }

    void cancelStopsEverything()
    {
        Rig rig;
        auto cred = rig.servicePrincipal();
        auto client = rig.client(cred.get());
        ReadinessEvaluator e(client.get(), rig.profile(), secrets.get(), &clock);
        QSignalSpy finished(&e, &ReadinessEvaluator::finished);
        QSignalSpy cancelled(&e, &ReadinessEvaluator::cancelled);
        QVERIFY(e.start().isEmpty());
        QVERIFY(e.isRunning());
        e.cancel();
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(!e.isRunning());
        QTRY_COMPARE(rig.transport.inFlight(), 0);
        QTest::qWait(300);
        QCOMPARE(finished.size(), 0);
        QCOMPARE(e.report().results.front().status, Status::NotEvaluated);
        // And it can run again afterwards.
        QVERIFY(e.start().isEmpty());
        QVERIFY(finished.wait(90000));
    }

    void attestationsMergeAndGoStale()
    {
        std::vector<CheckResult> live = unevaluatedResults();
        const auto set = [&live](const char* id, Status s) {
            for (CheckResult& c : live)
                if (c.checkId == QLatin1String(id))
                    c.liveStatus = c.status = s;
        };
        set("logging.request-id", Status::NeedsAttestation);
        set("retries.backoff", Status::NeedsAttestation);
        set("secrets.rotation", Status::NeedsAttestation);
        set("privilege.workspace-role", Status::Warn);
        set("ownership.item-owner", Status::Pass);
        set("privilege.delegated-scopes", Status::NotApplicable);
        const QDateTime now(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
        std::vector<Attestation> a = {
            attest(QStringLiteral("logging.request-id"), Status::Pass, now.addDays(-10)),
            attest(QStringLiteral("retries.backoff"), Status::Pass, now.addDays(-91)),              // stale
            attest(QStringLiteral("secrets.rotation"), Status::Pass, now.addDays(-100)),            // older …
            attest(QStringLiteral("secrets.rotation"), Status::Fail, now.addDays(-5), QStringLiteral("no owner")), // … newer wins
            attest(QStringLiteral("privilege.workspace-role"), Status::Pass, now.addDays(-1), QStringLiteral("manages members")),
            attest(QStringLiteral("ownership.item-owner"), Status::Fail, now.addDays(-1), QStringLiteral("svc account left")),
            attest(QStringLiteral("privilege.delegated-scopes"), Status::Fail, now.addDays(-1), QStringLiteral("x")),
            attest(QStringLiteral("identity.app-only"), Status::Fail, now.addDays(-1), QStringLiteral("x")), // live only
        };
        applyAttestations(live, a, now, 90);
        const auto get = [&live](const char* id) -> const CheckResult& {
            for (const CheckResult& c : live)
                if (c.checkId == QLatin1String(id))
                    return c;
            return live.front();
        };
        QCOMPARE(get("logging.request-id").status, Status::Pass);
        QVERIFY(get("logging.request-id").attestationApplied);
        QCOMPARE(get("retries.backoff").status, Status::NeedsAttestation);
        QVERIFY(get("retries.backoff").attestationStale);
        QCOMPARE(get("secrets.rotation").status, Status::Fail);
        QCOMPARE(get("secrets.rotation").attestation->comment, QStringLiteral("no owner"));
        QCOMPARE(get("privilege.workspace-role").status, Status::Pass);
        QCOMPARE(get("privilege.workspace-role").liveStatus, Status::Warn);
        QCOMPARE(get("ownership.item-owner").status, Status::Fail); // a person declares a failure
        QCOMPARE(get("privilege.delegated-scopes").status, Status::NotApplicable); // does not apply
        QCOMPARE(get("identity.app-only").status, Status::NotEvaluated);
        QVERIFY(!get("identity.app-only").attestation);
        // Ten days on, the stale limit moves: 91 + 10 > 90, 10 + 85 > 90.
        applyAttestations(live, a, now.addDays(85), 90);
        QCOMPARE(get("logging.request-id").status, Status::NeedsAttestation);
        QVERIFY(get("logging.request-id").attestationStale);
        // Applying again from the live status is idempotent.
        applyAttestations(live, a, now, 90);
        QCOMPARE(get("logging.request-id").status, Status::Pass);
    }

    void attestationValidation_data()
    {
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("by");
        QTest::addColumn<QString>("comment");
        QTest::addColumn<QString>("problem"); // empty: accepted
        QTest::newRow("ok") << "logging.request-id" << "pass" << "Alice" << "" << "";
        QTest::newRow("na with reason") << "secrets.rotation" << "na" << "Alice" << "managed identity" << "";
        QTest::newRow("unknown check") << "logging.nope" << "pass" << "Alice" << "" << "There is no check";
        QTest::newRow("live only") << "identity.app-only" << "pass" << "Alice" << "" << "decided from live evidence only";
        QTest::newRow("no name") << "logging.request-id" << "pass" << "  " << "" << "a name is required";
        QTest::newRow("na without reason") << "logging.request-id" << "na" << "Alice" << "" << "why the check does not apply";
        QTest::newRow("fail without reason") << "logging.request-id" << "fail" << "Alice" << " " << "what fails";
        QTest::newRow("token in comment")
            << "logging.request-id" << "pass" << "Alice" << "see eyJ0eXAiOiJKV1QiLCJhbGciOi.eyJhdWQiOiJodHRwczovL2Fu" << "token or a secret";
        QTest::newRow("secret assignment") << "logging.request-id" << "pass" << "Alice" << "client_secret=abc" << "token or a secret";
        QTest::newRow("control character") << "logging.request-id" << "pass" << "Al\x07ice" << "" << "control characters";
        QTest::newRow("too long") << "logging.request-id" << "pass" << QString(201, QLatin1Char('a')) << "" << "longer than";
    }
    void attestationValidation()
    {
        QFETCH(QString, check);
        QFETCH(QString, status);
        QFETCH(QString, by);
        QFETCH(QString, comment);
        QFETCH(QString, problem);
        const auto s = attestedStatusFromText(status);
        QVERIFY(s);
        const QString got = validateAttestation(Attestation{check, *s, by, clock.t, comment});
        if (problem.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(got));
        else
            QVERIFY2(got.contains(problem), qPrintable(got));
    }

    void reviewFileRoundTrip()
    {
        IntegrationSummary who;
        who.connection = QStringLiteral("Sales integration");
        who.clientId = QStringLiteral("5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f");
        who.tenant = QStringLiteral("8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f");
        const QDateTime at(QDate(2026, 5, 1), QTime(9, 30), Qt::UTC);
        std::vector<Attestation> list;
        ReviewFile::record(list, attest(QStringLiteral("logging.request-id"), Status::Pass, at, QStringLiteral("logs \"RequestId\", see wiki")));
        ReviewFile::record(list, attest(QStringLiteral("secrets.rotation"), Status::NotApplicable, at, QStringLiteral("managed identity")));
        ReviewFile::record(list, attest(QStringLiteral("logging.request-id"), Status::Fail, at.addDays(1), QStringLiteral("not any more")));
        QCOMPARE(list.size(), std::size_t(2));
        const QByteArray file = ReviewFile::toJson(who, list, at);
        auto loaded = ReviewFile::fromJson(file);
        QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().sentence));
        QCOMPARE(loaded.value().attestations.size(), std::size_t(2));
        QCOMPARE(loaded.value().attestations[0].status, Status::Fail);
        QCOMPARE(loaded.value().attestations[0].at, at.addDays(1));
        QCOMPARE(loaded.value().attestations[0].comment, QStringLiteral("not any more"));
        QCOMPARE(loaded.value().attestations[1].status, Status::NotApplicable);
        QCOMPARE(loaded.value().clientId, who.clientId);
        QVERIFY(ReviewFile::mismatch(loaded.value(), who).isEmpty());
        IntegrationSummary other = who;
        other.clientId = QStringLiteral("00000000-0000-0000-0000-000000000001");
        QVERIFY(ReviewFile::mismatch(loaded.value(), other).contains(QStringLiteral("another app")));

        // Bad files say what is wrong; unknown checks are skipped with a warning.
        QVERIFY(ReviewFile::fromJson("{not json").error().sentence.contains(QStringLiteral("not a JSON object")));
        QVERIFY(ReviewFile::fromJson(R"({"kind":"snapshot"})").error().sentence.contains(QStringLiteral("not a PBI Console readiness review")));
        QVERIFY(ReviewFile::fromJson(R"({"kind":"pbi-console-readiness-review","schemaVersion":2})").error().sentence.contains(QStringLiteral("Update PBI Console")));
        QVERIFY(ReviewFile::fromJson(R"({"kind":"pbi-console-readiness-review","schemaVersion":1,"attestations":[{"check":"logging.request-id","status":"maybe","by":"a","date":"2026-01-01T00:00:00Z"}]})")
                    .error().sentence.contains(QStringLiteral("unknown status")));
        auto skipped = ReviewFile::fromJson(R"({"kind":"pbi-console-readiness-review","schemaVersion":1,"attestations":[{"check":"gone.check","status":"pass","by":"a","date":"2026-01-01T00:00:00Z"},{"check":"logging.request-id","status":"pass","by":"a","date":"2026-01-01T00:00:00Z"}]})");
        QVERIFY(skipped);
        QCOMPARE(skipped.value().attestations.size(), std::size_t(1));
        QCOMPARE(skipped.value().warnings.size(), 1);
        QVERIFY(skipped.value().warnings.first().contains(QStringLiteral("gone.check")));
    }

    // The exports of a real review: JSON parsed back, CSV columns, Markdown has every check;
    // none holds the secret or the token (nor its signature).
    void exportsRoundTripAndHoldNoSecret()
    {
        Rig rig;
        auto cred = rig.servicePrincipal();
        auto client = rig.client(cred.get());
        ReviewOptions o;
        o.workspaces = {QStringLiteral("Sales [Prod]"), QStringLiteral("Finance [Dev]")};
        const std::vector<Attestation> a = {attest(QStringLiteral("logging.request-id"), Status::Pass, clock.t.addDays(-2),
                                                   QStringLiteral("all calls, with \"RequestId\", | pipes, =formula"))};
        ReadinessReport r = review(client.get(), rig.profile(), o, a);
        QString token;
        QObject ctx;
        cred->requestToken(&ctx, [&token](Result<AccessToken> t) { token = t.value().value; });
        QTRY_VERIFY(!token.isEmpty());
        const QString signature = token.section(QLatin1Char('.'), 2);
        QVERIFY(signature.size() > 20);

        const QByteArray json = ReadinessExport::toJson(r);
        const QByteArray csv = ReadinessExport::toCsv(r);
        const QByteArray md = ReadinessExport::toMarkdown(r);
        const QByteArray file = ReviewFile::toJson(r.integration, r.attestations, clock.t);
        for (const QByteArray& out : {json, csv, md, file}) {
            QVERIFY(!out.contains(sandbox::demo::kAppSecret));
            QVERIFY(!out.contains(token.toUtf8()));
            QVERIFY(!out.contains(signature.toUtf8()));
            QVERIFY(!out.contains(token.section(QLatin1Char('.'), 1, 1).toUtf8())); // not even the payload
        }

        const auto j = nlohmann::json::parse(json.toStdString());
        QCOMPARE(j["schemaVersion"].get<int>(), 1);
        QCOMPARE(j["kind"].get<std::string>(), std::string("pbi-console-readiness-report"));
        QCOMPARE(QString::fromStdString(j["verdict"].get<std::string>()), verdictKey(r.verdict()));
        QCOMPARE(j["checks"].size(), catalogue().size());
        QCOMPARE(j["integration"]["tokenClaims"]["idtyp"].get<std::string>(), std::string("app"));
        QCOMPARE(j["integration"]["workspaces"].size(), std::size_t(2));
        int counted = 0;
        for (const auto& [key, n] : j["counts"].items())
            counted += n.get<int>();
        QCOMPARE(counted, int(catalogue().size()));
        bool attested = false;
        for (const auto& c : j["checks"]) {
            QVERIFY(findCheck(QString::fromStdString(c["id"].get<std::string>())));
            QVERIFY(statusFromKey(QString::fromStdString(c["status"].get<std::string>())));
            if (c["id"] == "logging.request-id") {
                attested = true;
                QCOMPARE(c["status"].get<std::string>(), std::string("pass"));
                QCOMPARE(c["attestation"]["by"].get<std::string>(), std::string("Alice Auditor"));
                QCOMPARE(c["attestation"]["applied"].get<bool>(), true);
            }
        }
        QVERIFY(attested);
        // The report is a review file too.
        auto back = ReviewFile::fromJson(json);
        QVERIFY(back);
        QCOMPARE(back.value().attestations.size(), std::size_t(1));
        QCOMPARE(back.value().attestations[0].comment, a[0].comment);

        const QList<QByteArray> lines = csv.trimmed().split('\n');
        QCOMPARE(lines.size(), int(catalogue().size()) + 1);
        QVERIFY(lines[0].startsWith("area,id,title,status,decision,evidence,error,fix,attested_status"));
        QCOMPARE(lines[0].trimmed().split(',').size(), 13);
        QVERIFY(csv.contains("\"all calls, with \"\"RequestId\"\", | pipes, =formula\""));
        QVERIFY(csv.contains("Least privilege,privilege.workspace-role,"));

        const QString mdText = QString::fromUtf8(md);
        for (const ReadinessCheck& c : catalogue())
            QVERIFY2(mdText.contains(QStringLiteral("`%1`").arg(c.id)), qPrintable(c.id));
        for (const char* area : {"## Identity", "## Least privilege", "## Secrets", "## Retries", "## Logging",
                                 "## Environments", "## Ownership", "## Naming"})
            QVERIFY(mdText.contains(QLatin1String(area)));
        QVERIFY(mdText.contains(QStringLiteral("**Verdict: ")));
        // The convention in a code span: backslashes literal, pipes escaped for the table.
        QVERIFY2(mdText.contains(QStringLiteral("| Naming convention | `^\\S.* \\[(Dev\\|Test\\|Prod)\\]$` |")), md.constData());
        QVERIFY(mdText.contains(QStringLiteral("with \"RequestId\", \\| pipes"))); // pipes escaped in tables

        // By extension; an unknown one is refused with a sentence.
        QVERIFY(ReadinessExport::render(r, QStringLiteral("x.MD")));
        QVERIFY(!ReadinessExport::render(r, QStringLiteral("x.txt")));
        QTemporaryDir dir;
        QString error;
        QVERIFY(ReadinessExport::write(r, dir.filePath(QStringLiteral("r.csv")), &error));
        QVERIFY(!ReadinessExport::write(r, dir.filePath(QStringLiteral("missing/dir/r.json")), &error));
        QVERIFY(error.contains(QStringLiteral("Cannot write")));
    }
};

QTEST_GUILESS_MAIN(TestReadiness)
#include "tst_readiness.moc"
