// Embed-token pre-flight: each rule on its own, and — against the sandbox — the pre-flight's
// verdict agrees with the service's answer for the same request.

#include "SandboxFixture.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "auth/JwtInspector.h"
#include "embed/EmbedFacts.h"
#include "embed/EmbedPreflight.h"

#include <QTest>

using namespace pbi;
using namespace pbi::embed;

namespace {

bool has(const std::vector<Finding>& fs, Severity s, const QString& words)
{
    for (const Finding& f : fs)
        if (f.severity == s && f.message.contains(words, Qt::CaseInsensitive))
            return true;
    return false;
}

ModelFacts rlsModel()
{
    return {QStringLiteral("cfafbeb1-8037-4d0c-896e-a46fb27ff229"), QStringLiteral("Sales"), true, true,
            {QStringLiteral("Region Managers")}};
}

EffectiveIdentity identity(const QString& user, const QStringList& roles, const QStringList& datasets)
{
    EffectiveIdentity i;
    i.username = user;
    i.roles = roles;
    i.datasets = datasets;
    return i;
}

} // namespace

class TestEmbedPreflight : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;
    QString groupId;
    Report report;         ///< a report on the RLS model
    Dataset rlsDataset;    ///< General Ledger
    Dataset plainDataset;  ///< a model without RLS

    template <typename T>
    Result<T> wait(const std::function<void(PowerBiClient::Callback<T>)>& call)
    {
        std::optional<Result<T>> out;
        call([&out](Result<T> r) { out = std::move(r); });
        QElapsedTimer t;
        t.start();
        while (!out && t.elapsed() < 20000)
            QTest::qWait(10);
        if (!out) {
            Error e;
            e.sentence = QStringLiteral("no answer in 20 s");
            return e;
        }
        return std::move(*out);
    }

private Q_SLOTS:
    void initTestCase()
    {
        sandbox::SandboxOptions o;
        o.refreshSchedules = false;
        f = std::make_unique<SandboxFixture>(o);
        std::tie(cred, client) = f->servicePrincipal();
        const auto ws = wait<std::vector<Workspace>>([&](auto cb) { client->listWorkspaces(this, cb); });
        QVERIFY(ws);
        // Premium, and the principal is a Member: GenerateToken needs Member or Admin.
        for (const auto& w : ws.value())
            if (w.name == QLatin1String("Finance [Test]"))
                groupId = w.id;
        QVERIFY(!groupId.isEmpty());
        const auto ds = wait<std::vector<Dataset>>([&](auto cb) { client->listDatasets(groupId, this, cb); });
        QVERIFY(ds);
        for (const auto& d : ds.value()) {
            if (d.isEffectiveIdentityRequired && rlsDataset.id.isEmpty())
                rlsDataset = d;
            if (!d.isEffectiveIdentityRequired && plainDataset.id.isEmpty())
                plainDataset = d;
        }
        QVERIFY2(!rlsDataset.id.isEmpty() && !plainDataset.id.isEmpty(), "the demo needs a model with and one without RLS");
        const auto rs = wait<std::vector<Report>>([&](auto cb) { client->listReports(groupId, this, cb); });
        QVERIFY(rs);
        for (const auto& r : rs.value())
            if (r.datasetId && *r.datasetId == rlsDataset.id)
                report = r;
        QVERIFY(!report.id.isEmpty());
    }

    void cleanupTestCase()
    {
        client.reset();
        cred.reset();
        f.reset();
    }

    void rlsRules()
    {
        PreflightInput in;
        in.servicePrincipal = true;
        in.models = {rlsModel()};
        QVERIFY(has(preflight(in), Severity::Error, QStringLiteral("requires effective identity")));
        in.servicePrincipal = false; // a master user sees everything: allowed, but said
        QVERIFY(!hasErrors(preflight(in)));
        QVERIFY(has(preflight(in), Severity::Warning, QStringLiteral("unfiltered")));
        in.identities = {identity(QStringLiteral("megan@contoso.com"), {}, {rlsModel().id})};
        QVERIFY(has(preflight(in), Severity::Error, QStringLiteral("requires roles")));
        in.identities[0].roles = {QStringLiteral("Region Managers")};
        QVERIFY(!hasErrors(preflight(in)));
        in.identities[0].roles = {QStringLiteral("Nobody")};
        QVERIFY(has(preflight(in), Severity::Error, QStringLiteral("has no role 'Nobody'")));

        PreflightInput plain;
        plain.models = {{QStringLiteral("d2"), QStringLiteral("Targets"), false, false, {}}};
        plain.identities = {identity(QStringLiteral("megan@contoso.com"), {QStringLiteral("r")}, {QStringLiteral("d2")})};
        QVERIFY(has(preflight(plain), Severity::Error, QStringLiteral("shouldn't have effective identity")));
    }

    void identityShapeAndLimits()
    {
        PreflightInput in;
        in.models = {rlsModel()};
        in.identities = {identity(QStringLiteral("megan contoso"), {QStringLiteral("a,b")}, {}),
                         identity(QString(), {QStringLiteral("Region Managers")}, {QStringLiteral("elsewhere")})};
        const auto fs = preflight(in);
        QVERIFY(has(fs, Severity::Error, QStringLiteral("space")));
        QVERIFY(has(fs, Severity::Error, QStringLiteral("comma")));
        QVERIFY(has(fs, Severity::Error, QStringLiteral("must name the models")));
        QVERIFY(has(fs, Severity::Error, QStringLiteral("needs a user name")));
        QVERIFY(has(fs, Severity::Error, QStringLiteral("does not cover")));

        PreflightInput many;
        for (int i = 0; i < 51; ++i)
            many.models.push_back({QStringLiteral("m%1").arg(i), {}, false, false, {}});
        many.reportCount = 51;
        QVERIFY(has(preflight(many), Severity::Error, QStringLiteral("51 models")));
        QVERIFY(has(preflight(many), Severity::Error, QStringLiteral("51 reports")));

        PreflightInput mine;
        mine.personalWorkspace = true;
        QVERIFY(has(preflight(mine), Severity::Error, QStringLiteral("My workspace")));
        PreflightInput shared;
        shared.premium = false;
        QVERIFY(has(preflight(shared), Severity::Warning, QStringLiteral("trial")));
        PreflightInput contributor;
        contributor.callerRole = QStringLiteral("Contributor");
        QVERIFY(has(preflight(contributor), Severity::Error, QStringLiteral("needs Member or Admin")));
        PreflightInput create;
        create.accessLevel = QStringLiteral("Create");
        QVERIFY(has(preflight(create), Severity::Error, QStringLiteral("needs the model")));
    }

    void lifetimeIsCappedByTheAccessToken()
    {
        PreflightInput in;
        in.now = QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);
        in.accessTokenExpiry = in.now.addSecs(40 * 60);
        in.lifetimeInMinutes = 120;
        QVERIFY(has(preflight(in), Severity::Note, QStringLiteral("about 40 min")));
        in.lifetimeInMinutes = 30;
        QVERIFY(preflight(in).empty());
        in.lifetimeInMinutes = -5;
        QVERIFY(has(preflight(in), Severity::Error, QStringLiteral("negative")));
    }

    /// The same requests, checked here and sent to the service: the verdicts agree.
    void agreesWithTheService_data()
    {
        QTest::addColumn<int>("identityCase");
        QTest::addColumn<bool>("onPlainModel");
        QTest::addColumn<QString>("serviceWords"); // empty: the service issues the token
        QTest::newRow("RLS, no identity") << 0 << false << QStringLiteral("requires effective identity");
        QTest::newRow("RLS, identity without roles") << 1 << false << QStringLiteral("requires roles");
        QTest::newRow("RLS, identity with role") << 2 << false << QString();
        QTest::newRow("no RLS, identity") << 2 << true << QStringLiteral("shouldn't have effective identity");
        QTest::newRow("no RLS, no identity") << 0 << true << QString();
    }

    void agreesWithTheService()
    {
        QFETCH(int, identityCase);
        QFETCH(bool, onPlainModel);
        QFETCH(QString, serviceWords);
        const Dataset& model = onPlainModel ? plainDataset : rlsDataset;
        GenerateTokenRequest req;
        if (identityCase > 0)
            req.identities = {identity(QStringLiteral("megan@contoso-sandbox.onmicrosoft.com"),
                                       identityCase == 2 ? QStringList{QStringLiteral("Region Managers")} : QStringList{},
                                       {model.id})};
        PreflightInput in;
        in.servicePrincipal = true;
        in.premium = true;
        in.models = {{model.id, model.name, model.isEffectiveIdentityRequired, model.isEffectiveIdentityRolesRequired, {}}};
        in.identities = req.identities;
        const bool clientSaysNo = hasErrors(preflight(in));

        const auto answer = wait<EmbedToken>([&](auto cb) {
            if (onPlainModel)
                client->generateDatasetToken(groupId, model.id, req, this, cb);
            else
                client->generateReportToken(groupId, report.id, req, this, cb);
        });
        if (serviceWords.isEmpty()) {
            QVERIFY2(answer, answer ? "" : qPrintable(answer.error().details()));
            QVERIFY(!clientSaysNo);
            QVERIFY(!answer.value().token.isEmpty());
            QVERIFY(!answer.value().tokenId.isEmpty());
            QVERIFY(answer.value().expiration > QDateTime::currentDateTimeUtc());
        } else {
            QVERIFY(!answer);
            QCOMPARE(answer.error().httpStatus, 400);
            QCOMPARE(answer.error().code, QStringLiteral("InvalidRequest"));
            QVERIFY2(answer.error().message.contains(serviceWords), qPrintable(answer.error().message));
            QVERIFY(clientSaysNo);
        }
    }

    void multiResourceToken()
    {
        GenerateTokenRequestV2 req;
        req.reports = {{report.id, false}};
        req.datasets = {{rlsDataset.id, {}}};
        req.identities = {identity(QStringLiteral("megan@contoso-sandbox.onmicrosoft.com"),
                                   {QStringLiteral("Region Managers")}, {rlsDataset.id})};
        req.lifetimeInMinutes = 10;
        const auto answer = wait<EmbedToken>([&](auto cb) { client->generateToken(req, this, cb); });
        QVERIFY2(answer, answer ? "" : qPrintable(answer.error().details()));
        const qint64 minutes = QDateTime::currentDateTimeUtc().secsTo(answer.value().expiration) / 60;
        QVERIFY2(minutes <= 10 && minutes >= 8, qPrintable(QString::number(minutes)));
    }

    /// Access levels a single-item endpoint refuses: said before, and the service agrees.
    void accessLevelPerEndpoint()
    {
        PreflightInput in;
        in.endpoint = Endpoint::Report;
        in.accessLevel = QStringLiteral("Create");
        in.createDatasetId = plainDataset.id;
        QVERIFY(has(preflight(in), Severity::Error, QStringLiteral("does not take the Create access level")));
        in.endpoint = Endpoint::Dataset;
        QVERIFY(!hasErrors(preflight(in)));
        in.accessLevel = QStringLiteral("Edit");
        QVERIFY(has(preflight(in), Severity::Error, QStringLiteral("report embedding only")));

        GenerateTokenRequest create;
        create.accessLevel = QStringLiteral("Create");
        create.datasetId = report.datasetId.value_or(QString());
        const auto onReport = wait<EmbedToken>([&](auto cb) { client->generateReportToken(groupId, report.id, create, this, cb); });
        QVERIFY(!onReport);
        QCOMPARE(onReport.error().httpStatus, 400);
        GenerateTokenRequest edit;
        edit.accessLevel = QStringLiteral("Edit");
        const auto onModel = wait<EmbedToken>([&](auto cb) { client->generateDatasetToken(groupId, plainDataset.id, edit, this, cb); });
        QVERIFY(!onModel);
        QCOMPARE(onModel.error().httpStatus, 400);
    }

    /// The facts the tester reads: items, the caller's own role, the access token.
    void gathersWorkspaceFacts_data()
    {
        QTest::addColumn<QString>("workspace");
        QTest::addColumn<QString>("role");
        QTest::newRow("member") << QStringLiteral("Finance [Test]") << QStringLiteral("Member");
        QTest::newRow("viewer") << QStringLiteral("Finance [Prod]") << QStringLiteral("Viewer");
        QTest::newRow("admin, shared capacity") << QStringLiteral("Finance [Dev]") << QStringLiteral("Admin");
    }

    void gathersWorkspaceFacts()
    {
        QFETCH(QString, workspace);
        QFETCH(QString, role);
        const auto ws = wait<std::vector<Workspace>>([&](auto cb) { client->listWorkspaces(this, cb); });
        QVERIFY(ws);
        std::optional<Workspace> w;
        for (const auto& x : ws.value())
            if (x.name == workspace)
                w = x;
        QVERIFY(w);
        const auto facts = wait<WorkspaceFacts>([&](auto cb) { gatherWorkspaceFacts(client.get(), *w, this, cb); });
        QVERIFY2(facts, facts ? "" : qPrintable(facts.error().details()));
        QCOMPARE(facts.value().callerRole, role);
        QVERIFY(facts.value().callerRoleNote.isEmpty());
        QCOMPARE(facts.value().servicePrincipal, std::optional<bool>(true));
        QVERIFY(facts.value().accessTokenExpiry && *facts.value().accessTokenExpiry > QDateTime::currentDateTimeUtc());
        QVERIFY(!facts.value().reports.empty() && !facts.value().datasets.empty());

        const Report& first = facts.value().reports.front();
        const auto in = preflightInput(facts.value(), ItemKind::Report, first.id,
                                       completed(facts.value(), ItemKind::Report, first.id, {}),
                                       QDateTime::currentDateTimeUtc());
        const auto findings = preflight(in);
        QCOMPARE(has(findings, Severity::Error, QStringLiteral("needs Member or Admin")), role == QLatin1String("Viewer"));
        QCOMPARE(has(findings, Severity::Warning, QStringLiteral("shared capacity")), !w->isOnDedicatedCapacity);
    }

    void callerRoleByTokenClaims()
    {
        // A compact JWT with these claims (unsigned: the role look-up reads, never trusts).
        const auto jwt = [](const QByteArray& claims) {
            const auto part = [](const QByteArray& b) { return b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals); };
            return JwtInspector::decode(QString::fromLatin1(part(R"({"alg":"none","typ":"JWT"})") + '.' + part(claims) + '.'));
        };
        std::vector<GroupUser> members(3);
        members[0] = {QStringLiteral("admin@contoso.com"), QStringLiteral("User"), QStringLiteral("Admin"), {}, {}, {}, {}, {}};
        members[1] = {QStringLiteral("11111111-2222-3333-4444-555555555555"), QStringLiteral("App"), QStringLiteral("Contributor"), {}, {}, {}, {}, {}};
        members[2] = {QStringLiteral("Megan@Contoso.com"), QStringLiteral("User"), QStringLiteral("Viewer"), {}, {}, {}, {}, {}};
        const auto app = jwt(R"({"oid":"11111111-2222-3333-4444-555555555555","idtyp":"app"})");
        QVERIFY(app);
        QCOMPARE(callerRoleIn(members, app.value()), QStringLiteral("Contributor"));
        const auto user = jwt(R"({"oid":"99","upn":"megan@contoso.com"})");
        QVERIFY(user);
        QCOMPARE(callerRoleIn(members, user.value()), QStringLiteral("Viewer"));
        const auto stranger = jwt(R"({"oid":"98","upn":"lee@contoso.com"})");
        QVERIFY(stranger);
        QVERIFY(callerRoleIn(members, stranger.value()).isEmpty());
    }

    void requestDefaultsAndCurl()
    {
        WorkspaceFacts facts;
        facts.workspace.id = groupId;
        facts.datasets = {rlsDataset, plainDataset};
        facts.reports = {report};
        GenerateTokenRequest req;
        req.identities = {identity(QStringLiteral("megan@contoso-sandbox.onmicrosoft.com"), {QStringLiteral("Region Managers")}, {})};
        const GenerateTokenRequest done = completed(facts, ItemKind::Report, report.id, req);
        QCOMPARE(done.identities[0].datasets, QStringList{rlsDataset.id});

        // V2: the report's model comes with it; an identity defaults to the RLS models only.
        GenerateTokenRequestV2 v2;
        v2.reports = {{report.id, false}};
        v2.datasets = {{plainDataset.id, {}}};
        v2.identities = req.identities;
        const GenerateTokenRequestV2 full = completed(facts, v2);
        QCOMPARE(int(full.datasets.size()), 2);
        QCOMPARE(full.identities[0].datasets, QStringList{rlsDataset.id});
        QVERIFY(!hasErrors(preflight(preflightInput(facts, full, QDateTime::currentDateTimeUtc()))));

        const HttpRequest http = tokenRequest(*client, groupId, ItemKind::Report, report.id, done);
        const QString redacted = toCurl(http);
        QVERIFY(redacted.contains(QStringLiteral("Authorization: Bearer [redacted]")));
        QVERIFY(redacted.contains(QStringLiteral("/reports/") + report.id + QStringLiteral("/GenerateToken")));
        QVERIFY(redacted.contains(rlsDataset.id));
        const QString shown = toCurl(http, QStringLiteral("eyJhbGciOi.secret.part"));
        QVERIFY(shown.contains(QStringLiteral("Authorization: Bearer eyJhbGciOi.secret.part")));
        QVERIFY(!redacted.contains(QStringLiteral("secret.part")));
    }
};

QTEST_GUILESS_MAIN(TestEmbedPreflight)
#include "tst_embedpreflight.moc"
