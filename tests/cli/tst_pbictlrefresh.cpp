// pbictl refresh … and pbictl embed token …, run as separate processes against the sandbox:
// output parsed back, exit codes checked, the failure exits included.

#include "PbictlRunner.h"
#include "SandboxFixture.h"
#include "WireClient.h"

#include "EntraDemo.h"

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

    // ---- dataflows: a user's connection (service principals may not manage dataflows) ----

    /// A saved connection that signs in as a demo user with the password grant.
    void saveUser(const QString& name, const char* upn, Environment environment = Environment::Test)
    {
        QSettings settings(m_runner.configFile(), QSettings::IniFormat);
        MemorySecretStore secrets;
        ProfileStore store(&settings, &secrets);
        ConnectionProfile p = f->profile(name);
        p.environment = environment;
        p.credentialKind = CredentialKind::UsernamePassword;
        p.clientId = QString::fromLatin1(sandbox::demo::kPublicClientId);
        p.userName = QString::fromLatin1(upn);
        QVERIFY(store.save(p).ok());
        settings.sync();
    }
    PbictlRun asUser(const QString& profile, QStringList args)
    {
        args = QStringList{q("--profile"), profile, q("--secret-stdin")} + args;
        return m_runner.run(args, QByteArray(sandbox::demo::kUserPassword));
    }
    std::string dataflowId(const char* workspace)
    {
        const PbictlRun h = asUser(q("Megan"), {q("--json"), q("refresh"), q("history"), q(workspace), q("--dataflow"),
                                                q(workspace[0] == 'S' && workspace[1] == 'u' ? "Shipments Dataflow" : "Sales Staging"),
                                                q("--top"), q("1")});
        return h.exitCode == 0 ? h.json()["dataflowId"].get<std::string>() : std::string();
    }
    void forceDataflow(const std::string& id, const char* outcome, int durationMs)
    {
        const nlohmann::json body = {{"dataflowId", id}, {"outcome", outcome}, {"durationMs", durationMs}};
        QCOMPARE(wireSend("POST", f->url(q("/sandbox/control/refresh-outcomes")), {{"Content-Type", "application/json"}},
                          QByteArray::fromStdString(body.dump()))
                     .status,
                 200);
    }

    void dataflowHistoryAsJson()
    {
        saveUser(q("Megan"), "megan@contoso-sandbox.onmicrosoft.com");
        const PbictlRun r = asUser(q("Megan"), {q("--json"), q("refresh"), q("history"), q("Supply Chain [Prod]"),
                                                q("--dataflow"), q("shipments dataflow"), q("--top"), q("5")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = r.json();
        QCOMPARE(j["dataflow"].get<std::string>(), std::string("Shipments Dataflow"));
        const auto& list = j["refreshes"];
        QCOMPARE(list.size(), std::size_t(5));
        QCOMPARE(list[0]["status"].get<std::string>(), std::string("Failed"));
        QCOMPARE(list[0]["serviceStatus"].get<std::string>(), std::string("Failed"));
        QCOMPARE(list[1]["status"].get<std::string>(), std::string("Completed"));
        QCOMPARE(list[1]["serviceStatus"].get<std::string>(), std::string("Success"));
        QVERIFY(list[0]["transactionId"].get<std::string>().find('$') != std::string::npos);
        QVERIFY(list[0]["durationMs"].get<long long>() > 0);
        // As a table, the failure is explained as far as the API allows.
        const PbictlRun t = asUser(q("Megan"), {q("refresh"), q("history"), q("Supply Chain [Prod]"), q("--dataflow"),
                                                q("Shipments Dataflow")});
        QCOMPARE(t.exitCode, 0);
        QVERIFY(t.out.contains("Transaction id"));
        QVERIFY(t.out.contains("Power BI portal"));
    }

    void dataflowTriggerWaitsToCompletedOrFailed()
    {
        saveUser(q("Megan"), "megan@contoso-sandbox.onmicrosoft.com");
        const std::string id = dataflowId("Supply Chain [Prod]");
        QVERIFY(!id.empty());
        PbictlRun r = asUser(q("Megan"), {q("--json"), q("refresh"), q("trigger"), q("Supply Chain [Prod]"),
                                          q("--dataflow"), q("Shipments Dataflow"), q("--notify"), q("NoNotification"),
                                          q("--process-type"), q("processFull"), q("--wait"), q("--poll"), q("1")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto j = r.json();
        QCOMPARE(j["status"].get<std::string>(), std::string("Completed"));
        QCOMPARE(j["serviceStatus"].get<std::string>(), std::string("Success"));
        QCOMPARE(j["type"].get<std::string>(), std::string("OnDemand"));
        const std::string transaction = j["transactionId"].get<std::string>();
        const PbictlRun h = asUser(q("Megan"), {q("--json"), q("refresh"), q("history"), q("Supply Chain [Prod]"),
                                                q("--dataflow"), QString::fromStdString(id), q("--top"), q("1")});
        QCOMPARE(h.json()["refreshes"][0]["transactionId"].get<std::string>(), transaction);

        forceDataflow(id, "Failed", 1000);
        r = asUser(q("Megan"), {q("refresh"), q("trigger"), q("Supply Chain [Prod]"), q("--dataflow"),
                                q("Shipments Dataflow"), q("--wait"), q("--poll"), q("1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("Dataflow refresh failed"), r.out.constData());
        QVERIFY(r.out.contains("Power BI portal"));
    }

    void dataflowCancelByTransactionId()
    {
        saveUser(q("Megan"), "megan@contoso-sandbox.onmicrosoft.com");
        const std::string id = dataflowId("Sales [Prod]");
        QVERIFY(!id.empty());
        forceDataflow(id, "Completed", 120000);
        PbictlRun r = asUser(q("Megan"), {q("--json"), q("refresh"), q("trigger"), q("Sales [Prod]"), q("--dataflow"),
                                          q("Sales Staging")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()["status"].get<std::string>(), std::string("Accepted"));
        QTest::qWait(700); // listed after a moment
        const PbictlRun h = asUser(q("Megan"), {q("--json"), q("refresh"), q("history"), q("Sales [Prod]"),
                                                q("--dataflow"), q("Sales Staging"), q("--top"), q("1")});
        QCOMPARE(h.json()["refreshes"][0]["status"].get<std::string>(), std::string("Running"));
        const QString transaction = QString::fromStdString(h.json()["refreshes"][0]["transactionId"].get<std::string>());
        r = asUser(q("Megan"), {q("--json"), q("refresh"), q("cancel"), q("Sales [Prod]"), q("--dataflow"),
                                q("Sales Staging"), transaction});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()["status"].get<std::string>(), std::string("SuccessfullyMarked"));
        r = asUser(q("Megan"), {q("refresh"), q("cancel"), q("Sales [Prod]"), q("--dataflow"), q("Sales Staging"),
                                transaction});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("already ended"));
        r = asUser(q("Megan"), {q("refresh"), q("cancel"), q("Sales [Prod]"), q("--dataflow"), q("Sales Staging"),
                                q("2020-08-27T16:07:47.2487692Z@8dbd8c92-4d16-4947-8329-4172f04f4f93$2")});
        QCOMPARE(r.exitCode, 5);
        r = asUser(q("Megan"), {q("refresh"), q("cancel"), q("Sales [Prod]"), q("--dataflow"), q("Sales Staging"),
                                q("nonsense")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("invalid"));
    }

    void dataflowsRefuseServicePrincipalsInWords()
    {
        PbictlRun r = m_runner.run({q("--sandbox"), q("refresh"), q("history"), q("Supply Chain [Prod]"),
                                    q("--dataflow"), q("Shipments Dataflow")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("service principal"), r.err.constData());
        QVERIFY(r.err.contains("device code"));
        m_runner.saveProfile(*f, q("Dev"));
        r = m_runner.run({q("--profile"), q("Dev"), q("--secret-stdin"), q("refresh"), q("trigger"),
                          q("Supply Chain [Prod]"), q("--dataflow"), q("Shipments Dataflow"), q("--wait")},
                         f->clientSecret().toUtf8());
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("interactive"));
        for (const auto& e : f->log.entries()) // nothing reached the refresh route
            QVERIFY(!e.url.path().endsWith(q("/refreshes")));
    }

    void dataflowViewersAndProductionAndBadInput()
    {
        saveUser(q("Adele"), "adele@contoso-sandbox.onmicrosoft.com");
        PbictlRun r = asUser(q("Adele"), {q("refresh"), q("trigger"), q("Supply Chain [Prod]"), q("--dataflow"),
                                          q("Shipments Dataflow")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("PowerBINotAuthorizedException"));
        saveUser(q("MeganProd"), "megan@contoso-sandbox.onmicrosoft.com", Environment::Production);
        r = asUser(q("MeganProd"), {q("refresh"), q("trigger"), q("Supply Chain [Prod]"), q("--dataflow"),
                                    q("Shipments Dataflow")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--yes"));
        r = asUser(q("MeganProd"), {q("refresh"), q("trigger"), q("Supply Chain [Prod]"), q("--dataflow"),
                                    q("Shipments Dataflow"), q("--type"), q("Full")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("semantic models"));
        r = asUser(q("MeganProd"), {q("refresh"), q("trigger"), q("Supply Chain [Prod]"), q("--dataflow"),
                                    q("Shipments Dataflow"), q("--notify"), q("MailOnCompletion")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("notifyOption"));
        r = asUser(q("MeganProd"), {q("refresh"), q("history"), q("Supply Chain [Prod]"), q("--dataflow")});
        QCOMPARE(r.exitCode, 2);
        r = asUser(q("MeganProd"), {q("refresh"), q("history"), q("Supply Chain [Prod]"), q("--dataflow"), q("Nope")});
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.err.contains("no dataflow"));
    }

    void dataflowScheduleIsSetNotRead()
    {
        saveUser(q("Megan"), "megan@contoso-sandbox.onmicrosoft.com");
        PbictlRun r = asUser(q("Megan"), {q("refresh"), q("schedule"), q("Supply Chain [Prod]"), q("--dataflow"),
                                          q("Shipments Dataflow")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("cannot read"));
        r = asUser(q("Megan"), {q("refresh"), q("schedule"), q("Supply Chain [Prod]"), q("--dataflow"),
                                q("Shipments Dataflow"), q("--enable")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--days"));
        r = asUser(q("Megan"), {q("--json"), q("refresh"), q("schedule"), q("Supply Chain [Prod]"), q("--dataflow"),
                                q("Shipments Dataflow"), q("--enable"), q("--days"), q("Mon,Fri"), q("--times"),
                                q("07:00,18:30"), q("--time-zone"), q("UTC")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()["changed"].get<bool>(), true);
        QCOMPARE(r.json()["days"][1].get<std::string>(), std::string("Friday"));
        r = asUser(q("Megan"), {q("refresh"), q("schedule"), q("Supply Chain [Prod]"), q("--dataflow"),
                                q("Shipments Dataflow"), q("--times"), q("07:15")});
        QCOMPARE(r.exitCode, 2); // checked before sending
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
