// GenerateToken in the sandbox (EmbedTokenService): the token's shape, the row-level-security
// rules with the service's messages, workspace roles, scopes, the lifetime cap, V2 limits and
// the shared-capacity quota, over loopback against reference/api-digest.md §4.

#include "PowerBiTestTenant.h"

#include "EntraDemo.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTest>

using nlohmann::json;
using namespace pbi::sandbox;

namespace {

std::string str(const json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                  : std::string();
}

std::string message(const WireReply& r)
{
    const json j = r.json();
    return j.is_object() && j.contains("error") ? str(j["error"], "message") : std::string();
}

std::string code(const WireReply& r)
{
    const json j = r.json();
    return j.is_object() && j.contains("error") ? str(j["error"], "code") : std::string();
}

bool isPbiError(const WireReply& r, const std::string& c)
{
    const json j = r.json();
    return code(r) == c && j["error"].contains("pbi.error");
}

/// The access token's exp claim (seconds), read the way a client would.
qint64 bearerExp(const QByteArray& bearer)
{
    const QList<QByteArray> parts = bearer.mid(7).split('.');
    const QByteArray payload = QByteArray::fromBase64(
        parts.value(1), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const json claims = json::parse(payload.constData(), nullptr, false);
    return claims.is_object() ? claims.value("exp", qint64(0)) : 0;
}

qint64 isoSeconds(const std::string& iso)
{
    return QDateTime::fromString(QString::fromStdString(iso), Qt::ISODate).toSecsSinceEpoch();
}

/// The claims inside an embed token: base64 of gzip (one stored deflate block), JSON within.
json tokenClaims(const std::string& token)
{
    const QByteArray gz = QByteArray::fromBase64(QByteArray::fromStdString(token));
    if (gz.size() < 10 + 5 + 8 || quint8(gz[0]) != 0x1f || quint8(gz[1]) != 0x8b)
        return json();
    const QByteArray body = gz.mid(15, gz.size() - 15 - 8);
    return json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
}

} // namespace

class TestEmbedToken : public QObject {
    Q_OBJECT

    std::unique_ptr<PowerBiTestTenant> f;
    QByteArray console; ///< service principal: Member of Sales [Test], Contributor of Sales [Prod]
    QByteArray admin;   ///< delegated: a "master user", Admin everywhere
    QByteArray lee;     ///< delegated: Contributor everywhere
    QByteArray adele;   ///< delegated: Viewer everywhere

    WireReply post(const QByteArray& bearer, const QString& path, const json& body) const
    {
        QList<QPair<QByteArray, QByteArray>> h = {
            qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))};
        if (!bearer.isEmpty())
            h.append(qMakePair(QByteArray("Authorization"), bearer));
        return wireSend("POST", f->url(QStringLiteral("/v1.0/myorg") + path), h,
                        QByteArray::fromStdString(body.dump()));
    }
    WireReply control(const QByteArray& method, const QString& path, const json& body = {}) const
    {
        return wireSend(method, f->url(QStringLiteral("/sandbox/control/") + path),
                        {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                        body.is_null() ? QByteArray() : QByteArray::fromStdString(body.dump()));
    }
    QString reportPath(const std::string& workspace, std::size_t report) const
    {
        const Workspace& w = f->workspace(workspace);
        return QStringLiteral("/groups/%1/reports/%2/GenerateToken")
            .arg(qs(w.id), qs(w.reports.at(report).id));
    }
    /// Sales [Test]: reports[0] reads "Sales Analytics" (RLS, role "Region Managers"),
    /// reports[1] reads "Sales Targets" (no RLS).
    const Dataset& salesAnalytics() const { return f->workspace("Sales [Test]").datasets.at(0); }
    const Dataset& salesTargets() const { return f->workspace("Sales [Test]").datasets.at(1); }
    json identity(const Dataset& d, json roles = json::array({"Region Managers"})) const
    {
        return {{"username", "megan@contoso-sandbox.onmicrosoft.com"},
                {"roles", std::move(roles)},
                {"datasets", json::array({d.id})}};
    }

private Q_SLOTS:
    void initTestCase()
    {
        SandboxOptions o;
        o.tokenLifetimeSeconds = 1200; // 20 minutes: below the 60-90 of Entra, to see the cap
        f = std::make_unique<PowerBiTestTenant>(makeDemoTenant(), o);
        const auto& t = f->tenant();
        console = f->appBearer(t.apps[0]);
        const QString client = QString::fromLatin1(demo::kPublicClientId);
        admin = f->userBearer(t.users[0], client);
        lee = f->userBearer(t.users[2], client);
        adele = f->userBearer(t.users[3], client);
        QVERIFY(!console.isEmpty() && !admin.isEmpty() && !lee.isEmpty() && !adele.isEmpty());
    }
    void cleanupTestCase() { f.reset(); }

    void tokenHasTheServiceShape()
    {
        const WireReply r = post(console, reportPath("Sales [Test]", 1), {{"accessLevel", "View"}});
        QCOMPARE(r.status, 200);
        QVERIFY(!r.header("RequestId").isEmpty());
        const json j = r.json();
        QCOMPARE(j.size(), std::size_t(3));
        // Not a JWT: gzip + base64 like the service's "H4sI…", and decodable.
        QVERIFY2(str(j, "token").rfind("H4sI", 0) == 0, str(j, "token").c_str());
        QCOMPARE(qs(str(j, "tokenId")).size(), 36);
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"))
                    .match(qs(str(j, "expiration")))
                    .hasMatch());
        const json claims = tokenClaims(str(j, "token"));
        QVERIFY2(claims.is_object(), str(j, "token").c_str());
        QCOMPARE(str(claims, "tokenId"), str(j, "tokenId"));
        QCOMPARE(str(claims, "accessLevel"), std::string("View"));
        const Workspace& w = f->workspace("Sales [Test]");
        QVERIFY(claims["reports"] == json::array({w.reports[1].id}));
        QVERIFY(claims["datasets"] == json::array({salesTargets().id}));
        // Two tokens for the same thing are two tokens.
        const json again =
            post(console, reportPath("Sales [Test]", 1), {{"accessLevel", "View"}}).json();
        QVERIFY(str(again, "token") != str(j, "token"));
        QVERIFY(str(again, "tokenId") != str(j, "tokenId"));
    }

    void issuedTokensAreKeptForEmbedChecks()
    {
        const Workspace& w = f->workspace("Sales [Test]");
        const json issued =
            post(console, reportPath("Sales [Test]", 1), {{"accessLevel", "Edit"}}).json();
        const WireReply check =
            control("POST", QStringLiteral("embed/check"), {{"token", str(issued, "token")}});
        QCOMPARE(check.status, 200);
        const json c = check.json();
        QVERIFY2(c["valid"] == true, check.body.constData());
        QCOMPARE(str(c, "tokenId"), str(issued, "tokenId"));
        QCOMPARE(str(c, "expiration"), str(issued, "expiration"));
        QCOMPARE(str(c, "accessLevel"), std::string("Edit"));
        QVERIFY(c["editableReports"] == json::array({w.reports[1].id}));
        QCOMPARE(str(c, "operationId"), std::string("Reports_GenerateTokenInGroup"));
        const json unknown =
            control("POST", QStringLiteral("embed/check"), {{"token", "H4sIforged"}}).json();
        QVERIFY(unknown["valid"] == false);
        QCOMPARE(str(unknown, "reason"), std::string("unknown"));
        QCOMPARE(control("POST", QStringLiteral("embed/check"), {{"tokn", "x"}}).status, 400);
    }

    void rowLevelSecurityRules_data()
    {
        QTest::addColumn<int>("who"); // 0 service principal, 1 master user (admin)
        QTest::addColumn<int>("report");
        QTest::addColumn<QByteArray>("identities"); // JSON
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message"); // a substring of the service's message
        const std::string rls = f->workspace("Sales [Test]").datasets.at(0).id;
        const std::string plain = f->workspace("Sales [Test]").datasets.at(1).id;
        auto ids = [](const json& j) { return QByteArray::fromStdString(j.dump()); };
        const json good = json::array({identity(salesAnalytics())});
        QTest::newRow("RLS, identity") << 0 << 0 << ids(good) << 200 << QString();
        QTest::newRow("RLS, no identity, service principal")
            << 0 << 0 << ids(json::array()) << 400
            << QStringLiteral("Creating embed token for accessing dataset %1 requires effective "
                              "identity to be provided")
                   .arg(qs(rls));
        // cloud-rls.md: a master user without an identity sees the model unfiltered.
        QTest::newRow("RLS, no identity, master user")
            << 1 << 0 << ids(json::array()) << 200 << QString();
        QTest::newRow("no RLS, identity")
            << 0 << 1 << ids(json::array({identity(salesTargets())})) << 400
            << QStringLiteral("Creating embed token for accessing dataset %1 shouldn't have "
                              "effective identity")
                   .arg(qs(plain));
        QTest::newRow("RLS, no roles")
            << 0 << 0 << ids(json::array({identity(salesAnalytics(), json::array())})) << 400
            << QStringLiteral("requires roles to be included in provided effective identity");
        QTest::newRow("RLS, unknown role")
            << 0 << 0 << ids(json::array({identity(salesAnalytics(), json::array({"Sales"}))}))
            << 400 << QStringLiteral("the role 'Sales' doesn't exist in the dataset");
        json noUser = identity(salesAnalytics());
        noUser.erase("username");
        QTest::newRow("no username")
            << 0 << 0 << ids(json::array({noUser})) << 400 << QStringLiteral("needs a username");
        json spaces = identity(salesAnalytics());
        spaces["username"] = "megan bowen";
        QTest::newRow("username with spaces")
            << 0 << 0 << ids(json::array({spaces})) << 400 << QStringLiteral("contain no spaces");
        json noDatasets = identity(salesAnalytics());
        noDatasets["datasets"] = json::array();
        QTest::newRow("identity without datasets")
            << 0 << 0 << ids(json::array({noDatasets})) << 400
            << QStringLiteral("requires the datasets the identity applies to");
        QTest::newRow("identity for a dataset not in the request")
            << 0 << 0 << ids(json::array({identity(salesAnalytics()), identity(salesTargets())}))
            << 400
            << QStringLiteral("Dataset %1 of an effective identity is not one of the datasets")
                   .arg(qs(plain));
        QTest::newRow("two identities for one dataset")
            << 0 << 0 << ids(json::array({identity(salesAnalytics()), identity(salesAnalytics())}))
            << 400 << QStringLiteral("More than one effective identity");
        QTest::newRow("role with a comma")
            << 0 << 0 << ids(json::array({identity(salesAnalytics(), json::array({"a,b"}))})) << 400
            << QStringLiteral("no commas");
        json many = json::array();
        for (int i = 0; i < 51; ++i)
            many.push_back("Region Managers");
        QTest::newRow("51 roles") << 0 << 0 << ids(json::array({identity(salesAnalytics(), many)}))
                                  << 400 << QStringLiteral("up to 50 roles");
    }
    void rowLevelSecurityRules()
    {
        QFETCH(int, who);
        QFETCH(int, report);
        QFETCH(QByteArray, identities);
        QFETCH(int, status);
        QFETCH(QString, message);
        json body = {{"accessLevel", "View"}};
        const json ids = json::parse(identities.constData());
        if (!ids.empty())
            body["identities"] = ids;
        const WireReply r =
            post(who == 0 ? console : admin, reportPath("Sales [Test]", std::size_t(report)), body);
        QVERIFY2(r.status == status, r.body.constData());
        if (status == 400) {
            QCOMPARE(code(r), std::string("InvalidRequest"));
            QVERIFY2(qs(::message(r)).contains(message), r.body.constData());
        }
    }

    void callerNeedsMemberOrAdmin_data()
    {
        QTest::addColumn<int>("who"); // 0 console SP, 1 admin, 2 lee, 3 adele
        QTest::addColumn<QString>("workspace");
        QTest::addColumn<QString>("accessLevel");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("notAMember");
        QTest::newRow("SP Member")
            << 0 << QStringLiteral("Sales [Test]") << QStringLiteral("Edit") << 200 << false;
        QTest::newRow("SP Admin") << 0 << QStringLiteral("Embedded Portal [Prod]")
                                  << QStringLiteral("View") << 200 << false;
        // generate-embed-token.md: "at least a member" of the report's and the model's workspace.
        QTest::newRow("SP Contributor")
            << 0 << QStringLiteral("Sales [Prod]") << QStringLiteral("View") << 403 << false;
        QTest::newRow("SP Viewer")
            << 0 << QStringLiteral("Finance [Prod]") << QStringLiteral("View") << 403 << false;
        QTest::newRow("SP not in the workspace")
            << 0 << QStringLiteral("HR Analytics [Prod]") << QStringLiteral("View") << 403 << true;
        QTest::newRow("master user Admin")
            << 1 << QStringLiteral("Sales [Prod]") << QStringLiteral("Edit") << 200 << false;
        QTest::newRow("Contributor, edit")
            << 2 << QStringLiteral("Sales [Prod]") << QStringLiteral("Edit") << 403 << false;
        QTest::newRow("Viewer, edit")
            << 3 << QStringLiteral("Sales [Prod]") << QStringLiteral("Edit") << 403 << false;
        QTest::newRow("Viewer, view")
            << 3 << QStringLiteral("Sales [Prod]") << QStringLiteral("View") << 403 << false;
    }
    void callerNeedsMemberOrAdmin()
    {
        QFETCH(int, who);
        QFETCH(QString, workspace);
        QFETCH(QString, accessLevel);
        QFETCH(int, status);
        QFETCH(bool, notAMember);
        const QByteArray bearers[] = {console, admin, lee, adele};
        const Workspace& w = f->workspace(workspace.toStdString());
        // A report on a model without RLS, so that only the role decides.
        std::size_t report = 0;
        for (std::size_t i = 0; i < w.reports.size(); ++i) {
            const auto ref = f->tenant().findDataset(w.reports[i].datasetId);
            if (ref && f->tenant().workspaces[ref->workspace].datasets[ref->item].roles.empty())
                report = i;
        }
        json body = {{"accessLevel", accessLevel.toStdString()}};
        const auto ref = f->tenant().findDataset(w.reports[report].datasetId);
        if (ref && !f->tenant().workspaces[ref->workspace].datasets[ref->item].roles.empty())
            body["identities"] =
                json::array({identity(f->tenant().workspaces[ref->workspace].datasets[ref->item],
                                      json::array({"Region Managers"}))});
        const WireReply r = post(bearers[who], reportPath(w.name, report), body);
        QVERIFY2(r.status == status, r.body.constData());
        if (status == 403) {
            QVERIFY2(isPbiError(r, "PowerBINotAuthorizedException"), r.body.constData());
            QCOMPARE(r.header("X-PowerBI-Error-Info") == "GroupNotAccessible", notAMember);
        }
    }

    void unknownIdsAndBadRequests()
    {
        const Workspace& w = f->workspace("Sales [Test]");
        const QString unknownGroup =
            QStringLiteral("/groups/00000000-0000-4000-8000-000000000000/reports/%1/GenerateToken")
                .arg(qs(w.reports[1].id));
        const WireReply group = post(console, unknownGroup, json::object());
        QCOMPARE(group.status, 403);
        QCOMPARE(group.header("X-PowerBI-Error-Info"), QByteArray("GroupNotAccessible"));
        const WireReply report = post(
            console,
            QStringLiteral("/groups/%1/reports/00000000-0000-4000-8000-000000000000/GenerateToken")
                .arg(qs(w.id)),
            json::object());
        QCOMPARE(report.status, 404);
        QVERIFY(isPbiError(report, "PowerBIEntityNotFound"));
        const WireReply create =
            post(console, reportPath("Sales [Test]", 1), {{"accessLevel", "Create"}});
        QCOMPARE(create.status, 400);
        QVERIFY(qs(::message(create)).contains(QStringLiteral("report creation only")));
        const WireReply level =
            post(console, reportPath("Sales [Test]", 1), {{"accessLevel", "Own"}});
        QCOMPARE(level.status, 400);
        QCOMPARE(code(level), std::string("InvalidRequest"));
        const WireReply notJson =
            wireSend("POST", f->url(QStringLiteral("/v1.0/myorg") + reportPath("Sales [Test]", 1)),
                     {qMakePair(QByteArray("Authorization"), console)}, "{not json");
        QCOMPARE(notJson.status, 400);
        // "You cannot create an embed token for My workspace" (generate-embed-token.md).
        for (const auto& personal : f->tenant().workspaces) {
            if (personal.type != "PersonalGroup" || personal.reports.empty())
                continue;
            const WireReply mine = post(admin,
                                        QStringLiteral("/groups/%1/reports/%2/GenerateToken")
                                            .arg(qs(personal.id), qs(personal.reports[0].id)),
                                        json::object());
            QCOMPARE(mine.status, 400);
            QVERIFY(qs(::message(mine)).contains(QStringLiteral("My workspace")));
        }
        // Enum values are case-insensitive.
        QCOMPARE(post(console, reportPath("Sales [Test]", 1), {{"accessLevel", "view"}}).status,
                 200);
    }

    void lifetimeIsCappedByTheAccessToken()
    {
        const qint64 exp = bearerExp(console);
        QVERIFY(exp > 0);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        // Default: the access token's remaining lifetime (generate-embed-token.md).
        const json byDefault =
            post(console, reportPath("Sales [Test]", 1), {{"accessLevel", "View"}}).json();
        QVERIFY2(qAbs(isoSeconds(str(byDefault, "expiration")) - exp) <= 1,
                 byDefault.dump().c_str());
        // Shorter on request…
        const json five = post(console, reportPath("Sales [Test]", 1),
                               {{"accessLevel", "View"}, {"lifetimeInMinutes", 5}})
                              .json();
        QVERIFY2(qAbs(isoSeconds(str(five, "expiration")) - (now + 300)) <= 30,
                 five.dump().c_str());
        // …but never longer than the access token (here 20 minutes).
        const json long_ = post(console, reportPath("Sales [Test]", 1),
                                {{"accessLevel", "View"}, {"lifetimeInMinutes", 600}})
                               .json();
        QVERIFY2(qAbs(isoSeconds(str(long_, "expiration")) - exp) <= 1, long_.dump().c_str());
        // 0 is null: the default.
        const json zero = post(console, reportPath("Sales [Test]", 1),
                               {{"accessLevel", "View"}, {"lifetimeInMinutes", 0}})
                              .json();
        QVERIFY(qAbs(isoSeconds(str(zero, "expiration")) - exp) <= 1);
        const WireReply negative = post(console, reportPath("Sales [Test]", 1),
                                        {{"accessLevel", "View"}, {"lifetimeInMinutes", -1}});
        QCOMPARE(negative.status, 400);
        QVERIFY(qs(::message(negative)).contains(QStringLiteral("lifetimeInMinutes")));
    }

    void multiResourceToken()
    {
        const Workspace& sales = f->workspace("Sales [Test]");
        const Workspace& portal = f->workspace("Embedded Portal [Prod]");
        const Dataset& portalModel = portal.datasets.at(0); // RLS: Region Managers, Customer
        // The spec's first example: two models with RLS, one identity each, one report.
        const json body = {
            {"datasets", json::array({{{"id", salesAnalytics().id}}, {{"id", portalModel.id}}})},
            {"reports", json::array({{{"id", sales.reports[0].id}}})},
            {"identities", json::array({identity(salesAnalytics()),
                                        {{"username", "customer-42"},
                                         {"roles", json::array({"Customer"})},
                                         {"customData", "DE"},
                                         {"datasets", json::array({portalModel.id})}}})},
            {"lifetimeInMinutes", 10}};
        const WireReply r = post(console, QStringLiteral("/GenerateToken"), body);
        QVERIFY2(r.status == 200, r.body.constData());
        const json c =
            control("POST", QStringLiteral("embed/check"), {{"token", str(r.json(), "token")}})
                .json();
        QCOMPARE(c["datasets"].size(), std::size_t(2));
        QCOMPARE(str(c, "accessLevel"), std::string("View"));
        QCOMPARE(str(c, "operationId"), std::string("EmbedToken_GenerateToken"));

        // One of the two identities missing: the model it was for refuses.
        json missing = body;
        missing["identities"].erase(1);
        const WireReply m = post(console, QStringLiteral("/GenerateToken"), missing);
        QCOMPARE(m.status, 400);
        QVERIFY2(qs(::message(m))
                     .contains(QStringLiteral("dataset %1 requires effective identity")
                                   .arg(qs(portalModel.id))),
                 m.body.constData());

        // The report's own model is reached through it: its RLS applies without listing it.
        const WireReply viaReport =
            post(console, QStringLiteral("/GenerateToken"),
                 {{"reports", json::array({{{"id", sales.reports[0].id}}})}});
        QCOMPARE(viaReport.status, 400);
        QVERIFY(qs(::message(viaReport)).contains(QStringLiteral("requires effective identity")));

        // allowEdit and targetWorkspaces: an Edit / Create token.
        const WireReply edit =
            post(console, QStringLiteral("/GenerateToken"),
                 {{"datasets", json::array({{{"id", salesTargets().id}}})},
                  {"reports", json::array({{{"id", sales.reports[1].id}, {"allowEdit", true}}})},
                  {"targetWorkspaces", json::array({{{"id", sales.id}}})}});
        QVERIFY2(edit.status == 200, edit.body.constData());
        const json ec =
            control("POST", QStringLiteral("embed/check"), {{"token", str(edit.json(), "token")}})
                .json();
        QVERIFY(ec["editableReports"] == json::array({sales.reports[1].id}));
        QVERIFY(ec["targetWorkspaces"] == json::array({sales.id}));
    }

    void multiResourceLimitsAndScopes()
    {
        const Workspace& sales = f->workspace("Sales [Test]");
        auto many = [](const std::string& id) {
            json a = json::array();
            for (int i = 0; i < 51; ++i)
                a.push_back({{"id", id}});
            return a;
        };
        for (const char* key : {"datasets", "reports", "targetWorkspaces"}) {
            const std::string id = std::string(key) == "datasets"  ? salesTargets().id
                                   : std::string(key) == "reports" ? sales.reports[1].id
                                                                   : sales.id;
            json body = {{key, many(id)}};
            if (std::string(key) == "targetWorkspaces")
                body["datasets"] = json::array({{{"id", salesTargets().id}}});
            const WireReply r = post(console, QStringLiteral("/GenerateToken"), body);
            QCOMPARE(r.status, 400);
            QVERIFY2(qs(::message(r)).contains(QStringLiteral("at most 50")), r.body.constData());
        }
        const WireReply empty = post(console, QStringLiteral("/GenerateToken"), json::object());
        QCOMPARE(empty.status, 400);
        QVERIFY(qs(::message(empty)).contains(QStringLiteral("at least one report or dataset")));
        const WireReply noId = post(console, QStringLiteral("/GenerateToken"),
                                    {{"datasets", json::array({json::object()})}});
        QCOMPARE(noId.status, 400);
        const WireReply unknown =
            post(console, QStringLiteral("/GenerateToken"),
                 {{"datasets", json::array({{{"id", "00000000-0000-4000-8000-000000000000"}}})}});
        QCOMPARE(unknown.status, 404);
        QVERIFY(isPbiError(unknown, "PowerBIEntityNotFound"));
        // Delegated: allowEdit needs Report.ReadWrite.All and targetWorkspaces Content.Create,
        // which the demo's public client has no consent for.
        const WireReply view = post(admin, QStringLiteral("/GenerateToken"),
                                    {{"reports", json::array({{{"id", sales.reports[1].id}}})}});
        QVERIFY2(view.status == 200, view.body.constData());
        const WireReply edit =
            post(admin, QStringLiteral("/GenerateToken"),
                 {{"reports", json::array({{{"id", sales.reports[1].id}, {"allowEdit", true}}})}});
        QCOMPARE(edit.status, 401);
        QVERIFY(isPbiError(edit, "PowerBINotAuthorizedException"));
        const WireReply target = post(admin, QStringLiteral("/GenerateToken"),
                                      {{"datasets", json::array({{{"id", salesTargets().id}}})},
                                       {"targetWorkspaces", json::array({{{"id", sales.id}}})}});
        QCOMPARE(target.status, 401);
    }

    void datasetDashboardTileAndCreate()
    {
        const Workspace& w = f->workspace("Sales [Test]");
        const QString g = QStringLiteral("/groups/") + qs(w.id);
        const WireReply model = post(
            console, g + QStringLiteral("/datasets/%1/GenerateToken").arg(qs(salesTargets().id)),
            {{"accessLevel", "View"}});
        QVERIFY2(model.status == 200, model.body.constData());
        QCOMPARE(post(console,
                      g + QStringLiteral("/datasets/%1/GenerateToken").arg(qs(salesTargets().id)),
                      {{"accessLevel", "Edit"}})
                     .status,
                 400);

        QVERIFY(!w.dashboards.empty());
        const Dashboard& d = w.dashboards[0];
        const QString dash = g + QStringLiteral("/dashboards/%1/GenerateToken").arg(qs(d.id));
        // Its tiles show the RLS model: an identity is required for it.
        const WireReply noIdentity = post(console, dash, {{"accessLevel", "View"}});
        QCOMPARE(noIdentity.status, 400);
        QVERIFY(qs(::message(noIdentity)).contains(QStringLiteral("requires effective identity")));
        const WireReply ok = post(
            console, dash,
            {{"accessLevel", "View"}, {"identities", json::array({identity(salesAnalytics())})}});
        QVERIFY2(ok.status == 200, ok.body.constData());
        QCOMPARE(post(console, dash, {{"accessLevel", "Edit"}}).status, 400);

        const Tile* tile = nullptr;
        for (const auto& t : d.tiles)
            if (t.datasetId == salesTargets().id)
                tile = &t;
        QVERIFY(tile);
        const WireReply tileToken = post(
            console,
            g + QStringLiteral("/dashboards/%1/tiles/%2/GenerateToken").arg(qs(d.id), qs(tile->id)),
            {{"accessLevel", "View"}});
        QVERIFY2(tileToken.status == 200, tileToken.body.constData());
        QCOMPARE(
            post(console,
                 g + QStringLiteral("/dashboards/%1/tiles/00000000-0000-4000-8000-000000000000/"
                                    "GenerateToken")
                         .arg(qs(d.id)),
                 {{"accessLevel", "View"}})
                .status,
            404);

        const QString create = g + QStringLiteral("/reports/GenerateToken");
        const WireReply created =
            post(console, create, {{"accessLevel", "Create"}, {"datasetId", salesTargets().id}});
        QVERIFY2(created.status == 200, created.body.constData());
        QCOMPARE(post(console, create, {{"accessLevel", "Create"}}).status, 400);
        QCOMPARE(post(console, create, {{"accessLevel", "View"}, {"datasetId", salesTargets().id}})
                     .status,
                 400);
    }

    void sharedCapacityQuota()
    {
        // Finance [Dev] has no capacity: tokens there are free "trial" tokens, limited.
        const Workspace& dev = f->workspace("Finance [Dev]");
        QVERIFY(!dev.capacityId);
        const Dataset& budget = dev.datasets.at(1); // no RLS
        QVERIFY(budget.roles.empty());
        const QString path =
            QStringLiteral("/groups/%1/datasets/%2/GenerateToken").arg(qs(dev.id), qs(budget.id));
        QCOMPARE(control("PATCH", QStringLiteral("embed"),
                         {{"sharedCapacityQuota", 2}, {"resetSharedCapacityCounts", true}})
                     .status,
                 200);
        QCOMPARE(post(console, path, json::object()).status, 200);
        QCOMPARE(post(console, path, json::object()).status, 200);
        const WireReply third = post(console, path, json::object());
        QCOMPARE(third.status, 403);
        QCOMPARE(::message(third), std::string("The user has exceeded the amount of embed token "
                                               "that can be generated on a shared capacity."));
        // Tokens on a capacity are not counted; other callers have their own count.
        QCOMPARE(post(console, reportPath("Sales [Test]", 1), json::object()).status, 200);
        QCOMPARE(post(admin, path, json::object()).status, 200);
        const json state = control("GET", QStringLiteral("embed")).json();
        QCOMPARE(state["sharedCapacityQuota"].get<int>(), 2);
        QCOMPARE(control("PATCH", QStringLiteral("embed"), {{"sharedCapacityQuota", -1}}).status,
                 400);
        QCOMPARE(control("PATCH", QStringLiteral("embed"), {{"quota", 1}}).status, 400);
        QCOMPARE(control("PATCH", QStringLiteral("embed"),
                         {{"sharedCapacityQuota", 100}, {"resetSharedCapacityCounts", true}})
                     .status,
                 200);
        QCOMPARE(post(console, path, json::object()).status, 200);
    }

    void issuedTokensExpire()
    {
        // Last: it moves the fixture's sandbox clock forward.
        const json issued = post(console, reportPath("Sales [Test]", 1),
                                 {{"accessLevel", "View"}, {"lifetimeInMinutes", 1}})
                                .json();
        auto check = [&] {
            return control("POST", QStringLiteral("embed/check"), {{"token", str(issued, "token")}})
                .json();
        };
        QVERIFY(check()["valid"] == true);
        f->sandbox().advanceClock(2 * 60 * 1000);
        const json c = check();
        QVERIFY(c["valid"] == false);
        QCOMPARE(str(c, "reason"), std::string("expired"));
        QCOMPARE(str(c, "tokenId"), str(issued, "tokenId"));
    }

    void tenantSettings()
    {
        Tenant t = makeDemoTenant();
        t.settings.servicePrincipalsCanUseApis = false;
        t.settings.embedContentInApps = false;
        t.reindex();
        PowerBiTestTenant s(t);
        const QByteArray sp = s.appBearer(t.apps[0]);
        const QByteArray user =
            s.userBearer(t.users[0], QString::fromLatin1(demo::kPublicClientId));
        const Workspace& w = s.workspace("Sales [Test]");
        const QUrl url = s.url(QStringLiteral("/v1.0/myorg/groups/%1/reports/%2/GenerateToken")
                                   .arg(qs(w.id), qs(w.reports[1].id)));
        const QList<QPair<QByteArray, QByteArray>> json_ = {
            qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))};
        // "Service principals can call Fabric public APIs" off: the capital-M body.
        WireReply r =
            wireSend("POST", url, json_ + QList{qMakePair(QByteArray("Authorization"), sp)}, "{}");
        QCOMPARE(r.status, 401);
        QCOMPARE(str(r.json(), "Message"), std::string("API is not accessible for application"));
        // "Embed content in apps" off: nobody embeds.
        r = wireSend("POST", url, json_ + QList{qMakePair(QByteArray("Authorization"), user)},
                     "{}");
        QCOMPARE(r.status, 403);
        // No token at all: the 403 with an empty body of every Power BI route.
        r = wireSend("POST", url, json_, "{}");
        QCOMPARE(r.status, 403);
        QVERIFY(r.body.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEmbedToken)
#include "tst_embedtoken.moc"
