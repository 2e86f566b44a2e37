#pragma once

#include "ConnectionDescription.h"

#include "api/Refresh.h"
#include "refresh/RefreshRules.h"

#include <QDialog>
#include <QHash>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace pbi {
class PowerBiClient;
}

namespace pbi::ui {

class DialogSeam;
class ErrorBanner;

/// Edits a semantic model's scheduled refresh: days, times (on the hour or half hour), time
/// zone, enabled, notify option. Reads the schedule first; sends only the fields that changed,
/// after refresh::validate() (the service's rules: a disable request carries nothing else, at
/// least one day, slot limits). A refusal is shown in words, with the form kept as typed.
class ScheduleEditor : public QDialog {
    Q_OBJECT
public:
    struct Context {
        pbi::PowerBiClient* client = nullptr;
        QString groupId;
        QString datasetId;
        QString workspaceName;
        QString datasetName;
        pbi::refresh::Target target;
        ConnectionDescription connection;
        DialogSeam* dialogs = nullptr;
    };

    explicit ScheduleEditor(Context context, QWidget* parent = nullptr);

    /// Reads the schedule (GET) and fills the form; loaded() tells when.
    void load();
    bool isLoaded() const { return m_current.has_value(); }
    const std::optional<pbi::RefreshSchedule>& current() const { return m_current; }

    /// The changes the form holds against the schedule as read: changed fields only.
    pbi::RefreshScheduleUpdate update() const;
    const std::vector<pbi::refresh::Problem>& problems() const { return m_problems; }
    /// The problem text beside a field ("days", "times", "localTimeZoneId", "enabled",
    /// "notifyOption"; "" for the rest), empty if none.
    QString problemText(const QString& field) const;
    QPushButton* saveButton() const { return m_save; }
    ErrorBanner* errorBanner() const { return m_error; }

    /// Adds a time as typed ("07:30"); what validate() thinks of it shows beside the list.
    void addTime(const QString& time);
    /// Sends the changes (after the production confirmation); also what Save does.
    void save();

    /// Common Windows time zone ids, for the combo.
    static QStringList commonTimeZones();

Q_SIGNALS:
    void loaded(bool ok);
    /// The service accepted the change; the dialog closes.
    void saved(const pbi::RefreshScheduleUpdate& update);

private:
    QLabel* problemLabel(const QString& field);
    void fill(const pbi::RefreshSchedule& schedule);
    QStringList checkedDays() const;
    QStringList listedTimes() const;
    void revalidate();
    void updateEnabled();

    Context m_context;
    std::optional<pbi::RefreshSchedule> m_current;
    QLabel* m_state;
    QCheckBox* m_enabled;
    QHash<QString, QCheckBox*> m_days;
    QListWidget* m_times;
    QComboBox* m_newTime;
    QPushButton* m_addTime;
    QPushButton* m_removeTime;
    QComboBox* m_timeZone;
    QComboBox* m_notify;
    QLabel* m_changes;
    ErrorBanner* m_error;
    QDialogButtonBox* m_buttons;
    QPushButton* m_save;
    QHash<QString, QLabel*> m_problemLabels;
    std::vector<pbi::refresh::Problem> m_problems;
    bool m_loading = false;
    bool m_saving = false;
    bool m_filling = false;
};

} // namespace pbi::ui
