// Snapshots in the window: a member-scope snapshot saved from the File menu (collected over
// the sandbox), a changed copy of it, and the comparison dialog with its filters and CSV
// export — plus QAbstractItemModelTester on the differences model.

#include "ExplorerRig.h"

#include "SnapshotDiffDialog.h"
#include "SnapshotDiffModel.h"

#include "inventory/Snapshot.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using pbi::ui::SnapshotDiffDialog;
using pbi::ui::SnapshotDiffModel;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

pbi::Workspace& named(pbi::InventorySnapshot& s, const QString& name)
{
    for (auto& w : s.workspaces)
        if (w.name == name)
            return w;
    qFatal("no workspace %s", qPrintable(name));
}

} // namespace

class TestSnapshotDiffDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void compareTwoSnapshotsFromTheWindow()
    {
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        QTemporaryDir dir;
        const QString monday = dir.filePath(QStringLiteral("monday.json"));
        const QString tuesday = dir.filePath(QStringLiteral("tuesday.json"));

        // File → Save inventory snapshot: a member-scope inventory collected now, with progress.
        rig.dialogs.savePaths << monday;
        QSignalSpy saved(rig.window.get(), &pbi::ui::MainWindow::snapshotSaved);
        QTest::keyClick(rig.window.get(), Qt::Key_S, Qt::ControlModifier);
        auto* job = rig.window->findChild<QLabel*>(QStringLiteral("jobLabel"));
        QVERIFY2(job->text().startsWith(QStringLiteral("Snapshot: ")), qPrintable(job->text()));
        QVERIFY(saved.wait(30000));
        QVERIFY(saved.at(0).at(0).toBool());
        QCOMPARE(saved.at(0).at(1).toString(), monday);
        auto before = pbi::Snapshot::fromJson(readAll(monday));
        QVERIFY(before.ok());
        QCOMPARE(before.value().scope, QStringLiteral("member"));
        QCOMPARE(int(before.value().workspaces.size()), 22);

        // A day later: a report gone, a model renamed and no longer refreshable, a workspace new.
        pbi::InventorySnapshot after = before.value();
        auto& sales = named(after, QStringLiteral("Sales [Prod]"));
        QVERIFY(!sales.reports.empty() && !sales.datasets.empty());
        const QString goneReport = sales.reports.front().name;
        sales.reports.erase(sales.reports.begin());
        const QString oldModel = sales.datasets.front().name;
        sales.datasets.front().name = QStringLiteral("Sales Analytics v2");
        sales.datasets.front().isRefreshable = !sales.datasets.front().isRefreshable;
        auto& finance = named(after, QStringLiteral("Finance [Prod]"));
        QVERIFY(!finance.users.empty());
        const QString demoted =
            finance.users.front().displayName.value_or(finance.users.front().identifier);
        const QString wasRole = finance.users.front().groupUserAccessRight;
        finance.users.front().groupUserAccessRight = QStringLiteral("Viewer");
        QVERIFY(wasRole != QStringLiteral("Viewer"));
        pbi::Workspace fresh;
        fresh.id = QStringLiteral("5d0b9a4e-0000-4000-8000-00000000a001");
        fresh.name = QStringLiteral("Treasury [Prod]");
        after.workspaces.push_back(fresh);
        after.takenAt = after.takenAt.addDays(1);
        QVERIFY(writeAll(tuesday, pbi::Snapshot::toJson(after)));

        // File → Compare snapshots: the older, then the newer.
        rig.dialogs.openPaths << monday << tuesday;
        QTest::keyClick(rig.window.get(), Qt::Key_D, Qt::ControlModifier);
        SnapshotDiffDialog* dialog = rig.window->snapshotDiffDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QAbstractItemModelTester modelTester(
            dialog->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            dialog->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(dialog->summaryText(), QStringLiteral("1 added · 1 removed · 2 changed"));
        QCOMPARE(dialog->table()->model()->rowCount(), 4);
        auto* sources = dialog->findChild<QLabel*>(QStringLiteral("diffSources"));
        QVERIFY(sources->text().contains(QStringLiteral("monday.json")) &&
                sources->text().contains(QStringLiteral("tuesday.json")));

        // What changed, in words, for the model.
        const auto& changes = dialog->model()->changes();
        const auto changed =
            std::find_if(changes.begin(), changes.end(), [](const pbi::InventoryChange& c) {
                return c.kind == pbi::InventoryChange::Kind::Changed &&
                       c.itemKind == QStringLiteral("semantic model");
            });
        QVERIFY(changed != changes.end());
        QCOMPARE(changed->itemKind, QStringLiteral("semantic model"));
        QVERIFY(changed->details.contains(
            QStringLiteral("name: %1 → Sales Analytics v2").arg(oldModel)));
        QVERIFY(std::any_of(changed->details.begin(), changed->details.end(), [](const QString& d) {
            return d.startsWith(QStringLiteral("refreshable: "));
        }));
        const auto role =
            std::find_if(changes.begin(), changes.end(), [](const pbi::InventoryChange& c) {
                return c.itemKind == QStringLiteral("member");
            });
        QVERIFY(role != changes.end());
        QCOMPARE(role->name, demoted);
        QCOMPARE(role->details, QStringList{QStringLiteral("role: %1 → Viewer").arg(wasRole)});

        // Filters: by change, by kind, by text; the details follow the selection.
        auto* change = dialog->findChild<QComboBox*>(QStringLiteral("diffChangeFilter"));
        auto* kind = dialog->findChild<QComboBox*>(QStringLiteral("diffKindFilter"));
        auto* text = dialog->findChild<QLineEdit*>(QStringLiteral("diffFilter"));
        change->setCurrentIndex(change->findText(QStringLiteral("Removed")));
        QCOMPARE(dialog->table()->model()->rowCount(), 1);
        QCOMPARE(
            dialog->table()->model()->index(0, SnapshotDiffModel::NameColumn).data().toString(),
            goneReport);
        QCOMPARE(
            dialog->table()->model()->index(0, SnapshotDiffModel::KindColumn).data().toString(),
            QStringLiteral("report"));
        change->setCurrentIndex(0);
        kind->setCurrentIndex(kind->findText(QStringLiteral("workspace")));
        QCOMPARE(dialog->table()->model()->rowCount(), 1);
        QCOMPARE(
            dialog->table()->model()->index(0, SnapshotDiffModel::NameColumn).data().toString(),
            QStringLiteral("Treasury [Prod]"));
        kind->setCurrentIndex(0);
        QTest::keyClicks(text, QStringLiteral("v2"));
        QCOMPARE(dialog->table()->model()->rowCount(), 1);
        dialog->table()->setCurrentIndex(dialog->table()->model()->index(0, 0));
        const QString details =
            dialog->findChild<QPlainTextEdit*>(QStringLiteral("diffDetails"))->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("name: %1 → Sales Analytics v2").arg(oldModel)),
                 qPrintable(details));
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("diffShown"))
                    ->text()
                    .contains(QStringLiteral("1 of 4")));

        // Export: the rows shown, as CSV.
        const QString csvPath = dir.filePath(QStringLiteral("diff.csv"));
        rig.dialogs.savePaths << csvPath;
        QPushButton* exportButton = nullptr;
        for (auto* b : dialog->findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("&Export CSV…"))
                exportButton = b;
        QVERIFY(exportButton && exportButton->isEnabled());
        QTest::mouseClick(exportButton, Qt::LeftButton);
        const QStringList lines =
            QString::fromUtf8(readAll(csvPath)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0], QStringLiteral("change,kind,workspace,name,id,what changed"));
        QVERIFY2(lines[1].startsWith(
                     QStringLiteral("changed,semantic model,Sales [Prod],Sales Analytics v2,")),
                 qPrintable(lines[1]));
        text->clear();
        QVERIFY(dialog->exportCsv(csvPath));
        QCOMPARE(QString::fromUtf8(readAll(csvPath))
                     .split(QStringLiteral("\r\n"), Qt::SkipEmptyParts)
                     .size(),
                 5);

        if (const QString shots = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !shots.isEmpty()) {
            dialog->resize(1100, 520);
            dialog->table()->setCurrentIndex(dialog->table()->model()->index(0, 0));
            for (int r = 0; r < dialog->table()->model()->rowCount(); ++r)
                if (dialog->table()->model()->index(r, 0).data().toString() ==
                    QStringLiteral("Changed"))
                    dialog->table()->setCurrentIndex(dialog->table()->model()->index(r, 0));
            QTest::qWait(50);
            dialog->grab().save(shots + QStringLiteral("/snapshot-diff.png"));
        }
        dialog->close();
        QTRY_VERIFY(!rig.window->snapshotDiffDialog());
    }

    void unreadableFilesAreExplained()
    {
        ExplorerRig rig(false);
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("bad.json"));
        QVERIFY(writeAll(bad, "{\"format\":\"something-else\"}"));
        QVERIFY(!rig.window->compareSnapshots(bad, bad));
        QCOMPARE(rig.dialogs.informed.size(), 1);
        QVERIFY2(rig.dialogs.informed.last().contains(
                     QStringLiteral("not a readable inventory snapshot")),
                 qPrintable(rig.dialogs.informed.last()));
        QVERIFY(!rig.window->compareSnapshots(dir.filePath(QStringLiteral("missing.json")), bad));
        QVERIFY(rig.dialogs.informed.last().startsWith(QStringLiteral("Cannot read")));
        QVERIFY(!rig.window->snapshotDiffDialog());
        // Cancelling the file question does nothing.
        QTest::keyClick(rig.window.get(), Qt::Key_D, Qt::ControlModifier);
        QVERIFY(!rig.window->snapshotDiffDialog());
    }

    void identicalSnapshotsSaySo()
    {
        pbi::InventorySnapshot s;
        s.takenAt = QDateTime::currentDateTimeUtc();
        pbi::Workspace w;
        w.id = QStringLiteral("w");
        w.name = QStringLiteral("Only");
        s.workspaces.push_back(w);
        SnapshotDiffDialog dialog(s, QStringLiteral("a.json"), s, QStringLiteral("b.json"),
                                  nullptr);
        QCOMPARE(dialog.model()->rowCount(), 0);
        QVERIFY(dialog.summaryText().startsWith(QStringLiteral("No differences")));
    }
};

QTEST_MAIN(TestSnapshotDiffDialog)
#include "tst_snapshotdiffdialog.moc"
