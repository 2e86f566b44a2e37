// The readiness view driven like a user does: evaluate against the sandbox, read the evidence,
// attest through the dialog (validated as typed), save and load the review, export, cancel —
// and nothing typed is lost when an evaluation fails.

#include "SandboxFixture.h"

#include "DialogSeam.h"
#include "ErrorBanner.h"
#include "ReadinessModel.h"
#include "ReadinessView.h"

#include "profiles/SecretStore.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

using namespace pbi;
using namespace pbi::readiness;
using namespace pbi::ui;

namespace {

class Dialogs final : public DialogSeam {
public:
    QString openPath;
    QString savePath;
    bool confirmAnswer = true;
    int confirms = 0;
    QStringList informed;
    QString openFileName(QWidget*, const QString&, const QString&) override { return openPath; }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override { return savePath; }
    bool confirm(QWidget*, const QString&, const QString&, const QString&) override
    {
        ++confirms;
        return confirmAnswer;
    }
    void inform(QWidget*, const QString&, const QString& text) override { informed << text; }
};

Status statusOf(const ReadinessView& v, const char* id)
{
    const CheckResult* r = v.model()->result(QString::fromLatin1(id));
    return r ? r->status : Status::NotEvaluated;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestReadinessView : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;
    MemorySecretStore secrets;
    Dialogs dialogs;
    QTemporaryDir dir;
    std::unique_ptr<ReadinessView> view;

    ConnectionProfile profile() const
    {
        ConnectionProfile p = f->profile(QStringLiteral("Sales integration"));
        p.id = QStringLiteral("sales-integration");
        p.environment = Environment::Production;
        return p;
    }

    bool evaluateAndWait()
    {
        QSignalSpy done(view.get(), &ReadinessView::evaluationFinished);
        if (!view->evaluate())
            return false;
        return done.wait(90000);
    }

private Q_SLOTS:
    void init()
    {
        sandbox::SandboxOptions o;
        o.refreshSchedules = false;
        f = std::make_unique<SandboxFixture>(o);
        std::tie(cred, client) = f->servicePrincipal();
        dialogs = Dialogs{};
        view = std::make_unique<ReadinessView>(&f->clock);
        view->setDialogs(&dialogs);
        view->setConnection(client.get(), profile(), &secrets);
        view->resize(1200, 800);
        view->show();
    }

    void cleanup()
    {
        view.reset();
        client.reset();
        cred.reset();
        f.reset();
    }

    void modelIsATreeOfAreas()
    {
        ReadinessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 8);
        int checks = 0;
        for (int a = 0; a < model.rowCount(); ++a) {
            const QModelIndex area = model.index(a, 0);
            QVERIFY(model.data(area, ReadinessModel::CheckIdRole).toString().isEmpty());
            for (int c = 0; c < model.rowCount(area); ++c) {
                const QModelIndex check = model.index(c, 0, area);
                QCOMPARE(model.parent(check), area);
                QCOMPARE(model.indexOf(check.data(ReadinessModel::CheckIdRole).toString()), check);
                ++checks;
            }
        }
        QCOMPARE(checks, int(catalogue().size()));
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Identity"));
        QCOMPARE(model.data(model.indexOf(QStringLiteral("identity.app-only")).siblingAtColumn(ReadinessModel::StatusColumn)).toString(),
                 QStringLiteral("Not evaluated"));
        std::vector<CheckResult> results = unevaluatedResults();
        results[0].status = Status::Fail;
        results[0].evidence = {QStringLiteral("first"), QStringLiteral("second")};
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setResults(results);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(model.rowCount(), 8); // same rows: selection and expansion survive
        const QModelIndex first = model.indexOf(results[0].checkId);
        QCOMPARE(first.siblingAtColumn(ReadinessModel::EvidenceColumn).data().toString(), QStringLiteral("first (+1 more)"));
        QCOMPARE(model.index(0, 0).data(ReadinessModel::StatusRole).toInt(), int(Status::Fail)); // the area's worst
    }

    void evaluatesAgainstTheSandbox()
    {
        QVERIFY(view->verdictLabel()->text().contains(QStringLiteral("Not evaluated yet")));
        view->workspacesEdit()->setText(QStringLiteral("Sales [Prod]; Finance [Dev]"));
        view->probeBox()->setChecked(false);
        QSignalSpy done(view.get(), &ReadinessView::evaluationFinished);
        QTest::mouseClick(view->evaluateButton(), Qt::LeftButton);
        QVERIFY(view->isEvaluating());
        QVERIFY(view->cancelButton()->isEnabled());
        QVERIFY(!view->evaluateButton()->isEnabled());
        QVERIFY(done.wait(90000));
        QVERIFY(!view->isEvaluating());
        QCOMPARE(view->report().integration.workspaces.size(), std::size_t(2));
        QCOMPARE(statusOf(*view, "identity.app-only"), Status::Pass);
        QCOMPARE(statusOf(*view, "privilege.workspace-role"), Status::Warn); // Admin in Finance [Dev]
        QCOMPARE(statusOf(*view, "environments.separation"), Status::Fail);  // Dev and Prod
        QCOMPARE(statusOf(*view, "environments.prod-capacity"), Status::Pass);
        QVERIFY(view->verdictLabel()->text().contains(QStringLiteral("Not ready")));
        QVERIFY(view->statusLabel()->text().contains(QStringLiteral("2 workspace(s)")));

        view->selectCheck(QStringLiteral("privilege.workspace-role"));
        const QString details = view->details()->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("Admin in 'Finance [Dev]'")), qPrintable(details));
        QVERIFY(details.contains(QStringLiteral("Fix.")));
        const QModelIndex row = view->model()->indexOf(QStringLiteral("privilege.workspace-role"));
        QCOMPARE(row.siblingAtColumn(ReadinessModel::StatusColumn).data().toString(), QStringLiteral("Warn"));
        QVERIFY(view->tree()->isExpanded(row.parent()));
    }

    void attestsThroughTheDialog()
    {
        // A live-only check cannot be attested.
        view->selectCheck(QStringLiteral("identity.app-only"));
        QVERIFY(!view->attestButton()->isEnabled());
        view->selectCheck(QStringLiteral("logging.request-id"));
        QVERIFY(view->attestButton()->isEnabled());
        QTest::mouseClick(view->attestButton(), Qt::LeftButton);
        AttestDialog* dialog = view->attestDialog();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(!dialog->okButton()->isEnabled()); // no name yet
        QVERIFY(dialog->problemLabel()->text().contains(QStringLiteral("name is required")));
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Alice Auditor"));
        QVERIFY(dialog->okButton()->isEnabled());
        dialog->statusBox()->setCurrentIndex(2); // not applicable needs a reason
        QVERIFY(!dialog->okButton()->isEnabled());
        QTest::keyClicks(dialog->commentEdit(), QStringLiteral("token eyJ0eXAiOiJKV1QiLCJhbGciOi.eyJhdWQiOiJodHRwczovL2Fu"));
        QVERIFY(dialog->problemLabel()->text().contains(QStringLiteral("token or a secret")));
        dialog->commentEdit()->setPlainText(QStringLiteral("The platform gateway logs every RequestId"));
        dialog->statusBox()->setCurrentIndex(0);
        QVERIFY(dialog->okButton()->isEnabled());
        QSignalSpy changed(view.get(), &ReadinessView::attestationsChanged);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QCOMPARE(changed.size(), 1);
        QTRY_VERIFY(!view->attestDialog());
        QVERIFY(view->hasUnsavedAttestations());
        const QModelIndex row = view->model()->indexOf(QStringLiteral("logging.request-id"));
        QVERIFY(row.siblingAtColumn(ReadinessModel::AttestationColumn).data().toString().startsWith(QStringLiteral("Pass by Alice Auditor")));

        // After an evaluation, the attestation decides the check.
        view->workspacesEdit()->setText(QStringLiteral("Sales [Prod]"));
        view->probeBox()->setChecked(false);
        QVERIFY(evaluateAndWait());
        QCOMPARE(statusOf(*view, "logging.request-id"), Status::Pass);
        QCOMPARE(statusOf(*view, "retries.backoff"), Status::NeedsAttestation);
        QVERIFY(view->details()->toPlainText().contains(QStringLiteral("Alice Auditor")));
        // The dialog remembers the last name.
        view->selectCheck(QStringLiteral("retries.backoff"));
        view->attestSelected();
        QVERIFY(view->attestDialog());
        QCOMPARE(view->attestDialog()->nameEdit()->text(), QStringLiteral("Alice Auditor"));
        view->attestDialog()->reject();
    }

    void savesLoadsAndExports()
    {
        view->workspacesEdit()->setText(QStringLiteral("Sales [Prod]"));
        view->probeBox()->setChecked(false);
        QVERIFY(evaluateAndWait());
        const QDateTime now = f->clock.now();
        QVERIFY(view->recordAttestation({QStringLiteral("secrets.rotation"), Status::Pass, QStringLiteral("Bob"), now, {}}));
        QString error;
        QVERIFY(!view->recordAttestation({QStringLiteral("identity.app-only"), Status::Pass, QStringLiteral("Bob"), now, {}}, &error));
        QVERIFY(error.contains(QStringLiteral("cannot be attested")));

        dialogs.savePath = dir.filePath(QStringLiteral("review.json"));
        QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("readinessSave")), Qt::LeftButton);
        QVERIFY(readAll(dialogs.savePath).contains("\"secrets.rotation\""));
        QVERIFY(!view->hasUnsavedAttestations());

        for (const char* name : {"r.md", "r.csv", "r.json"}) {
            dialogs.savePath = dir.filePath(QString::fromLatin1(name));
            QTest::mouseClick(view->exportButton(), Qt::LeftButton);
            const QByteArray data = readAll(dialogs.savePath);
            QVERIFY2(data.contains("secrets.rotation"), name);
            QVERIFY(data.contains("privilege.workspace-role"));
            QVERIFY(!data.contains(QByteArray(sandbox::demo::kAppSecret)));
            QVERIFY(!data.contains("eyJ"));
        }
        QVERIFY(readAll(dir.filePath(QStringLiteral("r.json"))).contains("\"schemaVersion\": 1"));
        dialogs.savePath = dir.filePath(QStringLiteral("r.txt"));
        QTest::mouseClick(view->exportButton(), Qt::LeftButton);
        QVERIFY(view->errorBanner()->text().contains(QStringLiteral(".md, .csv or .json")));

        // A change after saving, then Load: the user is asked before it is replaced.
        QVERIFY(view->recordAttestation({QStringLiteral("retries.backoff"), Status::Pass, QStringLiteral("Bob"), now, {}}));
        dialogs.openPath = dir.filePath(QStringLiteral("review.json"));
        dialogs.confirmAnswer = false;
        QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("readinessLoad")), Qt::LeftButton);
        QCOMPARE(dialogs.confirms, 1);
        QCOMPARE(view->attestations().size(), std::size_t(2)); // kept
        dialogs.confirmAnswer = true;
        QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("readinessLoad")), Qt::LeftButton);
        QCOMPARE(view->attestations().size(), std::size_t(1));
        QCOMPARE(statusOf(*view, "secrets.rotation"), Status::Pass);
        QCOMPARE(statusOf(*view, "retries.backoff"), Status::NeedsAttestation);

        // A broken file: a sentence in the banner, the attestations untouched.
        QFile broken(dir.filePath(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"kind\": \"pbi-console-readiness-review\", \"schemaVersion\": 1, \"attestations\": 5}");
        broken.close();
        dialogs.openPath = broken.fileName();
        QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("readinessLoad")), Qt::LeftButton);
        QVERIFY2(view->errorBanner()->text().contains(QStringLiteral("must be an array")), qPrintable(view->errorBanner()->text()));
        QCOMPARE(view->attestations().size(), std::size_t(1));
    }

    // The workspace list refused (throttled for two hours): the checks that needed it say so,
    // and everything typed is still there.
    void failedEvaluationLosesNothing()
    {
        const QDateTime now = f->clock.now();
        QVERIFY(view->recordAttestation({QStringLiteral("logging.request-id"), Status::Pass, QStringLiteral("Bob"), now, {}}));
        view->workspacesEdit()->setText(QStringLiteral("Sales [Prod]"));
        view->namingEdit()->setText(QStringLiteral("^[A-Z].*$"));
        view->probeBox()->setChecked(false);
        sandbox::FaultRule rule;
        rule.kind = sandbox::FaultKind::Throttled;
        rule.path = "^/v1\\.0/myorg/groups$";
        rule.retryAfterSeconds = 7200;
        f->sandbox().faults().addFault(rule);
        QVERIFY(evaluateAndWait());
        QCOMPARE(statusOf(*view, "environments.prod-capacity"), Status::Error);
        QCOMPARE(statusOf(*view, "identity.app-only"), Status::Pass);
        QCOMPARE(statusOf(*view, "logging.request-id"), Status::Pass);
        view->selectCheck(QStringLiteral("environments.prod-capacity"));
        QVERIFY(view->details()->toPlainText().contains(QStringLiteral("Could not evaluate")));
        QCOMPARE(view->workspacesEdit()->text(), QStringLiteral("Sales [Prod]"));
        QCOMPARE(view->namingEdit()->text(), QStringLiteral("^[A-Z].*$"));
        QCOMPARE(view->attestations().size(), std::size_t(1));
        QVERIFY(view->verdictLabel()->text().contains(QStringLiteral("Incomplete")));

        // An invalid convention: Evaluate is disabled, the text stays as typed.
        view->namingEdit()->setText(QStringLiteral("([unclosed"));
        QVERIFY(!view->evaluateButton()->isEnabled());
        QVERIFY(!view->evaluate());
        QVERIFY(view->errorBanner()->text().contains(QStringLiteral("regular expression")));
        QCOMPARE(view->namingEdit()->text(), QStringLiteral("([unclosed"));
    }

    void cancelKeepsThePreviousResults()
    {
        view->workspacesEdit()->setText(QStringLiteral("Sales [Prod]"));
        view->probeBox()->setChecked(false);
        QVERIFY(evaluateAndWait());
        const Status before = statusOf(*view, "privilege.workspace-role");
        QCOMPARE(before, Status::Pass);
        view->workspacesEdit()->clear();
        QVERIFY(view->evaluate());
        QTest::mouseClick(view->cancelButton(), Qt::LeftButton);
        QVERIFY(!view->isEvaluating());
        QVERIFY(view->statusLabel()->text().contains(QStringLiteral("Cancelled")));
        QCOMPARE(statusOf(*view, "privilege.workspace-role"), before);
        QVERIFY(view->evaluateButton()->isEnabled());
    }

    void disconnected()
    {
        view->setConnection(nullptr, ConnectionProfile{}, nullptr);
        QVERIFY(!view->evaluateButton()->isEnabled());
        QVERIFY(!view->evaluate());
        QVERIFY(view->errorBanner()->text().contains(QStringLiteral("Not connected")));
    }

    // docs/screenshots/readiness.png: the demo tenant after an evaluation (set
    // PBI_READINESS_SCREENSHOT to the file to write).
    void screenshot()
    {
        const QString path = qEnvironmentVariable("PBI_READINESS_SCREENSHOT");
        if (path.isEmpty())
            QSKIP("set PBI_READINESS_SCREENSHOT=file.png to take the screenshot");
        QVERIFY(view->recordAttestation({QStringLiteral("logging.request-id"), Status::Pass, QStringLiteral("Alice Auditor"),
                                         f->clock.now(), QStringLiteral("The gateway logs every RequestId")}));
        QVERIFY(evaluateAndWait());
        view->selectCheck(QStringLiteral("environments.prod-capacity"));
        view->resize(1280, 860);
        QTest::qWait(100);
        QVERIFY(view->grab().save(path));
    }
};

QTEST_MAIN(TestReadinessView)
#include "tst_readinessview.moc"
