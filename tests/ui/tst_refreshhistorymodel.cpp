// RefreshHistoryModel: the refresh history as a table, over a real sandbox history and over
// hand-made entries (running, pending, every status), checked by QAbstractItemModelTester.

#include "RefreshTestRig.h"

#include "RefreshHistoryModel.h"

#include "refresh/RefreshRules.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QIcon>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using pbi::ui::RefreshHistoryModel;
using State = pbi::refresh::State;

namespace {

pbi::Refresh entry(const QString& id, const QString& status, const QDateTime& start,
                   std::optional<QDateTime> end, const QString& type = QStringLiteral("ViaApi"))
{
    pbi::Refresh r;
    r.requestId = id;
    r.status = status;
    r.startTime = start;
    r.endTime = end;
    r.refreshType = type;
    return r;
}

QString cell(const QAbstractItemModel& m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role).toString();
}

} // namespace

class TestRefreshHistoryModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void holdsASandboxHistoryWithDecodedFailures()
    {
        RefreshRig rig;
        const auto ws = rig.workspace(QStringLiteral("Procurement [Prod]"));
        QVERIFY(ws);
        const auto ds = rig.dataset(ws->id, QStringLiteral("Spend Analysis"));
        QVERIFY(ds);
        const auto history = await<std::vector<pbi::Refresh>>([&](QObject* c, auto cb) {
            rig.client.refreshHistory(ws->id, ds->id, std::nullopt, c, cb);
        });
        QVERIFY(history && *history);
        QVERIFY(history->value().size() > 10);

        pbi::SystemClock clock;
        RefreshHistoryModel model(&clock);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRefreshes(history->value());
        QCOMPARE(model.rowCount(), int(history->value().size()));
        QCOMPARE(model.columnCount(), int(RefreshHistoryModel::ColumnCount));
        // The streak: the two newest scheduled refreshes failed at the gateway, with retries.
        QCOMPARE(cell(model, 0, RefreshHistoryModel::StatusColumn), QStringLiteral("Failed"));
        QCOMPARE(cell(model, 0, RefreshHistoryModel::TypeColumn), QStringLiteral("Scheduled"));
        QCOMPARE(cell(model, 0, RefreshHistoryModel::ErrorColumn),
                 QStringLiteral("DM_GWPipeline_Client_GatewayUnreachable"));
        QCOMPARE(cell(model, 0, RefreshHistoryModel::AttemptsColumn), QStringLiteral("3"));
        QVERIFY(model.failureAt(0));
        QVERIFY(model.failureAt(0)->hint.contains(QStringLiteral("gateway")));
        QVERIFY(cell(model, 0, RefreshHistoryModel::ErrorColumn, Qt::ToolTipRole)
                    .contains(QStringLiteral("gateway")));
        QCOMPARE(model.stateAt(0), State::Failed);
        QVERIFY(!model.index(0, 0).data(Qt::DecorationRole).value<QIcon>().isNull());
        // Completed rows have no error, an end and a duration.
        int completed = -1;
        for (int row = 0; row < model.rowCount() && completed < 0; ++row)
            if (model.stateAt(row) == State::Completed)
                completed = row;
        QVERIFY(completed > 0);
        QVERIFY(cell(model, completed, RefreshHistoryModel::ErrorColumn).isEmpty());
        QVERIFY(!cell(model, completed, RefreshHistoryModel::DurationColumn).isEmpty());
        QVERIFY(cell(model, completed, RefreshHistoryModel::EndColumn) != QStringLiteral("—"));
        QVERIFY(!model.hasRunning());
        QCOMPARE(model.rowOfRequestId(*history->value()[3].requestId), 3);
    }

    void sortsByTimeAndDurationThroughAProxy()
    {
        ManualClock clock;
        RefreshHistoryModel model(&clock);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(RefreshHistoryModel::SortRole);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime t = clock.t;
        model.setRefreshes({
            entry(QStringLiteral("a"), QStringLiteral("Completed"), t.addSecs(-3600),
                  t.addSecs(-3600 + 59)),
            entry(QStringLiteral("b"), QStringLiteral("Completed"), t.addSecs(-7200),
                  t.addSecs(-7200 + 600)),
            entry(QStringLiteral("c"), QStringLiteral("Failed"), t.addSecs(-9000),
                  t.addSecs(-9000 + 5)),
        });
        proxy.sort(RefreshHistoryModel::DurationColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data(RefreshHistoryModel::RequestIdRole).toString(),
                 QStringLiteral("b"));
        QCOMPARE(proxy.index(2, 0).data(RefreshHistoryModel::RequestIdRole).toString(),
                 QStringLiteral("c"));
        QCOMPARE(proxy.index(0, RefreshHistoryModel::DurationColumn).data().toString(),
                 QStringLiteral("10 min 00 s"));
        proxy.sort(RefreshHistoryModel::StartColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data(RefreshHistoryModel::RequestIdRole).toString(),
                 QStringLiteral("c"));
    }

    void statusesInPlainLanguage()
    {
        ManualClock clock;
        RefreshHistoryModel model(&clock);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime t = clock.t;
        model.setRefreshes({
            entry(QStringLiteral("run"), QStringLiteral("Unknown"), t.addSecs(-90), std::nullopt),
            entry(QStringLiteral("unk"), QStringLiteral("Unknown"), t.addSecs(-900),
                  t.addSecs(-800)),
            entry(QStringLiteral("can"), QStringLiteral("Cancelled"), t.addSecs(-1900),
                  t.addSecs(-1800)),
            entry(QStringLiteral("dis"), QStringLiteral("Disabled"), t.addSecs(-2900),
                  t.addSecs(-2800), QStringLiteral("ViaEnhancedApi")),
        });
        // "Unknown" without an end time is the service's way of saying "running".
        QCOMPARE(cell(model, 0, RefreshHistoryModel::StatusColumn), QStringLiteral("Running"));
        QVERIFY(cell(model, 0, RefreshHistoryModel::StatusColumn, Qt::ToolTipRole)
                    .contains(QStringLiteral("no end time")));
        QCOMPARE(cell(model, 0, RefreshHistoryModel::EndColumn), QStringLiteral("—"));
        QCOMPARE(cell(model, 1, RefreshHistoryModel::StatusColumn), QStringLiteral("Unknown"));
        // An end on the start's day shows as a time; the tooltip has the exact UTC moment.
        QCOMPARE(cell(model, 1, RefreshHistoryModel::EndColumn),
                 t.addSecs(-800).toLocalTime().toString(QStringLiteral("HH:mm")));
        QVERIFY(cell(model, 1, RefreshHistoryModel::EndColumn, Qt::ToolTipRole)
                    .endsWith(QLatin1Char('Z')));
        QCOMPARE(cell(model, 2, RefreshHistoryModel::StatusColumn), QStringLiteral("Cancelled"));
        QCOMPARE(cell(model, 3, RefreshHistoryModel::StatusColumn), QStringLiteral("Disabled"));
        QCOMPARE(cell(model, 3, RefreshHistoryModel::TypeColumn), QStringLiteral("Enhanced API"));
        QVERIFY(model.hasRunning());
        // Each state has its own icon.
        const auto key = [&](int row) {
            return model.index(row, 0)
                .data(Qt::DecorationRole)
                .value<QIcon>()
                .pixmap(16, 16)
                .toImage();
        };
        QVERIFY(key(0) != key(2));
        QVERIFY(key(2) != key(3));
    }

    void runningDurationsTick()
    {
        ManualClock clock;
        RefreshHistoryModel model(&clock);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRefreshes({entry(QStringLiteral("run"), QStringLiteral("Unknown"),
                                  clock.t.addSecs(-65), std::nullopt),
                            entry(QStringLiteral("old"), QStringLiteral("Completed"),
                                  clock.t.addSecs(-9000), clock.t.addSecs(-8000))});
        QCOMPARE(cell(model, 0, RefreshHistoryModel::DurationColumn), QStringLiteral("1 min 05 s"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        clock.t = clock.t.addSecs(10);
        model.tick();
        QCOMPARE(changed.count(), 1); // the running row's duration only
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.at(0).at(0).toModelIndex().column(),
                 int(RefreshHistoryModel::DurationColumn));
        QCOMPARE(cell(model, 0, RefreshHistoryModel::DurationColumn), QStringLiteral("1 min 15 s"));
        QCOMPARE(cell(model, 1, RefreshHistoryModel::DurationColumn),
                 QStringLiteral("16 min 40 s"));
    }

    void followedRefreshShowsBeforeTheServiceListsIt()
    {
        ManualClock clock;
        RefreshHistoryModel model(&clock);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime t = clock.t;
        model.setRefreshes({entry(QStringLiteral("old"), QStringLiteral("Completed"),
                                  t.addSecs(-9000), t.addSecs(-8000))});
        // Accepted a second ago, not listed yet: a row on top, running.
        pbi::Refresh mine =
            entry(QStringLiteral("new-id"), QStringLiteral("Unknown"), t.addSecs(-1), std::nullopt);
        model.setFollowed(mine, false);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.isPending(0));
        QVERIFY(model.index(0, 0).data(RefreshHistoryModel::PendingRole).toBool());
        QCOMPARE(cell(model, 0, RefreshHistoryModel::StatusColumn), QStringLiteral("Running"));
        QCOMPARE(cell(model, 0, RefreshHistoryModel::EndColumn), QStringLiteral("not listed yet"));
        QVERIFY(model.index(0, 0).data(Qt::FontRole).value<QFont>().italic());
        // Updates keep the row.
        model.setFollowed(mine, false);
        QCOMPARE(model.rowCount(), 2);
        // A reload that does not list it yet keeps it on top.
        model.setRefreshes({entry(QStringLiteral("old"), QStringLiteral("Completed"),
                                  t.addSecs(-9000), t.addSecs(-8000))});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.isPending(0));
        // Listed: it becomes its history row; no duplicate.
        model.setRefreshes(
            {entry(QStringLiteral("NEW-ID"), QStringLiteral("Unknown"), t, std::nullopt),
             entry(QStringLiteral("old"), QStringLiteral("Completed"), t.addSecs(-9000),
                   t.addSecs(-8000))});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(!model.isPending(0));
        mine.status = QStringLiteral("Completed");
        mine.endTime = t.addSecs(30);
        model.setFollowed(mine, true);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 0, RefreshHistoryModel::StatusColumn), QStringLiteral("Completed"));
        model.setFollowed(std::nullopt, false);
        QCOMPARE(model.rowCount(), 2);
        // Not listed and then dropped: the row goes.
        model.setFollowed(
            entry(QStringLiteral("third"), QStringLiteral("Unknown"), t, std::nullopt), false);
        QCOMPARE(model.rowCount(), 3);
        model.setFollowed(std::nullopt, false);
        QCOMPARE(model.rowCount(), 2);
        // Listed by the service while this copy of the history is older: a history row on top.
        model.setFollowed(
            entry(QStringLiteral("fourth"), QStringLiteral("Unknown"), t, std::nullopt), false);
        QCOMPARE(model.rowCount(), 3);
        model.setFollowed(
            entry(QStringLiteral("fourth"), QStringLiteral("Unknown"), t, std::nullopt), true);
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(!model.isPending(0));
        QCOMPARE(model.rowOfRequestId(QStringLiteral("fourth")), 0);
        model.setFollowed(
            entry(QStringLiteral("fifth"), QStringLiteral("Unknown"), t, std::nullopt), true);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.rowOfRequestId(QStringLiteral("fifth")), 0);
        QVERIFY(!model.isPending(0));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestRefreshHistoryModel)
#include "tst_refreshhistorymodel.moc"
