// ScheduleEditor against the sandbox: reads the schedule, checks edits as they are made with
// refresh::validate, sends only the changed fields (a disable alone), confirms on production,
// and shows the service's refusal in words with the form kept.

#include "RefreshTestRig.h"

#include "ErrorBanner.h"
#include "ScheduleEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using pbi::ui::ScheduleEditor;

namespace {

template <typename T>
T* child(QWidget* w, const QString& name)
{
    T* c = w->findChild<T*>(name);
    if (!c)
        qFatal("no child %s", qPrintable(name));
    return c;
}

QStringList listed(QListWidget* list)
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i)
        out << list->item(i)->text();
    return out;
}

} // namespace

class TestScheduleEditor : public QObject {
    Q_OBJECT

    struct Editor {
        Editor(RefreshRig& rig, const QString& workspaceName, const QString& datasetName,
               bool production = false)
        {
            ws = rig.workspace(workspaceName);
            ds = ws ? rig.dataset(ws->id, datasetName) : std::nullopt;
            if (!ws || !ds)
                qFatal("no model %s in %s", qPrintable(datasetName), qPrintable(workspaceName));
            ScheduleEditor::Context c;
            c.client = &rig.client;
            c.groupId = ws->id;
            c.datasetId = ds->id;
            c.workspaceName = ws->name;
            c.datasetName = ds->name;
            c.target.servicePrincipal = true; // the demo app
            c.target.premium = ws->isOnDedicatedCapacity;
            c.connection.title = production ? QStringLiteral("Contoso – Production")
                                            : QStringLiteral("Sandbox tenant");
            c.connection.environmentName =
                production ? QStringLiteral("Production") : QStringLiteral("Sandbox");
            c.connection.isProduction = production;
            c.dialogs = &dialogs;
            editor = std::make_unique<ScheduleEditor>(c);
            editor->show();
        }
        bool load()
        {
            QSignalSpy loaded(editor.get(), &ScheduleEditor::loaded);
            editor->load();
            return loaded.wait(15000) && loaded.at(0).at(0).toBool();
        }
        std::optional<pbi::Workspace> ws;
        std::optional<pbi::Dataset> ds;
        ScriptedDialogs dialogs;
        std::unique_ptr<ScheduleEditor> editor;
    };

private Q_SLOTS:
    void readsTheSchedule()
    {
        RefreshRig rig;
        Editor e(rig, QStringLiteral("Sales [Prod]"), QStringLiteral("Sales Analytics"));
        QVERIFY(!e.editor->saveButton()->isEnabled());
        QVERIFY(e.load());
        ScheduleEditor& ed = *e.editor;
        QVERIFY(child<QCheckBox>(&ed, QStringLiteral("enabledCheck"))->isChecked());
        for (const char* day :
             {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
            QVERIFY(
                child<QCheckBox>(&ed, QStringLiteral("day_") + QLatin1String(day))->isChecked());
        QCOMPARE(listed(child<QListWidget>(&ed, QStringLiteral("timesList"))),
                 (QStringList{QStringLiteral("05:00"), QStringLiteral("11:30"),
                              QStringLiteral("17:30")}));
        QCOMPARE(child<QComboBox>(&ed, QStringLiteral("timeZoneCombo"))->currentText(),
                 QStringLiteral("W. Europe Standard Time"));
        QCOMPARE(
            child<QComboBox>(&ed, QStringLiteral("scheduleNotifyCombo"))->currentData().toString(),
            QStringLiteral("MailOnFailure"));
        QVERIFY(ed.update().isEmpty());
        QCOMPARE(child<QLabel>(&ed, QStringLiteral("scheduleChanges"))->text(),
                 QStringLiteral("No changes yet."));
        QVERIFY(!ed.saveButton()->isEnabled());
    }

    void checksEditsAsTheyAreMade()
    {
        RefreshRig rig;
        Editor e(rig, QStringLiteral("Sales [Prod]"), QStringLiteral("Sales Analytics"));
        QVERIFY(e.load());
        ScheduleEditor& ed = *e.editor;
        auto* notify = child<QComboBox>(&ed, QStringLiteral("scheduleNotifyCombo"));
        // A time off the half hour, typed and added.
        auto* newTime = child<QComboBox>(&ed, QStringLiteral("newTimeCombo"));
        newTime->setEditText(QStringLiteral("07:15"));
        QTest::mouseClick(child<QPushButton>(&ed, QStringLiteral("addTimeButton")), Qt::LeftButton);
        QVERIFY(listed(child<QListWidget>(&ed, QStringLiteral("timesList")))
                    .contains(QStringLiteral("07:15")));
        QVERIFY(ed.problemText(QStringLiteral("times")).contains(QStringLiteral("half hour")));
        QVERIFY(child<QLabel>(&ed, QStringLiteral("problem_times"))->isVisible());
        QVERIFY(!ed.saveButton()->isEnabled());
        // The app keeps mailing on failure: the service refuses any change from a service
        // principal until the option is No notification.
        QVERIFY(ed.problemText(QStringLiteral("notifyOption"))
                    .contains(QStringLiteral("NoNotification")));
        notify->setCurrentIndex(notify->findData(QStringLiteral("NoNotification")));
        QVERIFY(ed.problemText(QStringLiteral("notifyOption")).isEmpty());
        auto* times = child<QListWidget>(&ed, QStringLiteral("timesList"));
        times->setCurrentRow(int(listed(times).indexOf(QStringLiteral("07:15"))));
        QTest::mouseClick(child<QPushButton>(&ed, QStringLiteral("removeTimeButton")),
                          Qt::LeftButton);
        QVERIFY(ed.problemText(QStringLiteral("times")).isEmpty());
        QVERIFY(ed.saveButton()->isEnabled());
        // No day at all for an enabled schedule.
        for (const char* day :
             {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
            child<QCheckBox>(&ed, QStringLiteral("day_") + QLatin1String(day))->setChecked(false);
        QVERIFY(
            ed.problemText(QStringLiteral("days")).contains(QStringLiteral("at least one day")));
        QVERIFY(!ed.saveButton()->isEnabled());
        child<QCheckBox>(&ed, QStringLiteral("day_Monday"))->setChecked(true);
        QVERIFY(ed.problemText(QStringLiteral("days")).isEmpty());
        // An IANA zone is not what the service takes.
        auto* zone = child<QComboBox>(&ed, QStringLiteral("timeZoneCombo"));
        zone->setEditText(QStringLiteral("Europe/Berlin"));
        QVERIFY(
            ed.problemText(QStringLiteral("localTimeZoneId")).contains(QStringLiteral("Windows")));
        zone->setEditText(QStringLiteral("Pacific Standard Time"));
        QVERIFY(ed.problemText(QStringLiteral("localTimeZoneId")).isEmpty());
        // Only what changed would be sent.
        const pbi::RefreshScheduleUpdate u = ed.update();
        QVERIFY(!u.enabled && !u.times);
        QCOMPARE(u.days, std::optional<QStringList>(QStringList{QStringLiteral("Monday")}));
        QCOMPARE(u.localTimeZoneId,
                 std::optional<QString>(QStringLiteral("Pacific Standard Time")));
        QCOMPARE(u.notifyOption, std::optional<QString>(QStringLiteral("NoNotification")));
        QVERIFY(ed.saveButton()->isEnabled());
    }

    void disablingIsSentAlone()
    {
        RefreshRig rig;
        Editor e(rig, QStringLiteral("Sales [Prod]"), QStringLiteral("Sales Analytics"));
        QVERIFY(e.load());
        ScheduleEditor& ed = *e.editor;
        QVERIFY(rig.takeOver(e.ws->id, e.ds->id) == 200);
        child<QCheckBox>(&ed, QStringLiteral("day_Sunday"))->setChecked(false);
        QTest::mouseClick(child<QCheckBox>(&ed, QStringLiteral("enabledCheck")), Qt::LeftButton, {},
                          QPoint(5, 5));
        QVERIFY(!child<QCheckBox>(&ed, QStringLiteral("enabledCheck"))->isChecked());
        QVERIFY(ed.problemText(QStringLiteral("enabled")).contains(QStringLiteral("nothing else")));
        QVERIFY(!ed.saveButton()->isEnabled());
        child<QCheckBox>(&ed, QStringLiteral("day_Sunday"))->setChecked(true);
        QVERIFY(ed.problems().empty());
        const pbi::RefreshScheduleUpdate u = ed.update();
        QCOMPARE(u.enabled, std::optional<bool>(false));
        QVERIFY(!u.days && !u.times && !u.localTimeZoneId && !u.notifyOption);
        QSignalSpy saved(&ed, &ScheduleEditor::saved);
        QTest::mouseClick(ed.saveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 15000);
        // On the wire: {"value":{"enabled":false}} and nothing else.
        const pbi::RequestLogEntry* patch = nullptr;
        for (const auto& entry : rig.f.log.entries())
            if (entry.method == "PATCH")
                patch = &entry;
        QVERIFY(patch);
        const QJsonObject value = QJsonDocument::fromJson(patch->requestBody)
                                      .object()
                                      .value(QStringLiteral("value"))
                                      .toObject();
        QCOMPARE(value.keys(), QStringList{QStringLiteral("enabled")});
        const auto after = await<pbi::RefreshSchedule>(
            [&](QObject* c, auto cb) { rig.client.refreshSchedule(e.ws->id, e.ds->id, c, cb); });
        QVERIFY(after && *after);
        QVERIFY(!after->value().enabled);
        QCOMPARE(after->value().days.size(), 7);
    }

    void refusalInWordsAndSavingOnlyChanges()
    {
        RefreshRig rig;
        Editor e(rig, QStringLiteral("Customer Success [Prod]"), QStringLiteral("Support Tickets"));
        QVERIFY(e.load());
        ScheduleEditor& ed = *e.editor;
        ed.addTime(QStringLiteral("20:30"));
        auto* notify = child<QComboBox>(&ed, QStringLiteral("scheduleNotifyCombo"));
        notify->setCurrentIndex(notify->findData(QStringLiteral("NoNotification")));
        QVERIFY(ed.saveButton()->isEnabled());
        // The demo app does not own the model: the service says so, the form stays as typed.
        QTest::mouseClick(ed.saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(ed.errorBanner()->isVisible(), 15000);
        const QString text = ed.errorBanner()->text();
        QVERIFY2(text.contains(QStringLiteral("refused the schedule change")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("dataset owner")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("InvalidRequest")), qPrintable(text));
        QVERIFY(ed.isVisible());
        QVERIFY(listed(child<QListWidget>(&ed, QStringLiteral("timesList")))
                    .contains(QStringLiteral("20:30")));
        QVERIFY(ed.saveButton()->isEnabled());
        // Once it owns the model, the same change goes through; only times and notify are sent.
        QCOMPARE(rig.takeOver(e.ws->id, e.ds->id), 200);
        QSignalSpy saved(&ed, &ScheduleEditor::saved);
        QTest::mouseClick(ed.saveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 15000);
        const auto u = saved.at(0).at(0).value<pbi::RefreshScheduleUpdate>();
        QVERIFY(u.times && u.notifyOption && !u.days && !u.enabled && !u.localTimeZoneId);
        QVERIFY(!ed.isVisible());
        const auto after = await<pbi::RefreshSchedule>(
            [&](QObject* c, auto cb) { rig.client.refreshSchedule(e.ws->id, e.ds->id, c, cb); });
        QVERIFY(after && *after);
        QVERIFY(after->value().times.contains(QStringLiteral("20:30")));
        QCOMPARE(after->value().notifyOption,
                 std::optional<QString>(QStringLiteral("NoNotification")));
    }

    void productionAsksFirst()
    {
        RefreshRig rig;
        Editor e(rig, QStringLiteral("Marketing [Dev]"), QStringLiteral("Campaign Performance"),
                 true);
        QVERIFY(e.load());
        ScheduleEditor& ed = *e.editor;
        // Never scheduled: the service answers a disabled default.
        QVERIFY(child<QLabel>(&ed, QStringLiteral("scheduleState"))
                    ->text()
                    .contains(QStringLiteral("no refresh schedule")));
        QVERIFY(!child<QCheckBox>(&ed, QStringLiteral("enabledCheck"))->isChecked());
        QTest::mouseClick(child<QCheckBox>(&ed, QStringLiteral("enabledCheck")), Qt::LeftButton, {},
                          QPoint(5, 5));
        QVERIFY(
            ed.problemText(QStringLiteral("days")).contains(QStringLiteral("at least one day")));
        child<QCheckBox>(&ed, QStringLiteral("day_Wednesday"))->setChecked(true);
        ed.addTime(QStringLiteral("06:00"));
        auto* notify = child<QComboBox>(&ed, QStringLiteral("scheduleNotifyCombo"));
        notify->setCurrentIndex(notify->findData(QStringLiteral("NoNotification")));
        QVERIFY(ed.problems().empty());
        e.dialogs.confirmAnswer = false;
        QTest::mouseClick(ed.saveButton(), Qt::LeftButton);
        QCOMPARE(e.dialogs.confirms, 1);
        QVERIFY(e.dialogs.lastConfirmText.contains(QStringLiteral("Campaign Performance")));
        QVERIFY(e.dialogs.lastConfirmText.contains(
            QStringLiteral("Contoso – Production (Production)")));
        QVERIFY(e.dialogs.lastConfirmText.contains(QStringLiteral("Wednesday")));
        QCOMPARE(rig.calls("PATCH", QStringLiteral("/refreshSchedule")), 0);
        QVERIFY(ed.isVisible());
    }
};

QTEST_MAIN(TestScheduleEditor)
#include "tst_scheduleeditor.moc"
