// The embed-token tester, driven like a user would, against the sandbox: a report's token with
// its countdown, an RLS model's identity rules checked as typed, the service's refusals shown
// with the form kept, copy-as-cURL without secrets, and the roles and capacity the pre-flight
// reads from the workspace.

#include "RefreshTestRig.h"

#include "EmbedIdentityModel.h"
#include "EmbedTokenView.h"
#include "ErrorBanner.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QSignalSpy>
#include <QTest>

using namespace pbi;
using namespace pbi::ui;

namespace {

const QString kMegan = QStringLiteral("megan@contoso-sandbox.onmicrosoft.com");

} // namespace

class TestEmbedTokenView : public QObject {
    Q_OBJECT

    std::unique_ptr<RefreshRig> rig;
    ManualClock clock;

    std::optional<Report> report(const QString& groupId, const QString& name)
    {
        const auto r = await<std::vector<Report>>(
            [this, groupId](QObject* c, auto cb) { rig->client.listReports(groupId, c, cb); });
        if (!r || !*r)
            return std::nullopt;
        for (const auto& x : r->value())
            if (x.name == name)
                return x;
        return std::nullopt;
    }

    ConnectionDescription sandboxConnection() const
    {
        ConnectionDescription d;
        d.title = QStringLiteral("Sandbox tenant");
        d.isSandbox = true;
        d.servicePrincipal = true;
        return d;
    }

    /// A shown tester, connected, on this report; waits for the workspace's facts.
    std::unique_ptr<EmbedTokenView> viewOn(const QString& workspace, const QString& reportName)
    {
        auto view = std::make_unique<EmbedTokenView>(&clock);
        view->setConnection(&rig->client, sandboxConnection());
        view->resize(900, 820);
        view->show();
        const auto w = rig->workspace(workspace);
        if (!w)
            return nullptr;
        const auto r = report(w->id, reportName);
        if (!r)
            return nullptr;
        view->showReport(*w, *r);
        QElapsedTimer t;
        t.start();
        while (!view->factsReady() && t.elapsed() < 15000)
            QTest::qWait(20);
        return view;
    }

    void screenshot(QWidget* w, const QString& name)
    {
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QDir().mkpath(dir);
            QVERIFY(w->grab().save(dir + QLatin1Char('/') + name));
        }
    }

    int generateTokenCalls() const
    {
        int n = 0;
        for (const auto& e : rig->f.log.entries())
            if (e.method == "POST" && e.url.path().endsWith(QLatin1String("/GenerateToken")))
                ++n;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        rig = std::make_unique<RefreshRig>();
        // The sandbox issues tokens by the wall clock; the view counts down by this one.
        clock.t = QDateTime::currentDateTimeUtc();
    }

    void cleanupTestCase() { rig.reset(); }

    void init() { clock.t = QDateTime::currentDateTimeUtc(); }

    void identityModelIsAModel()
    {
        EmbedIdentityModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addIdentity({kMegan, QStringLiteral("Region Managers, Auditors"), QString(), QString()});
        model.addIdentity();
        QVERIFY(model.setData(model.index(1, EmbedIdentityModel::DatasetsColumn), QStringLiteral("General Ledger, x")));
        model.setDefaultDatasetsText(QStringLiteral("General Ledger (default)"));
        QCOMPARE(model.index(0, EmbedIdentityModel::DatasetsColumn).data().toString(),
                 QStringLiteral("General Ledger (default)"));
        QVERIFY(model.index(0, EmbedIdentityModel::DatasetsColumn).data(Qt::EditRole).toString().isEmpty());
        model.setRowFindings({{1, {QStringLiteral("no such model")}}});
        QCOMPARE(model.index(1, 0).data(Qt::ToolTipRole).toString(), QStringLiteral("no such model"));
        const auto ids = model.identities([](const QString& s) -> QString {
            return s == QLatin1String("General Ledger") ? QStringLiteral("gl-id") : s;
        });
        QCOMPARE(int(ids.size()), 2);
        QCOMPARE(ids[0].roles, (QStringList{QStringLiteral("Region Managers"), QStringLiteral("Auditors")}));
        QVERIFY(ids[0].datasets.isEmpty());
        QCOMPARE(ids[1].datasets, (QStringList{QStringLiteral("gl-id"), QStringLiteral("x")}));
        QVERIFY(model.removeRows(0, 1));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!model.removeRows(1, 1));
    }

    void reportTokenWithCountdown()
    {
        auto view = viewOn(QStringLiteral("Finance [Test]"), QStringLiteral("Balance Sheet"));
        QVERIFY(view && view->factsReady());
        QVERIFY2(!embed::hasErrors(view->findings()), qPrintable(view->findingsText(QStringLiteral("request"))));
        QVERIFY(view->titleText().contains(QStringLiteral("Balance Sheet")));
        QVERIFY(!view->isFindingsShown(QStringLiteral("capacity"))); // Finance [Test] is on a capacity
        QVERIFY(view->generateButton()->isEnabled());
        QVERIFY(!view->sendAnywayButton()->isVisible());
        // A lifetime past the access token's: a note beside the field, not a refusal.
        view->lifetimeBox()->setValue(600);
        QVERIFY2(view->findingsText(QStringLiteral("lifetime")).contains(QStringLiteral("cannot outlive")),
                 qPrintable(view->findingsText(QStringLiteral("lifetime"))));
        QVERIFY(view->generateButton()->isEnabled());
        view->lifetimeBox()->setValue(0);
        QVERIFY(!view->isFindingsShown(QStringLiteral("lifetime")));
        const int before = generateTokenCalls();
        QTest::mouseClick(view->generateButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->token().has_value(), 15000);
        QCOMPARE(generateTokenCalls(), before + 1);
        QVERIFY(rig->f.log.entries().back().url.path().contains(QStringLiteral("/reports/")));
        const EmbedToken token = *view->token();
        QVERIFY(!token.tokenId.isEmpty());
        QVERIFY(view->resultText().contains(token.tokenId));
        QVERIFY(view->expiryText().contains(QStringLiteral("UTC")));
        QVERIFY(view->expiryText().contains(QStringLiteral("local")));

        // Hidden until asked; copying it is the point.
        QVERIFY(!view->isTokenRevealed());
        QVERIFY(!view->findChild<QLineEdit*>(QStringLiteral("tokenText"))->displayText().contains(token.token.left(8)));
        QTest::mouseClick(view->copyTokenButton(), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), token.token);
        QTest::mouseClick(view->revealTokenButton(), Qt::LeftButton);
        QVERIFY(view->isTokenRevealed());
        QTest::mouseClick(view->revealTokenButton(), Qt::LeftButton);
        QVERIFY(!view->isTokenRevealed());

        // The countdown follows the clock.
        const qint64 left = clock.t.secsTo(token.expiration);
        QVERIFY2(left > 30 * 60, qPrintable(QString::number(left)));
        QVERIFY(view->countdownText().startsWith(QStringLiteral("Valid for another")));
        clock.t = token.expiration.addSecs(-(5 * 60 + 7));
        QTRY_COMPARE(view->countdownText(), QStringLiteral("Valid for another 5 min 07 s."));
        clock.t = token.expiration.addSecs(125);
        QTRY_VERIFY(view->countdownText().startsWith(QStringLiteral("Expired 2 min 05 s ago")));
    }

    void rlsModelNeedsAnIdentity()
    {
        auto view = viewOn(QStringLiteral("Finance [Test]"), QStringLiteral("P&L Statement"));
        QVERIFY(view && view->factsReady());
        // General Ledger uses RLS; a service principal must pass an identity.
        QVERIFY(embed::hasErrors(view->findings()));
        QVERIFY(view->isFindingsShown(QStringLiteral("identities")));
        QVERIFY2(view->findingsText(QStringLiteral("identities")).contains(QStringLiteral("requires effective identity")),
                 qPrintable(view->findingsText(QStringLiteral("identities"))));
        QVERIFY(view->findingsText(QStringLiteral("identities")).contains(QStringLiteral("Fix:")));
        QVERIFY(!view->isFindingsShown(QStringLiteral("request")));
        QVERIFY(!view->generateButton()->isEnabled());
        QVERIFY(view->sendAnywayButton()->isVisible());
        QVERIFY(view->sendAnywayButton()->isEnabled());
        screenshot(view.get(), QStringLiteral("embed-token-preflight.png"));

        // Add an identity as typed: a space in the name is refused beside its row.
        QTest::mouseClick(view->addIdentityButton(), Qt::LeftButton);
        auto* model = view->identityModel();
        QCOMPARE(model->rowCount(), 1);
        QVERIFY(model->setData(model->index(0, EmbedIdentityModel::UsernameColumn), QStringLiteral("megan contoso")));
        QVERIFY(view->findingsText(QStringLiteral("identities")).contains(QStringLiteral("space")));
        QVERIFY(!model->rowFindings(0).isEmpty());
        QVERIFY(!view->generateButton()->isEnabled());
        QVERIFY(model->setData(model->index(0, EmbedIdentityModel::UsernameColumn), kMegan));
        // No role yet: the model requires one.
        QVERIFY(view->findingsText(QStringLiteral("identities")).contains(QStringLiteral("requires roles")));
        QVERIFY(model->setData(model->index(0, EmbedIdentityModel::RolesColumn), QStringLiteral("Region Managers")));
        QVERIFY2(!embed::hasErrors(view->findings()), qPrintable(view->findingsText(QStringLiteral("identities"))));
        QVERIFY(!view->isFindingsShown(QStringLiteral("identities")));
        QVERIFY(view->generateButton()->isEnabled());
        QVERIFY(!view->sendAnywayButton()->isVisible());
        // The empty "Models" cell says what it defaults to.
        QCOMPARE(model->index(0, EmbedIdentityModel::DatasetsColumn).data().toString(),
                 QStringLiteral("General Ledger (default)"));

        QTest::mouseClick(view->generateButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->token().has_value(), 15000);
        QVERIFY(view->errorBanner()->isHidden());
        QVERIFY(view->countdownText().startsWith(QStringLiteral("Valid for another")));
        view->identityTable()->setCurrentIndex({});
        screenshot(view.get(), QStringLiteral("embed-token.png"));

        // A model the token does not cover, typed by name, is refused beside the table.
        QVERIFY(model->setData(model->index(0, EmbedIdentityModel::DatasetsColumn), QStringLiteral("No Such Model")));
        QVERIFY(view->findingsText(QStringLiteral("identities")).contains(QStringLiteral("does not cover")));
        QVERIFY(!view->generateButton()->isEnabled());
        // Remove brings back the first finding.
        view->identityTable()->selectRow(0);
        QTest::mouseClick(view->removeIdentityButton(), Qt::LeftButton);
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(view->findingsText(QStringLiteral("identities")).contains(QStringLiteral("requires effective identity")));
    }

    void refusalKeepsTheForm()
    {
        auto view = viewOn(QStringLiteral("Finance [Test]"), QStringLiteral("P&L Statement"));
        QVERIFY(view && view->factsReady());
        auto* model = view->identityModel();
        while (model->rowCount() > 0)
            model->removeRows(0, 1);
        model->addIdentity({kMegan, QString(), QString(), QStringLiteral("tenant-7")});
        view->lifetimeBox()->setValue(25);
        QVERIFY(view->findingsText(QStringLiteral("identities")).contains(QStringLiteral("requires roles")));
        QVERIFY(!view->generateButton()->isEnabled());
        // The pre-flight may be wrong about a tenant: send it anyway and read the service's own words.
        QTest::mouseClick(view->sendAnywayButton(), Qt::LeftButton);
        QSignalSpy failed(view.get(), &EmbedTokenView::generationFailed);
        QTRY_VERIFY_WITH_TIMEOUT(!view->errorBanner()->isHidden(), 15000);
        const QString text = view->errorBanner()->text();
        QVERIFY2(text.contains(QStringLiteral("requires roles")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("InvalidRequest")));
        QVERIFY(text.contains(QStringLiteral("Request id")) || text.contains(QStringLiteral("request id")));
        QVERIFY(text.contains(QStringLiteral("role")));
        QVERIFY(!view->token());
        // The form is as typed.
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->rows()[0].username, kMegan);
        QCOMPARE(model->rows()[0].customData, QStringLiteral("tenant-7"));
        QCOMPARE(view->lifetimeBox()->value(), 25);

        // A role the model does not have: the pre-flight cannot know the roles; the service says.
        QVERIFY(model->setData(model->index(0, EmbedIdentityModel::RolesColumn), QStringLiteral("Nobody")));
        QVERIFY(view->generateButton()->isEnabled());
        QTest::mouseClick(view->generateButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->errorBanner()->text().contains(QStringLiteral("Nobody")), 15000);
        QVERIFY2(view->errorBanner()->text().contains(QStringLiteral("Use a role defined in the model")),
                 qPrintable(view->errorBanner()->text()));
        QCOMPARE(model->rows()[0].roles, QStringLiteral("Nobody"));
    }

    void copyAsCurlHasNoSecret()
    {
        auto view = viewOn(QStringLiteral("Finance [Test]"), QStringLiteral("P&L Statement"));
        QVERIFY(view && view->factsReady());
        auto* model = view->identityModel();
        while (model->rowCount() > 0)
            model->removeRows(0, 1);
        model->addIdentity({kMegan, QStringLiteral("Region Managers"), QString(), QString()});
        const int sent = generateTokenCalls();
        QTest::mouseClick(view->copyCurlButton(), Qt::LeftButton);
        const QString curl = QApplication::clipboard()->text();
        QCOMPARE(curl, view->lastCopiedCurl());
        QCOMPARE(generateTokenCalls(), sent); // nothing was sent to copy it
        QVERIFY2(curl.startsWith(QStringLiteral("curl -X POST '")), qPrintable(curl));
        QVERIFY(curl.contains(QStringLiteral("/reports/")));
        QVERIFY(curl.contains(QStringLiteral("/GenerateToken'")));
        QVERIFY(curl.contains(QStringLiteral("Authorization: Bearer [redacted]")));
        QVERIFY(curl.contains(QStringLiteral("Content-Type: application/json")));
        QVERIFY(curl.contains(QStringLiteral("\"accessLevel\":\"View\"")));
        QVERIFY(curl.contains(kMegan));
        QVERIFY(curl.contains(QStringLiteral("Region Managers")));
        // The identity's model is the report's model, filled in as it will be sent.
        const auto w = rig->workspace(QStringLiteral("Finance [Test]"));
        const auto gl = rig->dataset(w->id, QStringLiteral("General Ledger"));
        QVERIFY(gl);
        QVERIFY(curl.contains(gl->id));
        const QString accessToken = rig->token();
        QVERIFY(!accessToken.isEmpty());
        QVERIFY(!curl.contains(accessToken));
        QVERIFY(!curl.contains(rig->f.clientSecret()));
        QVERIFY(!curl.contains(QStringLiteral("eyJ")));

        // Only an explicit choice puts the access token in.
        view->includeTokenBox()->setChecked(true);
        QTest::mouseClick(view->copyCurlButton(), Qt::LeftButton);
        QTRY_VERIFY(view->lastCopiedCurl().contains(QStringLiteral("Authorization: Bearer eyJ")));
        QVERIFY(!view->lastCopiedCurl().contains(rig->f.clientSecret()));
        view->includeTokenBox()->setChecked(false);

        // V2: one call for the report and its model.
        view->setMode(EmbedTokenView::Mode::Multi);
        QVERIFY(view->itemList()->isVisible());
        const QString v2 = view->curl();
        QVERIFY2(v2.contains(QStringLiteral("/v1.0/myorg/GenerateToken'")), qPrintable(v2));
        QVERIFY(v2.contains(QStringLiteral("\"reports\":[{\"id\":")));
        QVERIFY(v2.contains(QStringLiteral("\"datasets\":[{\"id\":\"") + gl->id));
        QVERIFY(v2.contains(QStringLiteral("[redacted]")));
    }

    void multiResourceToken()
    {
        auto view = viewOn(QStringLiteral("Finance [Test]"), QStringLiteral("P&L Statement"));
        QVERIFY(view && view->factsReady());
        auto* model = view->identityModel();
        while (model->rowCount() > 0)
            model->removeRows(0, 1);
        view->setMode(EmbedTokenView::Mode::Multi);
        QVERIFY(view->findingsText(QStringLiteral("identities")).contains(QStringLiteral("requires effective identity")));
        model->addIdentity({kMegan, QStringLiteral("Region Managers"), QString(), QString()});
        // A second report on a model without RLS: the identity defaults to the RLS model only.
        const auto w = rig->workspace(QStringLiteral("Finance [Test]"));
        const auto balance = report(w->id, QStringLiteral("Balance Sheet"));
        QVERIFY(balance);
        view->setItemChecked(balance->id, true);
        QVERIFY2(!embed::hasErrors(view->findings()), qPrintable(view->findingsText(QStringLiteral("identities"))));
        view->setAccessLevel(QStringLiteral("Edit"));
        QVERIFY(view->curl().contains(QStringLiteral("\"allowEdit\":true")));
        QTest::mouseClick(view->generateButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->token().has_value(), 15000);
        const auto& sent = rig->f.log.entries().back();
        QCOMPARE(sent.url.path(), QStringLiteral("/v1.0/myorg/GenerateToken"));
        QVERIFY(sent.requestBody.contains(balance->id.toUtf8()));
        QVERIFY(view->errorBanner()->isHidden());
    }

    void viewerIsRefused()
    {
        auto view = viewOn(QStringLiteral("Finance [Prod]"), QStringLiteral("Balance Sheet"));
        QVERIFY(view && view->factsReady());
        // The principal is a Viewer there: the pre-flight says so for the whole request.
        QVERIFY(view->isFindingsShown(QStringLiteral("request")));
        QVERIFY2(view->findingsText(QStringLiteral("request")).contains(QStringLiteral("Viewer")),
                 qPrintable(view->findingsText(QStringLiteral("request"))));
        QVERIFY(view->findingsText(QStringLiteral("request")).contains(QStringLiteral("Member or Admin")));
        QVERIFY(!view->generateButton()->isEnabled());
        QTest::mouseClick(view->sendAnywayButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!view->errorBanner()->isHidden(), 15000);
        const QString text = view->errorBanner()->text();
        QVERIFY2(text.contains(QStringLiteral("403")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("make it a Member")));
        QVERIFY(!view->token());
        screenshot(view.get(), QStringLiteral("embed-token-refused.png"));
        // Retry sends it again (and is refused again): nothing else changes.
        const int calls = generateTokenCalls();
        QTest::mouseClick(view->errorBanner()->findChild<QPushButton*>(), Qt::LeftButton);
        QTRY_COMPARE(generateTokenCalls(), calls + 1);
        QTRY_VERIFY(!view->errorBanner()->isHidden());
    }

    void sharedCapacityNoteAndAccessLevels()
    {
        // Finance [Dev]: shared capacity, the principal is Admin.
        auto view = viewOn(QStringLiteral("Finance [Dev]"), QStringLiteral("Balance Sheet"));
        QVERIFY(view && view->factsReady());
        QVERIFY(view->isFindingsShown(QStringLiteral("capacity")));
        QVERIFY2(view->findingsText(QStringLiteral("capacity")).contains(QStringLiteral("quota")),
                 qPrintable(view->findingsText(QStringLiteral("capacity"))));
        QVERIFY(!embed::hasErrors(view->findings())); // a note, not a refusal
        QVERIFY(view->generateButton()->isEnabled());

        // Create on a report: a token for a new report on a model, asked of that model.
        view->setAccessLevel(QStringLiteral("Create"));
        QVERIFY(view->createModelBox()->isVisible());
        QVERIFY(!view->allowSaveAsBox()->isEnabled());
        const QString create = view->curl();
        QVERIFY2(create.contains(QStringLiteral("/datasets/")), qPrintable(create));
        QVERIFY(create.contains(QStringLiteral("\"accessLevel\":\"Create\"")));
        QVERIFY(view->generateButton()->isEnabled());
        QTest::mouseClick(view->generateButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->token().has_value() || !view->errorBanner()->isHidden(), 15000);
        QVERIFY2(view->token().has_value(), qPrintable(view->errorBanner()->text()));

        // A semantic model: Edit is not offered (the service refuses it there).
        const auto w = rig->workspace(QStringLiteral("Finance [Dev]"));
        const auto budget = rig->dataset(w->id, QStringLiteral("Budget vs Actuals"));
        QVERIFY(budget);
        view->showDataset(*w, *budget);
        QTRY_VERIFY(view->factsReady());
        QVERIFY(view->accessLevelBox()->findData(QStringLiteral("Edit")) < 0);
        QVERIFY(view->titleText().contains(QStringLiteral("Budget vs Actuals")));
        QVERIFY(!view->token()); // a new target forgets the last token
    }

    void anotherTargetDropsTheAnswer()
    {
        auto view = viewOn(QStringLiteral("Finance [Test]"), QStringLiteral("Balance Sheet"));
        QVERIFY(view && view->factsReady());
        const auto w = rig->workspace(QStringLiteral("Finance [Test]"));
        const auto gl = rig->dataset(w->id, QStringLiteral("General Ledger"));
        QVERIFY(gl);
        QSignalSpy issued(view.get(), &EmbedTokenView::tokenGenerated);
        QTest::mouseClick(view->generateButton(), Qt::LeftButton);
        QVERIFY(view->isBusy());
        QVERIFY(view->cancelButton()->isVisibleTo(view.get()));
        // The user selects another item before the answer arrives (no event loop ran between).
        view->showDataset(*w, *gl);
        QTest::qWait(300);
        QCOMPARE(issued.count(), 0);
        QVERIFY(!view->token());
        QVERIFY(view->errorBanner()->isHidden());
        QVERIFY(!view->isBusy());
        QVERIFY(view->titleText().contains(QStringLiteral("General Ledger")));
    }

    void noTargetNoConnection()
    {
        EmbedTokenView view(&clock);
        view.show();
        QVERIFY(view.stateText().contains(QStringLiteral("Not connected")));
        QVERIFY(!view.generateButton()->isEnabled());
        QVERIFY(!view.copyCurlButton()->isEnabled());
        view.generate(); // nothing to send: nothing happens
        view.setConnection(&rig->client, sandboxConnection());
        QVERIFY(view.stateText().contains(QStringLiteral("Select a report")));
        QVERIFY(view.curl().isEmpty());
    }

    void hiddenViewAsksNothing()
    {
        EmbedTokenView view(&clock);
        view.setConnection(&rig->client, sandboxConnection());
        const auto w = rig->workspace(QStringLiteral("Finance [Test]"));
        const auto r = report(w->id, QStringLiteral("Balance Sheet"));
        QVERIFY(r);
        const std::size_t before = rig->f.log.entries().size();
        view.showReport(*w, *r);
        QTest::qWait(200);
        QCOMPARE(rig->f.log.entries().size(), before);
        QVERIFY(!view.factsReady());
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(view.factsReady(), 15000);
    }
};

QTEST_MAIN(TestEmbedTokenView)
#include "tst_embedtokenview.moc"
