// pbictl refresh … and pbictl embed token …, run as separate processes against the sandbox:
// output parsed back, exit codes checked, the failure exits included.

#include "PbictlRunner.h"
#include "SandboxFixture.h"
#include "WireClient.h"

#include <QTest>

using namespace pbi;

namespace {
QString q(const char* s)
{
    return QString::fromUtf8(s);
}
} // namespace

class TestPbictlRefresh : public QObject {
    Q_OBJECT

    PbictlRunner m_runner;
    std::unique_ptr<SandboxFixture> f;

private Q_SLOTS:
    void init()
    {
        sandbox::SandboxOptions o;
        o.refreshDurationMs = 1500;
        o.refreshVisibilityDelayMs = 500;
        o.refreshSchedules = false;
        f = std::make_unique<SandboxFixture>(o);
    }
    void cleanup()
    {
        f.reset();
        m_runner.forgetProfiles();
    }

    void historyAsJsonWithDecodedFailures()
    {
        const PbictlRun r = m_runner.run({q("--sandbox"), q("--json"), q("refresh"), q("history"), q("test ws do not use"),
                                          q("Copy of Sales Analytics"), q("--top"), q("5")});
        QCOMPARE(r.exitCode, 0);
        const auto j = r.json();
        QVERIFY2(j.is_object(), r.out.constData());
        QCOMPARE(j["model"].get<std::string>(), std::string("Copy of Sales Analytics"));
        const auto& list = j["refreshes"];
        QVERIFY(list.is_array() && !list.empty() && list.size() <= 5);
        bool sawFailure = false;
        for (const auto& x : list) {
            const std::string status = x["status"].get<std::string>();
            QVERIFY(status == "Completed" || status == "Failed" || status == "Running" || status == "Cancelled" ||
                    status == "Disabled" || status == "Unknown");
            if (status == "Failed") {
                sawFailure = true;
                QVERIFY(x["error"].is_object());
                QVERIFY(!x["error"]["code"].get<std::string>().empty());
                QVERIFY(!x["error"]["likelyFix"].get<std::string>().empty());
            }
        }
        QVERIFY(sawFailure);
    }

    void unknownNamesAreExitCode5()
    {
        PbictlRun r = m_runner.run({q("--sandbox"), q("refresh"), q("history"), q("No Such Workspace"), q("x")});
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.err.contains("No Such Workspace"));
        r = m_runner.run({q("--sandbox"), q("refresh"), q("history"), q("Sales [Prod]"), q("No Such Model")});
        QCOMPARE(r.exitCode, 5);
        r = m_runner.run({q("--sandbox"), q("refresh"), q("history"), q("Sales [Prod]")});
        QCOMPARE(r.exitCode, 2);
    }

    void triggerAndWaitToCompleted()
    {
        m_runner.saveProfile(*f, q("Dev"));
        const PbictlRun r = m_runner.run({q("--profile"), q("Dev"), q("--secret-stdin"), q("--json"), q("refresh"),
                                          q("trigger"), q("Sales [Prod]"), q("Sales Targets"), q("--notify"),
                                          q("NoNotification"), q("--wait"), q("--poll"), q("1")},
                                         f->clientSecret().toUtf8());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = r.json();
        QCOMPARE(j["status"].get<std::string>(), std::string("Completed"));
        QCOMPARE(j["type"].get<std::string>(), std::string("ViaApi"));
        QVERIFY(!j["requestId"].get<std::string>().empty());
        // And it is in the history now.
        const PbictlRun h = m_runner.run({q("--profile"), q("Dev"), q("--secret-stdin"), q("--json"), q("refresh"),
                                          q("history"), q("Sales [Prod]"), q("Sales Targets"), q("--top"), q("1")},
                                         f->clientSecret().toUtf8());
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.json()["refreshes"][0]["requestId"] == j["requestId"]);
    }

    void failedRefreshIsExitCode1WithTheFix()
    {
        m_runner.saveProfile(*f, q("Dev"));
        // The model's id, then force its next refresh to fail.
        const PbictlRun h = m_runner.run({q("--profile"), q("Dev"), q("--secret-stdin"), q("--json"), q("refresh"),
                                          q("history"), q("Sales [Prod]"), q("Sales Targets"), q("--top"), q("1")},
                                         f->clientSecret().toUtf8());
        QCOMPARE(h.exitCode, 0);
        const std::string modelId = h.json()["modelId"].get<std::string>();
        const nlohmann::json force = {{"datasetId", modelId},
                                      {"outcome", "Failed"},
                                      {"errorCode", "ModelRefreshFailed_CredentialsNotSpecified"}};
        QCOMPARE(wireSend("POST", f->url(q("/sandbox/control/refresh-outcomes")), {{"Content-Type", "application/json"}},
                          QByteArray::fromStdString(force.dump()))
                     .status,
                 200);
        const PbictlRun r = m_runner.run({q("--profile"), q("Dev"), q("--secret-stdin"), q("refresh"), q("trigger"),
                                          q("Sales [Prod]"), q("Sales Targets"), q("--wait"), q("--poll"), q("1")},
                                         f->clientSecret().toUtf8());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("Refresh failed"), r.out.constData());
        QVERIFY(r.out.contains("no credentials"));
        QVERIFY(r.out.contains("Likely fix:"));
    }

    void requestsTheServiceWouldRefuseAreNotSent()
    {
        // Enhanced refresh on shared capacity; a service principal asking for mail.
        PbictlRun r = m_runner.run({q("--sandbox"), q("refresh"), q("trigger"), q("Finance [Dev]"), q("Budget vs Actuals"),
                                    q("--type"), q("Full")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("shared capacity"), r.err.constData());
        r = m_runner.run({q("--sandbox"), q("refresh"), q("trigger"), q("Sales [Prod]"), q("Sales Targets"), q("--notify"),
                          q("MailOnFailure")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("NoNotification"));
        r = m_runner.run({q("--sandbox"), q("refresh"), q("trigger"), q("Sales [Prod]"), q("Sales Targets"), q("--type"),
                          q("Full"), q("--commit-mode"), q("PartialBatch")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("applyRefreshPolicy"));
        r = m_runner.run({q("--sandbox"), q("refresh"), q("schedule"), q("Sales [Prod]"), q("Sales Targets"), q("--times"),
                          q("07:15")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("half hour"));
        r = m_runner.run({q("--sandbox"), q("refresh"), q("schedule"), q("Sales [Prod]"), q("Sales Targets"), q("--days"),
                          q("Funday")});
        QCOMPARE(r.exitCode, 2);
    }

    void productionNeedsYes()
    {
        m_runner.saveProfile(*f, q("Prod"), Environment::Production);
        PbictlRun r = m_runner.run({q("--profile"), q("Prod"), q("--secret-stdin"), q("refresh"), q("trigger"),
                                    q("Sales [Prod]"), q("Sales Targets")},
                                   f->clientSecret().toUtf8());
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--yes"));
        r = m_runner.run({q("--profile"), q("Prod"), q("--secret-stdin"), q("--json"), q("refresh"), q("trigger"),
                          q("Sales [Prod]"), q("Sales Targets"), q("--yes")},
                         f->clientSecret().toUtf8());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()["status"].get<std::string>(), std::string("Accepted"));
    }

    void scheduleShownAndChanged()
    {
        m_runner.saveProfile(*f, q("Dev"));
        const QByteArray secret = f->clientSecret().toUtf8();
        const QStringList change = {q("--profile"), q("Dev"), q("--secret-stdin"), q("--json"), q("refresh"), q("schedule"),
                                    q("Sales [Prod]"), q("Sales Targets"), q("--times"), q("06:00,18:30"), q("--days"),
                                    q("mon,wed,fri"), q("--notify"), q("NoNotification")};
        // Megan owns the model: the service refuses anyone else, and says how to fix it.
        PbictlRun r = m_runner.run(change, secret);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("dataset owner"), r.err.constData());
        QVERIFY(r.err.contains("--take-over"));
        r = m_runner.run(change + QStringList{q("--take-over")}, secret);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto j = r.json();
        QVERIFY(j["changed"].get<bool>());
        QVERIFY(j["times"] == nlohmann::json({"06:00", "18:30"}));
        QVERIFY(j["days"] == nlohmann::json({"Monday", "Wednesday", "Friday"}));
        r = m_runner.run({q("--profile"), q("Dev"), q("--secret-stdin"), q("--json"), q("refresh"), q("schedule"),
                          q("Sales [Prod]"), q("Sales Targets")},
                         secret);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json()["times"] == nlohmann::json({"06:00", "18:30"}));
        QVERIFY(!r.json()["changed"].get<bool>());
    }

    void monitorFailedOnly()
    {
        const PbictlRun r = m_runner.run({q("--sandbox"), q("--json"), q("refresh"), q("monitor"), q("--failed"), q("--depth"), q("3")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto list = r.json();
        QVERIFY(list.is_array() && !list.empty());
        for (const auto& x : list) {
            QCOMPARE(x["status"].get<std::string>(), std::string("Failed"));
            QVERIFY(!x["workspace"].get<std::string>().empty());
        }
        QVERIFY(r.err.contains("skipped")); // models the principal may not read are said, not hidden
    }

    void embedTokenPreflightThenToken()
    {
        PbictlRun r = m_runner.run({q("--sandbox"), q("--json"), q("embed"), q("token"), q("Finance [Test]"), q("P&L Statement")});
        QCOMPARE(r.exitCode, 2);
        auto j = r.json();
        QVERIFY(!j["sent"].get<bool>());
        QCOMPARE(j["preflight"][0]["severity"].get<std::string>(), std::string("Error"));
        r = m_runner.run({q("--sandbox"), q("--json"), q("embed"), q("token"), q("Finance [Test]"), q("P&L Statement"),
                          q("--identity"), q("megan@contoso-sandbox.onmicrosoft.com:Region Managers"), q("--curl")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        j = r.json();
        QVERIFY(j["sent"].get<bool>());
        QVERIFY(!j["tokenId"].get<std::string>().empty());
        QVERIFY(!j.contains("token")); // only with --show-token
        const std::string curl = j["curl"].get<std::string>();
        QVERIFY(curl.find("GenerateToken") != std::string::npos);
        QVERIFY(curl.find("[redacted]") != std::string::npos);
        QVERIFY(j["minutesLeft"].get<int>() > 0);
        // Sent anyway, the service refuses it in its own words.
        r = m_runner.run({q("--sandbox"), q("embed"), q("token"), q("Finance [Test]"), q("P&L Statement"), q("--send-anyway")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("requires effective identity"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestPbictlRefresh)
#include "tst_pbictlrefresh.moc"
