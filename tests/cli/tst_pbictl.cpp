// pbictl as a user or a pipeline runs it: a separate process, its output parsed back, its
// exit codes checked, against the sandbox over loopback.

#include "PbictlRunner.h"
#include "SandboxFixture.h"

#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace pbi;

using Run = PbictlRun;

class TestPbictl : public QObject {
    Q_OBJECT

    PbictlRunner m_runner;
    std::unique_ptr<SandboxFixture> f;

    QString configFile() const { return m_runner.configFile(); }
    Run run(const QStringList& args, const QByteArray& input = {}, const QStringList& extraEnv = {})
    {
        return m_runner.run(args, input, extraEnv);
    }
    QString saveProfile(const QString& name) { return m_runner.saveProfile(*f, name); }

private Q_SLOTS:
    void init() { f = std::make_unique<SandboxFixture>(); }
    void cleanup()
    {
        f.reset();
        QFile::remove(configFile());
    }

    void helpAndUsage()
    {
        const Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("Exit codes:"));
        QCOMPARE(run({}).exitCode, 2);
        const Run bogus = run({QStringLiteral("bogus")});
        QCOMPARE(bogus.exitCode, 2);
        QVERIFY(bogus.err.contains("unknown command 'bogus'"));
        QCOMPARE(run({QStringLiteral("--frobnicate"), QStringLiteral("workspaces")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("--profile"), QStringLiteral("nope"), QStringLiteral("workspaces")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("--sandbox"), QStringLiteral("workspaces"), QStringLiteral("--what")}).exitCode, 2);
    }

    void workspacesAsJsonAndTable()
    {
        const Run json = run({QStringLiteral("--sandbox"), QStringLiteral("--json"), QStringLiteral("workspaces")});
        QCOMPARE(json.exitCode, 0);
        const auto list = json.json();
        QVERIFY2(list.is_array(), json.out.constData());
        QCOMPARE(list.size(), std::size_t(22));
        for (const auto& w : list) {
            QVERIFY(w["id"].is_string());
            QVERIFY(w["name"].is_string());
            QCOMPARE(w.contains("capacityId"), w["isOnDedicatedCapacity"].get<bool>());
        }
        const Run table = run({QStringLiteral("--sandbox"), QStringLiteral("workspaces"), QStringLiteral("--filter"), QStringLiteral("finance")});
        QCOMPARE(table.exitCode, 0);
        const QList<QByteArray> lines = table.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2 + 3); // header, rule, three Finance workspaces
        QVERIFY(lines[0].startsWith("Name"));
        QVERIFY(lines[2].startsWith("Finance [Dev]"));
    }

    void savedProfileWithSecretFromStdinAndEnvironment()
    {
        saveProfile(QStringLiteral("Contoso Test"));
        const Run stdinRun = run({QStringLiteral("--profile"), QStringLiteral("contoso test"), QStringLiteral("--secret-stdin"),
                                  QStringLiteral("--json"), QStringLiteral("whoami")},
                                 f->clientSecret().toUtf8() + '\n');
        QCOMPARE(stdinRun.exitCode, 0);
        const auto who = stdinRun.json();
        QCOMPARE(QString::fromStdString(who["tenantId"].get<std::string>()), f->tenantId());
        QCOMPARE(who["workspaceCount"].get<int>(), 22);
        QCOMPARE(QString::fromStdString(who["connection"].get<std::string>()), QStringLiteral("Contoso Test"));

        const Run envRun = run({QStringLiteral("--json"), QStringLiteral("workspaces")}, {},
                               {QStringLiteral("PBICTL_PROFILE=Contoso Test"), QStringLiteral("PBI_CLIENT_SECRET=") + f->clientSecret()});
        QCOMPARE(envRun.exitCode, 0);
        QCOMPARE(envRun.json().size(), std::size_t(22));
        QVERIFY(!envRun.out.contains(f->clientSecret().toUtf8()));
        QVERIFY(!envRun.err.contains(f->clientSecret().toUtf8()));
    }

    void wrongSecretIsExitCode3WithEntrasCode()
    {
        saveProfile(QStringLiteral("Wrong"));
        const Run r = run({QStringLiteral("--profile"), QStringLiteral("Wrong"), QStringLiteral("workspaces")}, {},
                          {QStringLiteral("PBI_CLIENT_SECRET=Kq2-not-the-secret")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("AADSTS7000215"), r.err.constData());
        QVERIFY(r.err.contains("Request id:"));
        QVERIFY(r.err.contains("Likely fix:"));
        QVERIFY(!r.err.contains("Kq2-not-the-secret"));
        QVERIFY(r.out.isEmpty());
    }

    void missingSecretIsExitCode3()
    {
        saveProfile(QStringLiteral("No secret"));
        const Run r = run({QStringLiteral("--profile"), QStringLiteral("No secret"), QStringLiteral("whoami")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("secret"), r.err.constData());
    }

    void unreachableServiceIsExitCode7()
    {
        const QString id = saveProfile(QStringLiteral("Gone"));
        f.reset(); // the service goes away
        const Run r = run({QStringLiteral("--profile"), id, QStringLiteral("workspaces")}, {},
                          {QStringLiteral("PBI_CLIENT_SECRET=x")});
        QCOMPARE(r.exitCode, 7);
        QVERIFY(r.err.contains("refused"));
        f = std::make_unique<SandboxFixture>();
    }

    void tokenGetThenDecode()
    {
        const Run get = run({QStringLiteral("--sandbox"), QStringLiteral("token"), QStringLiteral("get")});
        QCOMPARE(get.exitCode, 0);
        QVERIFY(get.out.startsWith("eyJ"));
        const Run decode = run({QStringLiteral("--json"), QStringLiteral("token"), QStringLiteral("decode"), QStringLiteral("-")}, get.out);
        QCOMPARE(decode.exitCode, 0);
        const auto j = decode.json();
        QCOMPARE(j["claims"]["aud"].get<std::string>(), std::string("https://analysis.windows.net/powerbi/api"));
        QCOMPARE(j["claims"]["idtyp"].get<std::string>(), std::string("app"));
        QCOMPARE(j["header"]["alg"].get<std::string>(), std::string("RS256"));
        const Run garbage = run({QStringLiteral("token"), QStringLiteral("decode"), QStringLiteral("not-a-token")});
        QCOMPARE(garbage.exitCode, 2);
        QVERIFY(garbage.err.contains("embed token"));
    }

    void snapshotSaveAndDiff()
    {
        const QString a = m_runner.filePath(QStringLiteral("a.json"));
        const Run save = run({QStringLiteral("--sandbox"), QStringLiteral("--json"), QStringLiteral("snapshot"), QStringLiteral("save"), a});
        QCOMPARE(save.exitCode, 0);
        QCOMPARE(save.json()["workspaces"].get<int>(), 22);
        QVERIFY(save.json()["items"].get<int>() > 22);
        QFile f(a);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto doc = nlohmann::json::parse(f.readAll().toStdString());
        f.close();
        doc["workspaces"][0]["name"] = "Renamed";
        doc["workspaces"][1]["reports"].erase(0);
        const QString b = m_runner.filePath(QStringLiteral("b.json"));
        QFile g(b);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray::fromStdString(doc.dump()));
        g.close();

        const Run same = run({QStringLiteral("snapshot"), QStringLiteral("diff"), a, a});
        QCOMPARE(same.exitCode, 0);
        QVERIFY(same.out.contains("No differences."));
        const Run changes = run({QStringLiteral("--json"), QStringLiteral("snapshot"), QStringLiteral("diff"), a, b});
        QCOMPARE(changes.exitCode, 0);
        const auto list = changes.json();
        QCOMPARE(list.size(), std::size_t(2));
        QCOMPARE(list[0]["change"].get<std::string>(), std::string("changed"));
        QCOMPARE(list[1]["change"].get<std::string>(), std::string("removed"));
        QCOMPARE(list[1]["kind"].get<std::string>(), std::string("report"));
        const Run missing = run({QStringLiteral("snapshot"), QStringLiteral("diff"), a, QStringLiteral("/nonexistent.json")});
        QCOMPARE(missing.exitCode, 2);
    }

    void profilesList()
    {
        saveProfile(QStringLiteral("Alpha"));
        const Run r = run({QStringLiteral("--json"), QStringLiteral("profiles")});
        QCOMPARE(r.exitCode, 0);
        const auto j = r.json();
        QCOMPARE(j.size(), std::size_t(1));
        QCOMPARE(j[0]["name"].get<std::string>(), std::string("Alpha"));
        QCOMPARE(j[0]["environment"].get<std::string>(), std::string("Test"));
        const Run table = run({QStringLiteral("profiles")});
        QVERIFY(table.out.contains("sandbox"));
        QVERIFY(table.out.contains("Alpha"));
    }

    void itemsShowProbeAndAdminWorkspaces()
    {
        Run r = run({QStringLiteral("--sandbox"), QStringLiteral("--json"), QStringLiteral("items"), QStringLiteral("Sales [Prod]"),
                     QStringLiteral("--kind"), QStringLiteral("models")});
        QCOMPARE(r.exitCode, 0);
        auto list = r.json();
        QVERIFY(list.is_array() && list.size() == 2);
        for (const auto& x : list)
            QCOMPARE(x["kind"].get<std::string>(), std::string("model"));
        QCOMPARE(run({QStringLiteral("--sandbox"), QStringLiteral("items"), QStringLiteral("Sales [Prod]"), QStringLiteral("--kind"),
                      QStringLiteral("cubes")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("--sandbox"), QStringLiteral("items"), QStringLiteral("Nowhere")}).exitCode, 5);

        r = run({QStringLiteral("--sandbox"), QStringLiteral("--json"), QStringLiteral("show"), QStringLiteral("Sales [Prod]"),
                 QStringLiteral("sales analytics")});
        QCOMPARE(r.exitCode, 0);
        const auto item = r.json();
        QCOMPARE(item["kind"].get<std::string>(), std::string("model"));
        QCOMPARE(item["Row-level security"].get<std::string>(), std::string("yes"));
        QCOMPARE(run({QStringLiteral("--sandbox"), QStringLiteral("show"), QStringLiteral("Sales [Prod]"), QStringLiteral("Nothing")}).exitCode, 5);

        r = run({QStringLiteral("--sandbox"), QStringLiteral("--json"), QStringLiteral("probe")});
        QCOMPARE(r.exitCode, 0);
        list = r.json();
        QCOMPARE(list.size(), std::size_t(13));
        bool appsRefused = false;
        for (const auto& x : list)
            if (x["call"] == "GET /apps")
                appsRefused = x["result"] == "refused" && !x["error"]["likelyFix"].get<std::string>().empty();
        QVERIFY(appsRefused);

        r = run({QStringLiteral("--sandbox"), QStringLiteral("--json"), QStringLiteral("workspaces"), QStringLiteral("--admin")});
        QCOMPARE(r.exitCode, 0);
        list = r.json();
        QVERIFY(list.size() > 22); // the whole tenant, including workspaces the principal is no member of
        for (const auto& x : list)
            QVERIFY(!x["state"].get<std::string>().empty());
    }
};

QTEST_GUILESS_MAIN(TestPbictl)
#include "tst_pbictl.moc"
