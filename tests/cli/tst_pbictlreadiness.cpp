// pbictl readiness as a pipeline runs it: the review against the sandbox, --json parsed back,
// attestations recorded in a review file and honoured, exports written, and the exit codes
// a script branches on. Never a secret in the output.

#include "PbictlRunner.h"
#include "SandboxFixture.h"

#include <QFile>
#include <QTest>

using namespace pbi;

namespace {

QStringList args(std::initializer_list<const char*> list)
{
    QStringList out;
    for (const char* a : list)
        out << QString::fromUtf8(a);
    return out;
}

const nlohmann::json* check(const nlohmann::json& report, const char* id)
{
    for (const auto& c : report["checks"])
        if (c["id"] == id)
            return &c;
    return nullptr;
}

std::string statusOf(const nlohmann::json& report, const char* id)
{
    const nlohmann::json* c = check(report, id);
    return c ? (*c)["status"].get<std::string>() : std::string("(missing)");
}

} // namespace

class TestPbictlReadiness : public QObject {
    Q_OBJECT

    PbictlRunner m_runner;

    PbictlRun run(const QStringList& a, const QStringList& env = {}) const { return m_runner.run(a, {}, env, 90000); }

private Q_SLOTS:
    void cleanup() { m_runner.forgetProfiles(); }

    void listsTheCatalogue()
    {
        const PbictlRun r = run(args({"--json", "readiness", "--list"}));
        QCOMPARE(r.exitCode, 0);
        const auto list = r.json();
        QVERIFY2(list.is_array(), r.out.constData());
        QCOMPARE(list.size(), std::size_t(19));
        QCOMPARE(list[0]["id"].get<std::string>(), std::string("identity.app-only"));
        const PbictlRun table = run(args({"readiness", "--list"}));
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("logging.request-id"));
        QVERIFY(run(args({"--help"})).out.contains("readiness --attestations FILE --attest CHECK=pass|fail|na"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("fail-on") << args({"--sandbox", "readiness", "--fail-on", "sometimes"}) << QByteArray("--fail-on takes fail, warn or never");
        QTest::newRow("naming") << args({"--sandbox", "readiness", "--naming", "([x"}) << QByteArray("not a valid regular expression");
        QTest::newRow("export format") << args({"--sandbox", "readiness", "--export", "r.txt"}) << QByteArray("name it .md, .csv or .json");
        QTest::newRow("unknown option") << args({"--sandbox", "readiness", "--frobnicate"}) << QByteArray("unexpected argument '--frobnicate'");
        QTest::newRow("missing value") << args({"--sandbox", "readiness", "--workspace"}) << QByteArray("or its value is missing");
        QTest::newRow("attest without file") << args({"--sandbox", "readiness", "--attest", "logging.request-id=pass", "--by", "A"})
                                             << QByteArray("--attestations FILE");
        QTest::newRow("attest bad status") << args({"--sandbox", "readiness", "--attestations", "x.json", "--attest", "logging.request-id=maybe", "--by", "A"})
                                           << QByteArray("CHECK=pass|fail|na");
        QTest::newRow("attest live check") << args({"--sandbox", "readiness", "--attestations", "x.json", "--attest", "identity.app-only=pass", "--by", "A"})
                                           << QByteArray("cannot be attested");
        QTest::newRow("attest without name") << args({"--sandbox", "readiness", "--attestations", "x.json", "--attest", "logging.request-id=pass"})
                                             << QByteArray("a name is required");
        QTest::newRow("attest a token") << args({"--sandbox", "readiness", "--attestations", "x.json", "--attest", "logging.request-id=pass", "--by", "A",
                                                 "--comment", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi.eyJhdWQiOiJodHRwczovL2Fu"})
                                        << QByteArray("token or a secret");
        QTest::newRow("by without attest") << args({"--sandbox", "readiness", "--by", "A"}) << QByteArray("go with --attest");
    }
    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        const PbictlRun r = run(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
        QVERIFY(!QFile::exists(QStringLiteral("x.json")));
    }

    // The whole demo tenant: production on shared capacity and environments mixed — not ready.
    void demoTenantIsNotReady()
    {
        PbictlRun r = run(args({"--sandbox", "--json", "readiness"}));
        QCOMPARE(r.exitCode, 1);
        const auto report = r.json();
        QVERIFY2(report.is_object(), r.out.constData());
        QCOMPARE(report["schemaVersion"].get<int>(), 1);
        QCOMPARE(report["verdict"].get<std::string>(), std::string("not-ready"));
        QCOMPARE(report["checks"].size(), std::size_t(19));
        QCOMPARE(statusOf(report, "environments.prod-capacity"), std::string("fail"));
        QCOMPARE(statusOf(report, "privilege.api-reach"), std::string("warn"));
        QVERIFY(r.err.contains("19 checks on 22 workspace(s): Not ready"));
        QVERIFY(!r.out.contains("sandbox-secret-change-me") && !r.err.contains("sandbox-secret-change-me"));
        // --fail-on never: the same verdict, exit 0.
        r = run(args({"--sandbox", "readiness", "--no-probe", "--fail-on", "never"}));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Verdict: Not ready"));
        QVERIFY(r.out.contains("[FAIL] environments.prod-capacity"));
        QVERIFY(r.out.contains("'IT Operations [Prod]'"));
    }

    // One production workspace, attestations recorded through the command line: ready with
    // warnings — exit 0, or 1 with --fail-on warn.
    void attestationsAndExports()
    {
        const QString file = m_runner.filePath(QStringLiteral("review.json"));
        const QStringList base = args({"--sandbox", "readiness", "--workspace", "Sales [Prod]", "--no-probe"});
        PbictlRun r = run(base);
        QCOMPARE(r.exitCode, 1); // incomplete: three checks need a person's word
        QVERIFY(r.out.contains("Needs a person's attestation"));

        r = run(args({"--sandbox", "--json", "readiness"}) +
                QStringList{QStringLiteral("--attestations"), file, QStringLiteral("--attest"), QStringLiteral("logging.request-id=pass"),
                            QStringLiteral("--by"), QStringLiteral("Alice Auditor"), QStringLiteral("--comment"), QStringLiteral("logs every RequestId")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json()["attestations"].get<int>(), 1);
        for (const char* attest : {"retries.backoff=pass", "secrets.rotation=PASS", "logging.request-id=pass"}) {
            r = run(QStringList{QStringLiteral("--sandbox"), QStringLiteral("readiness"), QStringLiteral("--attestations"), file,
                                QStringLiteral("--attest"), QString::fromLatin1(attest), QStringLiteral("--by"), QStringLiteral("Bob Builder")});
            QCOMPARE(r.exitCode, 0);
            QVERIFY(r.out.startsWith("Recorded in "));
        }
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto review = nlohmann::json::parse(f.readAll().toStdString());
        QCOMPARE(review["kind"].get<std::string>(), std::string("pbi-console-readiness-review"));
        QCOMPARE(review["attestations"].size(), std::size_t(3)); // the second logging one replaced the first
        f.close();

        const QString md = m_runner.filePath(QStringLiteral("r.md"));
        const QString csv = m_runner.filePath(QStringLiteral("r.csv"));
        const QString json = m_runner.filePath(QStringLiteral("r.json"));
        const QStringList withFile = base + QStringList{QStringLiteral("--attestations"), file};
        r = run(withFile + QStringList{QStringLiteral("--export"), md, QStringLiteral("--export"), csv, QStringLiteral("--export"), json});
        QCOMPARE(r.exitCode, 0); // ready with warnings
        QVERIFY2(r.out.contains("Verdict: Ready with warnings"), r.out.constData());
        QVERIFY(r.out.contains("attested by Bob Builder"));
        QVERIFY(r.err.contains("Exported to "));
        QCOMPARE(run(withFile + QStringList{QStringLiteral("--fail-on"), QStringLiteral("warn")}).exitCode, 1);

        for (const QString& path : {md, csv, json}) {
            QFile out(path);
            QVERIFY2(out.open(QIODevice::ReadOnly), qPrintable(path));
            const QByteArray data = out.readAll();
            QVERIFY(data.contains("logging.request-id"));
            QVERIFY(!data.contains("sandbox-secret-change-me"));
            QVERIFY(!data.contains("eyJ")); // no token, not even a part of one
        }
        QFile jf(json);
        QVERIFY(jf.open(QIODevice::ReadOnly));
        const auto exported = nlohmann::json::parse(jf.readAll().toStdString());
        QCOMPARE(exported["verdict"].get<std::string>(), std::string("ready-with-warnings"));
        QCOMPARE((*check(exported, "logging.request-id"))["attestation"]["by"].get<std::string>(), std::string("Bob Builder"));
        QFile cf(csv);
        QVERIFY(cf.open(QIODevice::ReadOnly));
        QCOMPARE(cf.readAll().trimmed().split('\n').size(), 20);

        // A report is not a review file to write attestations into.
        r = run(QStringList{QStringLiteral("--sandbox"), QStringLiteral("readiness"), QStringLiteral("--attestations"), json,
                            QStringLiteral("--attest"), QStringLiteral("retries.backoff=pass"), QStringLiteral("--by"), QStringLiteral("A")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("is a report export"));
        // … but its attestations can be read back.
        r = run(base + QStringList{QStringLiteral("--attestations"), json});
        QCOMPARE(r.exitCode, 0);
        // A broken review file is a usage error that says what is wrong.
        QFile broken(m_runner.filePath(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"kind\":\"pbi-console-readiness-review\",\"schemaVersion\":7}");
        broken.close();
        r = run(base + QStringList{QStringLiteral("--attestations"), broken.fileName()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("schema version 7"));
    }

    void unknownWorkspaceIsNotFound()
    {
        const PbictlRun r = run(args({"--sandbox", "readiness", "--workspace", "Legal [Prod]", "--no-probe"}));
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.err.contains("no workspace 'Legal [Prod]' is visible"));
    }

    // A saved connection whose secret is wrong: exit 3, the sentence, and never the secret.
    void signInFailureIsAuth()
    {
        SandboxFixture f;
        m_runner.saveProfile(f, QStringLiteral("Broken"));
        const PbictlRun r = run(args({"--profile", "Broken", "readiness", "--no-probe"}),
                                {QStringLiteral("PBI_CLIENT_SECRET=wrong-secret-value-42")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains("7000215"), r.out.constData());
        QVERIFY(!r.out.contains("wrong-secret-value-42") && !r.err.contains("wrong-secret-value-42"));
        // The right secret from the environment: evaluated, and still never printed.
        const PbictlRun ok = run(args({"--profile", "Broken", "--json", "readiness", "--no-probe", "--fail-on", "never"}),
                                 {QStringLiteral("PBI_CLIENT_SECRET=sandbox-secret-change-me")});
        QVERIFY(ok.json().is_object());
        QCOMPARE(statusOf(ok.json(), "identity.app-only"), std::string("pass"));
        QVERIFY(!ok.out.contains("sandbox-secret-change-me") && !ok.err.contains("sandbox-secret-change-me"));
    }
};

QTEST_GUILESS_MAIN(TestPbictlReadiness)
#include "tst_pbictlreadiness.moc"
