// TriggerRefreshDialog driven through its widgets: validation as the user types (each problem
// beside its field, Send off while anything is wrong), the request it builds, the production
// confirmation, and a refusal from the sandbox shown in the dialog with the input kept.

#include "RefreshTestRig.h"

#include "ErrorBanner.h"
#include "TriggerRefreshDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using pbi::ui::TriggerRefreshDialog;

namespace {

TriggerRefreshDialog::Context context(pbi::PowerBiClient* client, bool servicePrincipal,
                                      std::optional<bool> premium)
{
    TriggerRefreshDialog::Context c;
    c.client = client;
    c.groupId = QStringLiteral("00000000-0000-0000-0000-000000000001");
    c.datasetId = QStringLiteral("00000000-0000-0000-0000-000000000002");
    c.workspaceName = QStringLiteral("Sales [Prod]");
    c.datasetName = QStringLiteral("Sales Analytics");
    c.target.servicePrincipal = servicePrincipal;
    c.target.premium = premium;
    c.connection.title = QStringLiteral("Sandbox tenant");
    return c;
}

template <typename T>
T* child(QWidget* w, const char* name)
{
    T* c = w->findChild<T*>(QString::fromLatin1(name));
    if (!c)
        qFatal("no child %s", name);
    return c;
}

void selectData(QComboBox* combo, const QString& value)
{
    combo->setCurrentIndex(combo->findData(value));
}

} // namespace

class TestTriggerRefreshDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plainRefreshForAServicePrincipal()
    {
        TriggerRefreshDialog dialog(context(nullptr, true, true));
        dialog.show();
        auto* notify = child<QComboBox>(&dialog, "notifyCombo");
        // A service principal starts on the only option it may use.
        QCOMPARE(notify->currentData().toString(), QStringLiteral("NoNotification"));
        QVERIFY(dialog.problems().empty());
        QCOMPARE(dialog.request().notifyOption, QStringLiteral("NoNotification"));
        QVERIFY(!dialog.request().isEnhanced());
        QVERIFY(!child<QWidget>(&dialog, "typeCombo")->isEnabled()); // enhanced fields are off
        // Mail on failure: refused beside the field, Send off.
        selectData(notify, QStringLiteral("MailOnFailure"));
        QVERIFY(dialog.problemText(QStringLiteral("notifyOption"))
                    .contains(QStringLiteral("no mailbox")));
        QVERIFY(child<QLabel>(&dialog, "problem_notifyOption")->isVisible());
        QVERIFY(!dialog.sendButton()->isEnabled());
        selectData(notify, QStringLiteral("NoNotification"));
        QVERIFY(dialog.problemText(QStringLiteral("notifyOption")).isEmpty());
        QVERIFY(!child<QLabel>(&dialog, "problem_notifyOption")->isVisible());
        // Without a client nothing can be sent.
        QVERIFY(!dialog.sendButton()->isEnabled());
    }

    void enhancedRefreshIsCheckedAsTyped()
    {
        RefreshRig rig;
        TriggerRefreshDialog dialog(context(&rig.client, true, true));
        dialog.show();
        QTest::mouseClick(child<QRadioButton>(&dialog, "enhancedRadio"), Qt::LeftButton, {},
                          QPoint(5, 5));
        QVERIFY(child<QRadioButton>(&dialog, "enhancedRadio")->isChecked());
        QVERIFY(!child<QComboBox>(&dialog, "notifyCombo")->isEnabled());
        QVERIFY(dialog.problems().empty());
        QVERIFY(dialog.sendButton()->isEnabled());
        pbi::RefreshRequest r = dialog.request();
        QVERIFY(r.isEnhanced());
        QVERIFY(!r.notifyOption); // an enhanced refresh must not carry one
        QCOMPARE(r.type, QStringLiteral("Full"));
        QCOMPARE(r.commitMode, QStringLiteral("Transactional"));
        QVERIFY(!r.maxParallelism && !r.retryCount && !r.timeout && !r.applyRefreshPolicy &&
                !r.effectiveDate);
        QVERIFY(r.objects.empty());
        QVERIFY(child<QLabel>(&dialog, "requestSummary")
                    ->text()
                    .contains(QStringLiteral("whole model")));

        // Partial batch with the refresh policy on: the service's trap, said beside the checkbox.
        selectData(child<QComboBox>(&dialog, "commitModeCombo"), QStringLiteral("PartialBatch"));
        QVERIFY(dialog.problemText(QStringLiteral("applyRefreshPolicy"))
                    .contains(QStringLiteral("PartialBatch")));
        QVERIFY(!dialog.sendButton()->isEnabled());
        QTest::mouseClick(child<QCheckBox>(&dialog, "applyPolicyCheck"), Qt::LeftButton, {},
                          QPoint(5, 5));
        QVERIFY(dialog.problemText(QStringLiteral("applyRefreshPolicy")).isEmpty());
        QCOMPARE(dialog.request().applyRefreshPolicy, std::optional<bool>(false));
        QVERIFY(dialog.sendButton()->isEnabled());

        // Timeout: typed key by key, wrong until it is hh:mm:ss.
        auto* timeout = child<QLineEdit>(&dialog, "timeoutEdit");
        QTest::keyClicks(timeout, QStringLiteral("2:00"));
        QVERIFY(dialog.problemText(QStringLiteral("timeout")).contains(QStringLiteral("hh:mm:ss")));
        QVERIFY(!dialog.sendButton()->isEnabled());
        QTest::keyClicks(timeout, QStringLiteral(":00"));
        QVERIFY(dialog.problemText(QStringLiteral("timeout")).isEmpty());
        QCOMPARE(dialog.request().timeout, QStringLiteral("2:00:00"));
        // 12 h per attempt with 3 retries exceeds the 24 h the whole request may take.
        timeout->clear();
        QTest::keyClicks(timeout, QStringLiteral("12:00:00"));
        child<QSpinBox>(&dialog, "retryCountSpin")->setValue(3);
        QVERIFY(dialog.problemText(QStringLiteral("timeout")).contains(QStringLiteral("24 hours")));
        child<QSpinBox>(&dialog, "retryCountSpin")->setValue(1);
        QVERIFY(dialog.problemText(QStringLiteral("timeout")).isEmpty());
        child<QSpinBox>(&dialog, "maxParallelismSpin")->setValue(4);
        QCOMPARE(dialog.request().maxParallelism, std::optional<int>(4));
        QCOMPARE(dialog.request().retryCount, std::optional<int>(1));

        // Objects: a row needs a table; the same object twice is refused.
        auto* objects = child<QTableWidget>(&dialog, "objectsTable");
        QTest::mouseClick(child<QPushButton>(&dialog, "addObjectButton"), Qt::LeftButton);
        QCOMPARE(objects->rowCount(), 1);
        QVERIFY(dialog.problemText(QStringLiteral("objects")).contains(QStringLiteral("Row 1")));
        QVERIFY(!dialog.sendButton()->isEnabled());
        objects->item(0, 0)->setText(QStringLiteral("Fact Sales"));
        objects->item(0, 1)->setText(QStringLiteral("Fact-2026"));
        QVERIFY(dialog.problemText(QStringLiteral("objects")).isEmpty());
        QTest::mouseClick(child<QPushButton>(&dialog, "addObjectButton"), Qt::LeftButton);
        objects->item(1, 0)->setText(QStringLiteral("Fact Sales"));
        objects->item(1, 1)->setText(QStringLiteral("Fact-2026"));
        QVERIFY(dialog.problemText(QStringLiteral("objects")).contains(QStringLiteral("twice")));
        QVERIFY(!objects->item(1, 0)->toolTip().isEmpty());
        objects->setCurrentCell(1, 0);
        QTest::mouseClick(child<QPushButton>(&dialog, "removeObjectButton"), Qt::LeftButton);
        QCOMPARE(objects->rowCount(), 1);
        QVERIFY(dialog.problems().empty());
        r = dialog.request();
        QCOMPARE(int(r.objects.size()), 1);
        QCOMPARE(r.objects[0].table, QStringLiteral("Fact Sales"));
        QCOMPARE(r.objects[0].partition, QStringLiteral("Fact-2026"));
        QTest::mouseClick(child<QCheckBox>(&dialog, "effectiveDateCheck"), Qt::LeftButton, {},
                          QPoint(5, 5));
        QVERIFY(dialog.request().effectiveDate);
        QVERIFY(dialog.sendButton()->isEnabled());
    }

    void enhancedNeedsPremium()
    {
        TriggerRefreshDialog dialog(context(nullptr, false, false));
        dialog.show();
        // A person starts on mail on failure.
        QCOMPARE(child<QComboBox>(&dialog, "notifyCombo")->currentData().toString(),
                 QStringLiteral("MailOnFailure"));
        QVERIFY(child<QRadioButton>(&dialog, "enhancedRadio")
                    ->text()
                    .contains(QStringLiteral("shared capacity")));
        child<QRadioButton>(&dialog, "enhancedRadio")->setChecked(true);
        QVERIFY(dialog.problemText(QStringLiteral("type")).contains(QStringLiteral("Premium")));
        QVERIFY(!dialog.sendButton()->isEnabled());
        child<QRadioButton>(&dialog, "plainRadio")->setChecked(true);
        QVERIFY(dialog.problemText(QStringLiteral("type")).isEmpty());
    }

    void refusalIsShownAndTheInputKept()
    {
        RefreshRig rig;
        const auto ws = rig.workspace(QStringLiteral("Sales [Prod]"));
        QVERIFY(ws);
        const auto ds = rig.dataset(ws->id, QStringLiteral("Sales Analytics"));
        QVERIFY(ds);
        auto c = context(&rig.client, true, ws->isOnDedicatedCapacity);
        c.groupId = ws->id;
        c.datasetId = ds->id;
        TriggerRefreshDialog dialog(c);
        QSignalSpy triggered(&dialog, &TriggerRefreshDialog::triggered);
        dialog.show();
        child<QRadioButton>(&dialog, "enhancedRadio")->setChecked(true);
        QTest::mouseClick(child<QPushButton>(&dialog, "addObjectButton"), Qt::LeftButton);
        auto* objects = child<QTableWidget>(&dialog, "objectsTable");
        objects->item(0, 0)->setText(
            QStringLiteral("No Such Table")); // the client cannot know the tables
        QVERIFY(dialog.sendButton()->isEnabled());
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.errorBanner()->isVisible(), 15000);
        const QString text = dialog.errorBanner()->text();
        QVERIFY2(text.contains(QStringLiteral("No Such Table")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("InvalidRequest")), qPrintable(text));
        QVERIFY(dialog.isVisible());
        QCOMPARE(triggered.count(), 0);
        QCOMPARE(objects->item(0, 0)->text(), QStringLiteral("No Such Table"));
        QVERIFY(child<QRadioButton>(&dialog, "enhancedRadio")->isChecked());
        QVERIFY(dialog.sendButton()->isEnabled()); // try again after fixing
        // Fixed: the service accepts, the dialog closes with the refresh's id.
        objects->item(0, 0)->setText(QStringLiteral("Date"));
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(triggered.count(), 1, 15000);
        const auto t = triggered.at(0).at(0).value<pbi::TriggeredRefresh>();
        QVERIFY(t.enhanced);
        QVERIFY(!t.requestId.isEmpty());
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void productionAsksFirst()
    {
        RefreshRig rig;
        const auto ws = rig.workspace(QStringLiteral("HR Analytics [Test]"));
        QVERIFY(ws);
        const auto ds = rig.dataset(ws->id, QStringLiteral("Headcount"));
        QVERIFY(ds);
        ScriptedDialogs dialogs;
        auto c = context(&rig.client, true, ws->isOnDedicatedCapacity);
        c.groupId = ws->id;
        c.datasetId = ds->id;
        c.workspaceName = ws->name;
        c.datasetName = ds->name;
        c.connection.title = QStringLiteral("Contoso – Production");
        c.connection.environmentName = QStringLiteral("Production");
        c.connection.isProduction = true;
        c.dialogs = &dialogs;
        TriggerRefreshDialog dialog(c);
        QSignalSpy triggered(&dialog, &TriggerRefreshDialog::triggered);
        dialog.show();
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("triggerHeading"))
                    ->text()
                    .contains(QStringLiteral("Production")));
        dialogs.confirmAnswer = false;
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QCOMPARE(dialogs.confirms, 1);
        QVERIFY(dialogs.lastConfirmText.contains(QStringLiteral("Headcount")));
        QVERIFY(dialogs.lastConfirmText.contains(QStringLiteral("HR Analytics [Test]")));
        QVERIFY(
            dialogs.lastConfirmText.contains(QStringLiteral("Contoso – Production (Production)")));
        QTest::qWait(200);
        QCOMPARE(rig.calls("POST", QStringLiteral("/refreshes")), 0);
        QVERIFY(dialog.isVisible());
        dialogs.confirmAnswer = true;
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(triggered.count(), 1, 15000);
        QCOMPARE(rig.calls("POST", QStringLiteral("/refreshes")), 1);
        QVERIFY(!triggered.at(0).at(0).value<pbi::TriggeredRefresh>().enhanced);
    }
};

QTEST_MAIN(TestTriggerRefreshDialog)
#include "tst_triggerrefreshdialog.moc"
