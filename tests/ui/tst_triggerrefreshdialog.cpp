// TriggerRefreshDialog driven through its widgets: validation as the user types (each problem
// beside its field, Send off while anything is wrong), the request it builds, the production
// confirmation, and a refusal from the sandbox shown in the dialog with the input kept.

#include "RefreshTestRig.h"

#include "ErrorBanner.h"
#include "ModelObjectPicker.h"
#include "TriggerRefreshDialog.h"

#include "refresh/RefreshFollower.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QCompleter>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

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

/// Sales Targets in Sales [Prod] (Premium): the dialog's context for the real model.
struct RealModel {
    pbi::Workspace workspace;
    pbi::Dataset dataset;
};

std::optional<RealModel> salesTargets(RefreshRig& rig)
{
    const auto ws = rig.workspace(QStringLiteral("Sales [Prod]"));
    if (!ws)
        return std::nullopt;
    const auto ds = rig.dataset(ws->id, QStringLiteral("Sales Targets"));
    if (!ds)
        return std::nullopt;
    return RealModel{*ws, *ds};
}

/// Runs an enhanced refresh of the whole model to its end; its execution details then name
/// every partition.
std::optional<pbi::RefreshExecution> enhancedRefreshToEnd(RefreshRig& rig, const RealModel& m)
{
    pbi::RefreshRequest request;
    request.type = QStringLiteral("Full");
    const auto t = await<pbi::TriggeredRefresh>([&](QObject* c, auto cb) {
        rig.client.triggerRefresh(m.workspace.id, m.dataset.id, request, c, cb);
    });
    if (!t || !*t)
        return std::nullopt;
    pbi::refresh::RefreshFollower::Options o;
    o.firstPoll = std::chrono::milliseconds(150);
    o.maxPoll = std::chrono::milliseconds(400);
    pbi::refresh::RefreshFollower follower(&rig.client, m.workspace.id, m.dataset.id, t->value(), o);
    QSignalSpy finished(&follower, &pbi::refresh::RefreshFollower::finished);
    follower.start();
    if (!finished.wait(30000))
        return std::nullopt;
    return follower.execution();
}

TriggerRefreshDialog::Context realContext(RefreshRig& rig, const RealModel& m)
{
    auto c = context(&rig.client, true, m.workspace.isOnDedicatedCapacity);
    c.groupId = m.workspace.id;
    c.datasetId = m.dataset.id;
    c.workspaceName = m.workspace.name;
    c.datasetName = m.dataset.name;
    return c;
}

QTreeWidgetItem* topLevel(QTreeWidget* tree, const QString& name)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == name)
            return tree->topLevelItem(i);
    return nullptr;
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

    void tablesArePickedFromARecentEnhancedRefresh()
    {
        auto options = quickRefreshes(600);
        options.refreshVisibilityDelayMs = 0;
        RefreshRig rig(options);
        const auto m = salesTargets(rig);
        QVERIFY(m);
        const auto execution = enhancedRefreshToEnd(rig, *m);
        QVERIFY(execution && !execution->objects.empty());

        TriggerRefreshDialog dialog(realContext(rig, *m));
        dialog.show();
        // Nothing is asked of the service until the enhanced form is chosen.
        QCOMPARE(rig.calls("GET", QStringLiteral("/refreshes")), 0);
        QVERIFY(!dialog.pickButton()->isEnabled());
        QTest::mouseClick(child<QRadioButton>(&dialog, "enhancedRadio"), Qt::LeftButton, {},
                          QPoint(5, 5));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isLookingUpObjects(), 15000);
        const auto& known = dialog.knownObjects();
        QVERIFY(!known.tables.empty());
        QVERIFY(known.partitionCount() > 0);
        const QString label = dialog.knownObjectsLabel()->text();
        QVERIFY2(label.contains(QStringLiteral("enhanced refresh of")), qPrintable(label));
        QVERIFY(dialog.pickButton()->isEnabled());

        // A table with partitions: pick one partition of it, and another table whole.
        const pbi::refresh::KnownTable* partitioned = nullptr;
        const pbi::refresh::KnownTable* other = nullptr;
        for (const auto& t : known.tables) {
            if (!partitioned && t.partitions.size() >= 2)
                partitioned = &t;
            else if (!other)
                other = &t;
        }
        QVERIFY2(partitioned && other, "the demo model needs a table with two partitions and another table");

        pbi::ui::ModelObjectPicker* picker = dialog.openPicker();
        QVERIFY(picker->isVisible());
        QTreeWidget* tree = picker->tree();
        QCOMPARE(tree->topLevelItemCount(), int(known.tables.size()));
        QTreeWidgetItem* p = topLevel(tree, partitioned->name);
        QTreeWidgetItem* o = topLevel(tree, other->name);
        QVERIFY(p && o);
        QCOMPARE(p->childCount(), int(partitioned->partitions.size()));
        p->child(0)->setCheckState(0, Qt::Checked);
        QCOMPARE(p->checkState(0), Qt::PartiallyChecked);
        o->setCheckState(0, Qt::Checked);
        // The filter narrows the tree without losing the checks.
        QTest::keyClicks(picker->filterEdit(), partitioned->partitions.at(1));
        QVERIFY(o->isHidden() || other->name.contains(partitioned->partitions.at(1), Qt::CaseInsensitive));
        QVERIFY(!p->isHidden());
        picker->filterEdit()->clear();
        QTest::mouseClick(picker->findChild<QPushButton*>(QStringLiteral("pickerOk")), Qt::LeftButton);

        auto* objects = child<QTableWidget>(&dialog, "objectsTable");
        QTRY_COMPARE(objects->rowCount(), 2);
        pbi::RefreshRequest r = dialog.request();
        QCOMPARE(int(r.objects.size()), 2);
        bool sawPartition = false;
        bool sawTable = false;
        for (const auto& x : r.objects) {
            sawPartition = sawPartition ||
                           (x.table == partitioned->name && x.partition == partitioned->partitions.at(0));
            sawTable = sawTable || (x.table == other->name && x.partition.isEmpty());
        }
        QVERIFY(sawPartition && sawTable);

        // A name the service never showed, typed by hand, survives the picker.
        QTest::mouseClick(child<QPushButton>(&dialog, "addObjectButton"), Qt::LeftButton);
        objects->item(2, 0)->setText(QStringLiteral("Typed Table"));
        picker = dialog.openPicker();
        QTreeWidgetItem* typed = topLevel(picker->tree(), QStringLiteral("Typed Table"));
        QVERIFY(typed);
        QCOMPARE(typed->checkState(0), Qt::Checked);
        QVERIFY(typed->text(1).contains(QStringLiteral("typed")));
        QCOMPARE(topLevel(picker->tree(), other->name)->checkState(0), Qt::Checked);
        QCOMPARE(topLevel(picker->tree(), partitioned->name)->checkState(0), Qt::PartiallyChecked);
        // Cancel changes nothing.
        picker->reject();
        QCOMPARE(objects->rowCount(), 3);
        // Every listed partition ticked one by one is still just those partitions: the list
        // holds what recent refreshes named, and the table may have more.
        picker = dialog.openPicker();
        QTreeWidgetItem* pt = topLevel(picker->tree(), partitioned->name);
        for (int i = 0; i < pt->childCount(); ++i)
            pt->child(i)->setCheckState(0, Qt::Checked);
        QCOMPARE(pt->checkState(0), Qt::Checked);
        int partitionRows = 0;
        for (const auto& x : picker->selection())
            if (x.table == partitioned->name) {
                QVERIFY(!x.partition.isEmpty());
                ++partitionRows;
            }
        QCOMPARE(partitionRows, int(partitioned->partitions.size()));
        picker->reject();
        // Ticking the table itself sends the whole table: one row for it.
        picker = dialog.openPicker();
        topLevel(picker->tree(), partitioned->name)->setCheckState(0, Qt::Checked);
        picker->accept();
        QTRY_COMPARE(objects->rowCount(), 3);
        int rowsForPartitioned = 0;
        for (const auto& x : dialog.request().objects)
            rowsForPartitioned += x.table == partitioned->name ? 1 : 0;
        QCOMPARE(rowsForPartitioned, 1);

        // Typing in a cell offers the known names.
        objects->setCurrentCell(0, 0);
        objects->editItem(objects->item(0, 0));
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        if (!editor)
            editor = objects->findChild<QLineEdit*>();
        QVERIFY(editor);
        QVERIFY(editor->completer());
        QCOMPARE(editor->completer()->model()->rowCount(), int(known.tables.size()));

        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            dialog.grab().save(dir + QStringLiteral("/trigger-refresh-tables.png"));
            picker = dialog.openPicker();
            picker->grab().save(dir + QStringLiteral("/trigger-refresh-picker.png"));
            picker->reject();
        }
    }

    void theScannerAddsTablesAndItsRefusalIsSaid()
    {
        auto options = quickRefreshes(600);
        options.throttleScale = 0;
        options.timeScale = 4; // scans take a few sandbox seconds
        RefreshRig rig(options);
        const auto m = salesTargets(rig);
        QVERIFY(m);
        TriggerRefreshDialog dialog(realContext(rig, *m));
        dialog.show();
        child<QRadioButton>(&dialog, "enhancedRadio")->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isLookingUpObjects(), 15000);
        // No enhanced refresh yet: nothing known, and the label says where tables come from.
        QVERIFY(dialog.knownObjects().tables.empty());
        QVERIFY(dialog.knownObjectsLabel()->text().contains(QStringLiteral("scanner")));

        // Typed input is kept whatever the scanner says.
        QTest::mouseClick(child<QPushButton>(&dialog, "addObjectButton"), Qt::LeftButton);
        auto* objects = child<QTableWidget>(&dialog, "objectsTable");
        objects->item(0, 0)->setText(QStringLiteral("Typed Table"));

        pbi::sandbox::FaultRule rule;
        rule.kind = pbi::sandbox::FaultKind::ServerError;
        rule.path = "/admin/workspaces/getInfo$";
        rule.count = 10; // more than the transport's retries
        const int faultId = rig.f.sandbox().faults().addFault(rule);
        QTest::mouseClick(dialog.scanButton(), Qt::LeftButton);
        QVERIFY(!dialog.scanButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isLookingUpObjects(), 30000);
        QVERIFY2(dialog.knownObjectsLabel()->text().contains(QStringLiteral("scanner did not answer")),
                 qPrintable(dialog.knownObjectsLabel()->text()));
        QCOMPARE(objects->item(0, 0)->text(), QStringLiteral("Typed Table"));
        QVERIFY(dialog.scanButton()->isEnabled());

        QVERIFY(rig.f.sandbox().faults().remove(faultId));
        QTest::mouseClick(dialog.scanButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isLookingUpObjects(), 60000);
        QVERIFY(dialog.knownObjects().fromScanner);
        QVERIFY(!dialog.knownObjects().tables.empty());
        const QString label = dialog.knownObjectsLabel()->text();
        QVERIFY2(label.contains(QStringLiteral("from the scanner")), qPrintable(label));
        QVERIFY2(!label.contains(QStringLiteral("did not answer")), qPrintable(label));
        QCOMPARE(objects->item(0, 0)->text(), QStringLiteral("Typed Table"));
    }
};

QTEST_MAIN(TestTriggerRefreshDialog)
#include "tst_triggerrefreshdialog.moc"
