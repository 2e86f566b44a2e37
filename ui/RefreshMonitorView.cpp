#include "RefreshMonitorView.h"

#include "DialogSeam.h"
#include "ErrorBanner.h"
#include "RefreshCsv.h"
#include "RefreshMonitorModel.h"

#include "Clock.h"
#include "api/PowerBiClient.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QSettings>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace pbi::ui {

namespace {
const QString kIntervalKey = QStringLiteral("refreshMonitor/autoUpdateMinutes");
}

RefreshMonitorView::RefreshMonitorView(const pbi::Clock* clock, QWidget* parent)
    : QWidget(parent)
    , m_clock(clock)
    , m_model(new RefreshMonitorModel(clock, this))
    , m_proxy(new RefreshMonitorProxy(clock, this))
    , m_scope(new QLabel(this))
    , m_sweep(new QPushButton(tr("S&weep now"), this))
    , m_cancel(new QPushButton(tr("&Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_interval(new QComboBox(this))
    , m_failed(new QCheckBox(tr("&Failed"), this))
    , m_running(new QCheckBox(tr("&Running"), this))
    , m_within(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_export(new QPushButton(tr("&Export CSV…"), this))
    , m_error(new ErrorBanner(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_problemsTitle(new QLabel(this))
    , m_problems(new QListWidget(this))
    , m_auto(new QTimer(this))
    , m_textDebounce(new QTimer(this))
{
    setObjectName(QStringLiteral("refreshMonitorView"));
    m_scope->setObjectName(QStringLiteral("monitorScope"));
    m_scope->setWordWrap(true);
    m_sweep->setObjectName(QStringLiteral("sweepButton"));
    m_cancel->setObjectName(QStringLiteral("cancelSweepButton"));
    m_progress->setObjectName(QStringLiteral("sweepProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setFormat(tr("%v of %m calls"));
    m_progress->hide();
    m_interval->setObjectName(QStringLiteral("autoUpdateCombo"));
    m_interval->addItem(tr("Off"), 0);
    m_interval->addItem(tr("Every minute"), 1);
    m_interval->addItem(tr("Every 5 minutes"), 5);
    m_interval->addItem(tr("Every 15 minutes"), 15);
    m_failed->setObjectName(QStringLiteral("failedOnlyCheck"));
    m_failed->setToolTip(tr("Only failed refreshes"));
    m_running->setObjectName(QStringLiteral("runningOnlyCheck"));
    m_running->setToolTip(tr("Only refreshes running now"));
    m_within->setObjectName(QStringLiteral("withinCombo"));
    m_within->addItem(tr("Any time"), 0);
    m_within->addItem(tr("Last 24 hours"), 24);
    m_within->addItem(tr("Last 7 days"), 24 * 7);
    m_text->setObjectName(QStringLiteral("monitorFilter"));
    m_text->setPlaceholderText(tr("Filter: workspace, model or error code"));
    m_text->setClearButtonEnabled(true);
    m_export->setObjectName(QStringLiteral("exportCsvButton"));

    m_proxy->setSourceModel(m_model);
    m_table->setObjectName(QStringLiteral("monitorTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RefreshMonitorModel::StartColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics fm(font());
    const auto width = [&fm](const QString& sample) { return fm.horizontalAdvance(sample) + 32; };
    m_table->setColumnWidth(RefreshMonitorModel::WorkspaceColumn,
                            width(QStringLiteral("Data Platform - Shared Models")));
    m_table->setColumnWidth(RefreshMonitorModel::ModelColumn,
                            width(QStringLiteral("Enterprise Sales (certified)")));
    m_table->setColumnWidth(RefreshMonitorModel::StatusColumn,
                            width(QStringLiteral("Completed")) + 8);
    m_table->setColumnWidth(RefreshMonitorModel::TypeColumn, width(QStringLiteral("Enhanced API")));
    m_table->setColumnWidth(RefreshMonitorModel::StartColumn,
                            width(QStringLiteral("2026-08-28 23:59")));
    m_table->setColumnWidth(RefreshMonitorModel::DurationColumn,
                            width(QStringLiteral("12 min 59 s")));
    m_table->setColumnWidth(RefreshMonitorModel::ErrorColumn,
                            width(QStringLiteral("ModelRefresh_ShortMessage_ProcessingError")));
    m_table->setColumnHidden(RefreshMonitorModel::CapacityColumn, true);

    m_summary->setObjectName(QStringLiteral("monitorSummary"));
    m_problemsTitle->setObjectName(QStringLiteral("monitorProblemsTitle"));
    m_problems->setObjectName(QStringLiteral("monitorProblems"));
    m_problems->setMaximumHeight(72);
    m_problems->setWordWrap(true);
    m_problemsTitle->hide();
    m_problems->hide();

    auto* actions = new QHBoxLayout;
    actions->addWidget(m_sweep);
    actions->addWidget(m_cancel);
    actions->addWidget(m_progress);
    actions->addStretch();
    auto* autoLabel = new QLabel(tr("&Auto-update:"), this);
    autoLabel->setBuddy(m_interval);
    actions->addWidget(autoLabel);
    actions->addWidget(m_interval);
    actions->addWidget(m_export);
    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Show:"), this));
    filters->addWidget(m_failed);
    filters->addWidget(m_running);
    filters->addWidget(m_within);
    filters->addWidget(m_text, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_scope);
    layout->addLayout(actions);
    layout->addLayout(filters);
    layout->addWidget(m_error);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_problemsTitle);
    layout->addWidget(m_problems);

    connect(m_sweep, &QPushButton::clicked, this, &RefreshMonitorView::sweep);
    connect(m_cancel, &QPushButton::clicked, this, &RefreshMonitorView::cancel);
    connect(m_error, &ErrorBanner::retryRequested, this, &RefreshMonitorView::sweep);
    connect(m_failed, &QCheckBox::toggled, this, &RefreshMonitorView::applyFilter);
    connect(m_running, &QCheckBox::toggled, this, &RefreshMonitorView::applyFilter);
    connect(m_within, &QComboBox::currentIndexChanged, this, &RefreshMonitorView::applyFilter);
    // matches() decodes error codes: wait for a pause in typing on big tenants.
    m_textDebounce->setSingleShot(true);
    m_textDebounce->setInterval(200);
    connect(m_text, &QLineEdit::textChanged, m_textDebounce, qOverload<>(&QTimer::start));
    connect(m_textDebounce, &QTimer::timeout, this, &RefreshMonitorView::applyFilter);
    connect(m_interval, &QComboBox::currentIndexChanged, this, [this] {
        const int minutes = m_interval->currentData().toInt();
        if (minutes > 0)
            m_auto->start(minutes * 60'000);
        else
            m_auto->stop();
        if (m_settings)
            m_settings->setValue(kIntervalKey, minutes);
        updateControls();
    });
    connect(m_auto, &QTimer::timeout, this, &RefreshMonitorView::sweep);
    connect(m_table, &QAbstractItemView::activated, this, &RefreshMonitorView::activate);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RefreshMonitorView::updateControls);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &RefreshMonitorView::updateControls);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &RefreshMonitorView::updateControls);
    connect(m_export, &QPushButton::clicked, this, [this] {
        WidgetDialogs fallback;
        DialogSeam* dialogs = m_dialogs ? m_dialogs : &fallback;
        const QString suggested =
            QStringLiteral("refreshes-%1.csv")
                .arg(m_clock->now().toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmm")));
        const QString path =
            dialogs->saveFileName(this, tr("Export refreshes"), suggested, tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!exportCsv(path, &error))
            dialogs->inform(this, tr("Export refreshes"), error);
    });
    setConnection(nullptr, {});
}

RefreshMonitorView::~RefreshMonitorView()
{
    delete m_monitor; // cancels a running sweep while the client still lives
}

void RefreshMonitorView::setConnection(pbi::PowerBiClient* client,
                                       const ConnectionDescription& connection)
{
    delete m_monitor;
    m_monitor = nullptr;
    m_client = client;
    m_connection = connection;
    m_swept = false;
    m_model->setRows({});
    m_error->clear();
    m_problems->clear();
    m_problems->hide();
    m_problemsTitle->hide();
    m_summary->clear();
    if (client) {
        m_monitor = new pbi::refresh::RefreshMonitor(client, this);
        m_monitor->setScope(connection.adminScope ? pbi::refresh::MonitorScope::Admin
                                                  : pbi::refresh::MonitorScope::Member);
        connect(m_monitor, &pbi::refresh::RefreshMonitor::progress, this,
                [this](int done, int total) {
                    m_progress->setRange(0, std::max(1, total));
                    m_progress->setValue(done);
                });
        connect(m_monitor, &pbi::refresh::RefreshMonitor::sweepFinished, this,
                &RefreshMonitorView::sweepFinished);
        connect(m_monitor, &pbi::refresh::RefreshMonitor::sweepFailed, this,
                [this](const pbi::Error& e) {
                    m_error->showError(tr("The sweep could not start."), e);
                    updateControls();
                    Q_EMIT sweepEnded(false);
                });
        m_scope->setText(
            connection.adminScope
                ? tr("<b>Admin scope</b>: the last refresh of every model on a capacity "
                     "(GET admin/capacities/refreshables).")
                : tr("<b>Member scope</b>: the recent refreshes of every refreshable model in the "
                     "workspaces this identity belongs to."));
    } else {
        m_scope->setText(tr("Not connected."));
    }
    m_table->setColumnHidden(RefreshMonitorModel::CapacityColumn, !connection.adminScope);
    updateControls();
    if (client && isVisible())
        sweep();
}

void RefreshMonitorView::setSettings(QSettings* settings)
{
    m_settings = settings;
    if (!settings)
        return;
    setAutoUpdateMinutes(settings->value(kIntervalKey, 0).toInt());
}

void RefreshMonitorView::setAutoUpdateMinutes(int minutes)
{
    const int i = m_interval->findData(minutes);
    m_interval->setCurrentIndex(i < 0 ? 0 : i);
}

int RefreshMonitorView::autoUpdateMinutes() const
{
    return m_interval->currentData().toInt();
}

void RefreshMonitorView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_monitor && !m_swept && !m_monitor->isRunning())
        sweep();
}

void RefreshMonitorView::sweep()
{
    if (!m_monitor || m_monitor->isRunning())
        return;
    m_swept = true;
    m_error->clear();
    m_progress->setRange(0, 0); // busy until the first count arrives
    m_monitor->start();
    updateControls();
}

void RefreshMonitorView::cancel()
{
    if (!m_monitor || !m_monitor->isRunning())
        return;
    m_monitor->cancel();
    m_summary->setText(tr("Sweep cancelled; the rows are those of the last complete sweep."));
    updateControls();
    Q_EMIT sweepEnded(false);
}

void RefreshMonitorView::sweepFinished()
{
    m_model->setRows(m_monitor->rows());
    m_problems->clear();
    for (const auto& p : m_monitor->problems()) {
        const QString where = p.datasetName.isEmpty()
                                  ? p.workspaceName
                                  : p.workspaceName + QStringLiteral(" · ") + p.datasetName;
        auto* item = new QListWidgetItem(tr("%1 — %2").arg(where, p.error.summary()), m_problems);
        item->setToolTip(p.error.details());
    }
    const bool problems = m_problems->count() > 0;
    m_problemsTitle->setText(tr("Could not be read (the sweep went on without them):"));
    m_problemsTitle->setVisible(problems);
    m_problems->setVisible(problems);
    applyFilter(); // "last 24 hours" counts from now
    updateControls();
    Q_EMIT sweepEnded(true);
}

void RefreshMonitorView::applyFilter()
{
    pbi::refresh::MonitorFilter f;
    f.failedOnly = m_failed->isChecked();
    f.runningOnly = m_running->isChecked();
    f.withinHours = m_within->currentData().toInt();
    f.text = m_text->text().trimmed();
    m_proxy->setFilter(f);
    updateControls();
}

QString RefreshMonitorView::summaryText() const
{
    return m_summary->text();
}

void RefreshMonitorView::updateControls()
{
    const bool running = m_monitor && m_monitor->isRunning();
    m_sweep->setEnabled(m_monitor && !running);
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    m_export->setEnabled(m_proxy->rowCount() > 0);
    if (running || !m_monitor || !m_monitor->lastSweep().isValid())
        return;
    QSet<QString> models;
    QSet<QString> workspaces;
    for (const auto& r : m_monitor->rows()) {
        models.insert(r.datasetId);
        workspaces.insert(r.workspaceId);
    }
    const auto count = [](std::size_t n, const QString& one, const QString& many) {
        return n == 1 ? one : many.arg(n);
    };
    QString text =
        tr("%1 of %2 in %3 · swept at %4")
            .arg(count(m_monitor->rows().size(), tr("1 refresh"), tr("%1 refreshes")),
                 count(std::size_t(models.size()), tr("1 model"), tr("%1 models")),
                 count(std::size_t(workspaces.size()), tr("1 workspace"), tr("%1 workspaces")),
                 m_monitor->lastSweep().toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    if (m_proxy->rowCount() != m_model->rowCount())
        text += tr(" · %1 shown").arg(m_proxy->rowCount());
    if (!m_monitor->problems().empty())
        text += tr(" · %1 could not be read").arg(m_monitor->problems().size());
    if (autoUpdateMinutes() > 0)
        text += tr(" · auto-update every %1 min").arg(autoUpdateMinutes());
    m_summary->setText(text);
}

bool RefreshMonitorView::exportCsv(const QString& path, QString* error) const
{
    QList<int> columns;
    for (int c = 0; c < m_proxy->columnCount(); ++c)
        if (!m_table->isColumnHidden(c))
            columns << c;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    // The rows as shown: filtered and sorted like the view.
    file.write(tableToCsv(*m_proxy, RefreshMonitorModel::ExportRole, columns));
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void RefreshMonitorView::activate(const QModelIndex& index)
{
    const QModelIndex source = m_proxy->mapToSource(index);
    const pbi::refresh::MonitorRow* row = m_model->rowAt(source.row());
    if (row)
        Q_EMIT modelActivated(row->workspaceId, row->datasetId, row->workspaceName,
                              row->datasetName);
}

} // namespace pbi::ui
