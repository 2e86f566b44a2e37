#include "ScheduleEditor.h"

#include "DialogSeam.h"
#include "ErrorBanner.h"

#include "api/PowerBiClient.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

#include <algorithm>

namespace pbi::ui {

namespace {

const QStringList& weekDays()
{
    static const QStringList days = {QStringLiteral("Monday"),    QStringLiteral("Tuesday"),
                                     QStringLiteral("Wednesday"), QStringLiteral("Thursday"),
                                     QStringLiteral("Friday"),    QStringLiteral("Saturday"),
                                     QStringLiteral("Sunday")};
    return days;
}

QString problemColour(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QStringLiteral("#ff8a80")
                                                             : QStringLiteral("#b3261e");
}

QString fieldKey(const QString& field)
{
    for (const char* key : {"days", "times"})
        if (field.startsWith(QLatin1String(key)))
            return QString::fromLatin1(key);
    return field;
}

bool sameSet(QStringList a, QStringList b)
{
    a.sort();
    b.sort();
    a.removeDuplicates();
    b.removeDuplicates();
    return a == b;
}

} // namespace

QStringList ScheduleEditor::commonTimeZones()
{
    return {QStringLiteral("UTC"),
            QStringLiteral("GMT Standard Time"),
            QStringLiteral("W. Europe Standard Time"),
            QStringLiteral("Central Europe Standard Time"),
            QStringLiteral("Romance Standard Time"),
            QStringLiteral("E. Europe Standard Time"),
            QStringLiteral("FLE Standard Time"),
            QStringLiteral("Russian Standard Time"),
            QStringLiteral("Arabian Standard Time"),
            QStringLiteral("India Standard Time"),
            QStringLiteral("SE Asia Standard Time"),
            QStringLiteral("China Standard Time"),
            QStringLiteral("Singapore Standard Time"),
            QStringLiteral("Tokyo Standard Time"),
            QStringLiteral("AUS Eastern Standard Time"),
            QStringLiteral("New Zealand Standard Time"),
            QStringLiteral("Hawaiian Standard Time"),
            QStringLiteral("Alaskan Standard Time"),
            QStringLiteral("Pacific Standard Time"),
            QStringLiteral("Mountain Standard Time"),
            QStringLiteral("Central Standard Time"),
            QStringLiteral("Eastern Standard Time"),
            QStringLiteral("Atlantic Standard Time"),
            QStringLiteral("E. South America Standard Time"),
            QStringLiteral("South Africa Standard Time")};
}

ScheduleEditor::ScheduleEditor(Context context, QWidget* parent)
    : QDialog(parent)
    , m_context(std::move(context))
    , m_state(new QLabel(this))
    , m_enabled(new QCheckBox(tr("&Scheduled refresh is on"), this))
    , m_times(new QListWidget(this))
    , m_newTime(new QComboBox(this))
    , m_addTime(new QPushButton(tr("&Add time"), this))
    , m_removeTime(new QPushButton(tr("&Remove"), this))
    , m_timeZone(new QComboBox(this))
    , m_notify(new QComboBox(this))
    , m_changes(new QLabel(this))
    , m_error(new ErrorBanner(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_save(m_buttons->addButton(tr("&Save schedule"), QDialogButtonBox::AcceptRole))
{
    setObjectName(QStringLiteral("scheduleEditor"));
    setWindowTitle(tr("Refresh schedule of “%1”").arg(m_context.datasetName));
    setMinimumWidth(520);

    auto* heading = new QLabel(tr("<b>%1</b> in workspace <b>%2</b><br>%3")
                                   .arg(m_context.datasetName.toHtmlEscaped(),
                                        m_context.workspaceName.toHtmlEscaped(),
                                        m_context.connection.isProduction
                                            ? tr("<span style=\"color:%1\"><b>Production</b> (%2): "
                                                 "you will be asked to confirm.</span>")
                                                  .arg(problemColour(palette()),
                                                       m_context.connection.title.toHtmlEscaped())
                                            : m_context.connection.title.toHtmlEscaped()),
                               this);
    heading->setWordWrap(true);
    m_state->setObjectName(QStringLiteral("scheduleState"));
    m_enabled->setObjectName(QStringLiteral("enabledCheck"));

    auto* daysRow = new QWidget(this);
    auto* daysH = new QHBoxLayout(daysRow);
    daysH->setContentsMargins(0, 0, 0, 0);
    for (const QString& day : weekDays()) {
        auto* box = new QCheckBox(
            QLocale().dayName(int(weekDays().indexOf(day)) + 1, QLocale::ShortFormat), this);
        box->setObjectName(QStringLiteral("day_") + day);
        box->setToolTip(day);
        daysH->addWidget(box);
        m_days.insert(day, box);
        connect(box, &QCheckBox::toggled, this, &ScheduleEditor::revalidate);
    }
    daysH->addStretch();

    m_times->setObjectName(QStringLiteral("timesList"));
    m_times->setMaximumHeight(110);
    m_newTime->setObjectName(QStringLiteral("newTimeCombo"));
    m_newTime->setEditable(true);
    for (int h = 0; h < 24; ++h)
        for (int m : {0, 30})
            m_newTime->addItem(QStringLiteral("%1:%2")
                                   .arg(h, 2, 10, QLatin1Char('0'))
                                   .arg(m, 2, 10, QLatin1Char('0')));
    m_newTime->setCurrentText(QStringLiteral("06:00"));
    m_newTime->setToolTip(tr("hh:mm on the hour or half hour, in the schedule's time zone"));
    m_addTime->setObjectName(QStringLiteral("addTimeButton"));
    m_removeTime->setObjectName(QStringLiteral("removeTimeButton"));
    auto* timeButtons = new QVBoxLayout;
    timeButtons->addWidget(m_newTime);
    timeButtons->addWidget(m_addTime);
    timeButtons->addWidget(m_removeTime);
    timeButtons->addStretch();
    auto* timesRow = new QHBoxLayout;
    timesRow->addWidget(m_times, 1);
    timesRow->addLayout(timeButtons);

    m_timeZone->setObjectName(QStringLiteral("timeZoneCombo"));
    m_timeZone->setEditable(true);
    m_timeZone->addItems(commonTimeZones());
    m_timeZone->setToolTip(
        tr("A Windows time zone id, as the service uses (e.g. W. Europe Standard Time)"));
    m_notify->setObjectName(QStringLiteral("scheduleNotifyCombo"));
    m_notify->addItem(tr("No notification"), QStringLiteral("NoNotification"));
    m_notify->addItem(tr("Mail the owner on failure"), QStringLiteral("MailOnFailure"));
    m_changes->setObjectName(QStringLiteral("scheduleChanges"));
    m_changes->setWordWrap(true);
    m_save->setObjectName(QStringLiteral("saveButton"));

    const auto withProblem = [this](QLayout* inner, QWidget* single, const QString& key) {
        auto* box = new QWidget(this);
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        if (inner)
            v->addLayout(inner);
        if (single)
            v->addWidget(single);
        v->addWidget(problemLabel(key));
        return box;
    };
    auto* form = new QFormLayout;
    form->addRow(QString(), withProblem(nullptr, m_enabled, QStringLiteral("enabled")));
    form->addRow(tr("Days:"), withProblem(nullptr, daysRow, QStringLiteral("days")));
    form->addRow(tr("&Times:"), withProblem(timesRow, nullptr, QStringLiteral("times")));
    form->addRow(tr("Time &zone:"),
                 withProblem(nullptr, m_timeZone, QStringLiteral("localTimeZoneId")));
    form->addRow(tr("&Notify:"), withProblem(nullptr, m_notify, QStringLiteral("notifyOption")));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(m_state);
    layout->addLayout(form);
    layout->addWidget(problemLabel(QString()));
    layout->addWidget(m_changes);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_enabled, &QCheckBox::toggled, this, &ScheduleEditor::revalidate);
    connect(m_timeZone, &QComboBox::currentTextChanged, this, &ScheduleEditor::revalidate);
    connect(m_notify, &QComboBox::currentIndexChanged, this, &ScheduleEditor::revalidate);
    connect(m_addTime, &QPushButton::clicked, this, [this] { addTime(m_newTime->currentText()); });
    connect(m_removeTime, &QPushButton::clicked, this, [this] {
        delete m_times->takeItem(m_times->currentRow());
        revalidate();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ScheduleEditor::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_error, &ErrorBanner::retryRequested, this, [this] {
        if (m_current)
            save();
        else
            load();
    });
    updateEnabled();
}

QLabel* ScheduleEditor::problemLabel(const QString& field)
{
    auto* label = new QLabel(this);
    label->setObjectName(QStringLiteral("problem_") +
                         (field.isEmpty() ? QStringLiteral("general") : field));
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(problemColour(palette())));
    label->hide();
    m_problemLabels.insert(field, label);
    return label;
}

void ScheduleEditor::load()
{
    if (!m_context.client || m_loading)
        return;
    m_loading = true;
    m_error->clear();
    m_state->setText(tr("Reading the schedule…"));
    m_state->show();
    updateEnabled();
    m_context.client->refreshSchedule(
        m_context.groupId, m_context.datasetId, this, [this](pbi::Result<pbi::RefreshSchedule> r) {
            m_loading = false;
            if (!r) {
                m_state->setText(tr("The schedule could not be read."));
                m_error->showError(tr("Could not read the refresh schedule."), r.error());
                updateEnabled();
                Q_EMIT loaded(false);
                return;
            }
            fill(r.value());
            Q_EMIT loaded(true);
        });
}

void ScheduleEditor::fill(const pbi::RefreshSchedule& s)
{
    m_filling = true;
    m_current = s;
    m_enabled->setChecked(s.enabled);
    for (auto it = m_days.begin(); it != m_days.end(); ++it)
        it.value()->setChecked(s.days.contains(it.key()));
    m_times->clear();
    QStringList times = s.times;
    times.sort();
    m_times->addItems(times);
    const QString zone = s.localTimeZoneId.value_or(QStringLiteral("UTC"));
    if (m_timeZone->findText(zone) < 0)
        m_timeZone->insertItem(0, zone);
    m_timeZone->setCurrentText(zone);
    m_notify->setCurrentIndex(
        m_notify->findData(s.notifyOption.value_or(QStringLiteral("NoNotification"))));
    m_state->setText(s.days.isEmpty() && !s.enabled ? tr("This model has no refresh schedule yet.")
                                                    : QString());
    m_state->setVisible(!m_state->text().isEmpty());
    m_filling = false;
    revalidate();
}

QStringList ScheduleEditor::checkedDays() const
{
    QStringList out;
    for (const QString& day : weekDays())
        if (m_days.value(day)->isChecked())
            out << day;
    return out;
}

QStringList ScheduleEditor::listedTimes() const
{
    QStringList out;
    for (int i = 0; i < m_times->count(); ++i)
        out << m_times->item(i)->text();
    return out;
}

void ScheduleEditor::addTime(const QString& time)
{
    const QString t = time.trimmed();
    if (t.isEmpty())
        return;
    // Keep the list in time order; a time that is not hh:mm lands where it sorts, marked.
    int row = 0;
    while (row < m_times->count() && m_times->item(row)->text() < t)
        ++row;
    m_times->insertItem(row, t);
    m_times->setCurrentRow(row);
    revalidate();
}

pbi::RefreshScheduleUpdate ScheduleEditor::update() const
{
    pbi::RefreshScheduleUpdate u;
    if (!m_current)
        return u;
    const pbi::RefreshSchedule& c = *m_current;
    if (m_enabled->isChecked() != c.enabled)
        u.enabled = m_enabled->isChecked();
    const QStringList days = checkedDays();
    if (!sameSet(days, c.days))
        u.days = days;
    const QStringList times = listedTimes();
    // A duplicate is a change too (the service would refuse it): compare as typed, in order.
    QStringList currentSorted = c.times;
    currentSorted.sort();
    if (times != currentSorted)
        u.times = times;
    const QString zone = m_timeZone->currentText().trimmed();
    if (zone != c.localTimeZoneId.value_or(QString()))
        u.localTimeZoneId = zone;
    const QString notify = m_notify->currentData().toString();
    if (!notify.isEmpty() && notify != c.notifyOption.value_or(QString()))
        u.notifyOption = notify;
    return u;
}

QString ScheduleEditor::problemText(const QString& field) const
{
    const QLabel* label = m_problemLabels.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

void ScheduleEditor::revalidate()
{
    if (m_filling)
        return;
    const pbi::RefreshScheduleUpdate u = update();
    m_problems.clear();
    if (m_current && !u.isEmpty())
        m_problems = pbi::refresh::validate(u, *m_current, m_context.target);
    QHash<QString, QStringList> byField;
    QSet<int> badTimes;
    for (const auto& p : m_problems) {
        const QString key = fieldKey(p.field);
        byField[m_problemLabels.contains(key) ? key : QString()] << p.message;
        if (p.field.startsWith(QLatin1String("times[")))
            badTimes.insert(p.field.mid(6, p.field.indexOf(QLatin1Char(']')) - 6).toInt());
    }
    for (auto it = m_problemLabels.begin(); it != m_problemLabels.end(); ++it) {
        const QStringList lines = byField.value(it.key());
        it.value()->setText(lines.join(QLatin1Char('\n')));
        it.value()->setVisible(!lines.isEmpty());
    }
    for (int i = 0; i < m_times->count(); ++i)
        m_times->item(i)->setForeground(
            badTimes.contains(i) ? QBrush(QColor(problemColour(palette()))) : QBrush());
    // Say what Save will send, in words.
    QStringList parts;
    if (u.enabled)
        parts << (*u.enabled ? tr("turn the schedule on") : tr("turn the schedule off"));
    if (u.days)
        parts << tr("days: %1")
                     .arg(u.days->isEmpty() ? tr("none") : u.days->join(QStringLiteral(", ")));
    if (u.times)
        parts << tr("times: %1")
                     .arg(u.times->isEmpty() ? tr("none (the service picks one)")
                                             : u.times->join(QStringLiteral(", ")));
    if (u.localTimeZoneId)
        parts << tr("time zone: %1").arg(*u.localTimeZoneId);
    if (u.notifyOption)
        parts << tr("notify: %1").arg(m_notify->currentText().toLower());
    if (!m_current)
        m_changes->clear();
    else if (parts.isEmpty())
        m_changes->setText(tr("No changes yet."));
    else
        m_changes->setText(tr("Save will change only: %1.").arg(parts.join(QStringLiteral("; "))));
    updateEnabled();
}

void ScheduleEditor::updateEnabled()
{
    const bool editable = m_current.has_value() && !m_saving;
    for (QWidget* w : std::initializer_list<QWidget*>{m_enabled, m_times, m_newTime, m_addTime,
                                                      m_removeTime, m_timeZone, m_notify})
        w->setEnabled(editable);
    for (QCheckBox* box : std::as_const(m_days))
        box->setEnabled(editable);
    m_save->setEnabled(editable && m_problems.empty() && !update().isEmpty());
    m_save->setText(m_saving ? tr("Saving…") : tr("&Save schedule"));
}

void ScheduleEditor::save()
{
    revalidate();
    const pbi::RefreshScheduleUpdate u = update();
    if (!m_current || m_saving || u.isEmpty() || !m_problems.empty() || !m_context.client)
        return;
    if (m_context.connection.isProduction) {
        WidgetDialogs fallback;
        DialogSeam* dialogs = m_context.dialogs ? m_context.dialogs : &fallback;
        const bool go = dialogs->confirm(
            this, tr("Change a production schedule?"),
            tr("Change the refresh schedule of “%1” in workspace “%2” on %3 (%4)?\n\n%5")
                .arg(m_context.datasetName, m_context.workspaceName, m_context.connection.title,
                     m_context.connection.environmentName, m_changes->text()),
            tr("Save schedule"));
        if (!go)
            return;
    }
    m_saving = true;
    m_error->clear();
    updateEnabled();
    m_context.client->updateRefreshSchedule(
        m_context.groupId, m_context.datasetId, u, this, [this, u](pbi::Result<pbi::Done> r) {
            m_saving = false;
            if (!r) {
                m_error->showError(tr("The service refused the schedule change."), r.error());
                updateEnabled();
                return;
            }
            Q_EMIT saved(u);
            accept();
        });
}

} // namespace pbi::ui
