#include "RefreshPanel.h"

#include "DataflowRefreshDialog.h"
#include "DialogSeam.h"
#include "ErrorBanner.h"
#include "RefreshChart.h"
#include "RefreshHistoryModel.h"
#include "RefreshStatus.h"
#include "ScheduleEditor.h"
#include "TriggerRefreshDialog.h"

#include "Clock.h"
#include "api/PowerBiClient.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pbi::ui {

using pbi::refresh::State;

namespace {

QString shortDay(const QString& day)
{
    return day.left(3);
}

/// "every day", "weekdays", "Mon, Wed, Fri".
QString daysInWords(const QStringList& days)
{
    static const QStringList order = {QStringLiteral("Monday"),    QStringLiteral("Tuesday"),
                                      QStringLiteral("Wednesday"), QStringLiteral("Thursday"),
                                      QStringLiteral("Friday"),    QStringLiteral("Saturday"),
                                      QStringLiteral("Sunday")};
    QStringList sorted;
    for (const QString& d : order)
        if (days.contains(d))
            sorted << d;
    if (sorted.size() == 7)
        return QObject::tr("every day");
    if (sorted == order.mid(0, 5))
        return QObject::tr("weekdays");
    QStringList out;
    for (const QString& d : sorted)
        out << shortDay(d);
    return out.join(QStringLiteral(", "));
}

QString scheduleInWords(const pbi::RefreshSchedule& s)
{
    if (!s.enabled && s.days.isEmpty())
        return QObject::tr("Schedule: none");
    QStringList times = s.times;
    times.sort();
    QString text = QObject::tr("Schedule: %1 · %2 at %3 (%4)")
                       .arg(s.enabled ? QObject::tr("on") : QObject::tr("off"), daysInWords(s.days),
                            times.isEmpty() ? QObject::tr("the service's default time")
                                            : times.join(QStringLiteral(", ")),
                            s.localTimeZoneId.value_or(QStringLiteral("UTC")));
    if (s.notifyOption == QLatin1String("MailOnFailure"))
        text += QObject::tr(" · mail on failure");
    return text;
}

QString endSentence(const pbi::Refresh& r, State state, const QDateTime& now)
{
    const auto ms = pbi::refresh::durationMs(r, now);
    const QString took = ms ? pbi::refresh::formatDuration(*ms) : QString();
    switch (state) {
    case State::Completed:
        return took.isEmpty() ? QObject::tr("completed") : QObject::tr("completed in %1").arg(took);
    case State::Failed: {
        const auto f = pbi::refresh::decodeFailure(r.serviceExceptionJson);
        return f ? QObject::tr("failed: %1").arg(f->sentence) : QObject::tr("failed");
    }
    case State::Cancelled:
        return QObject::tr("was cancelled");
    case State::Disabled:
        return QObject::tr("was disabled");
    case State::Running:
    case State::Unknown:
        break;
    }
    return QObject::tr("ended with an unknown outcome");
}

} // namespace

RefreshPanel::RefreshPanel(const pbi::Clock* clock, QWidget* parent)
    : QWidget(parent)
    , m_clock(clock)
    , m_title(new QLabel(this))
    , m_schedule(new QLabel(this))
    , m_state(new QLabel(this))
    , m_triggerButton(new QPushButton(tr("Refresh &now…"), this))
    , m_scheduleButton(new QPushButton(tr("&Schedule…"), this))
    , m_reloadButton(new QPushButton(tr("Re&load"), this))
    , m_error(new ErrorBanner(this))
    , m_followBar(new QFrame(this))
    , m_followIcon(new QLabel(m_followBar))
    , m_followText(new QLabel(m_followBar))
    , m_followObjects(new QTreeWidget(m_followBar))
    , m_cancel(new QPushButton(tr("&Cancel refresh"), m_followBar))
    , m_body(new QSplitter(Qt::Horizontal, this))
    , m_model(new RefreshHistoryModel(clock, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_chart(new RefreshChart(this))
    , m_details(new QTextBrowser(this))
    , m_raw(new QPlainTextEdit(this))
    , m_copyError(new QPushButton(tr("Copy error"), this))
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("refreshPanel"));
    m_title->setObjectName(QStringLiteral("refreshTitle"));
    m_title->setTextFormat(Qt::RichText);
    m_schedule->setObjectName(QStringLiteral("scheduleSummary"));
    m_state->setObjectName(QStringLiteral("refreshState"));
    m_state->setWordWrap(true);
    m_triggerButton->setObjectName(QStringLiteral("triggerButton"));
    m_scheduleButton->setObjectName(QStringLiteral("scheduleButton"));
    m_reloadButton->setObjectName(QStringLiteral("reloadHistoryButton"));

    // The follow bar: a refresh started here, until it ends.
    QFrame* bar = m_followBar;
    bar->setObjectName(QStringLiteral("followBar"));
    bar->setFrameShape(QFrame::StyledPanel);
    m_followIcon->setPixmap(refreshStateIcon(State::Running).pixmap(16, 16));
    m_followText->setObjectName(QStringLiteral("followText"));
    m_followText->setWordWrap(true);
    m_followObjects->setObjectName(QStringLiteral("followObjects"));
    m_followObjects->setHeaderLabels({tr("Table"), tr("Partition"), tr("Status")});
    m_followObjects->setRootIsDecorated(false);
    m_followObjects->setMaximumHeight(110);
    m_followObjects->hide();
    m_cancel->setObjectName(QStringLiteral("cancelRefreshButton"));
    m_cancel->setToolTip(tr("Asks the service to cancel this refresh (by its request id)."));
    auto* barTop = new QHBoxLayout;
    barTop->addWidget(m_followIcon, 0, Qt::AlignTop);
    barTop->addWidget(m_followText, 1);
    barTop->addWidget(m_cancel, 0, Qt::AlignTop);
    auto* barLayout = new QVBoxLayout(bar);
    barLayout->setContentsMargins(6, 4, 6, 4);
    barLayout->addLayout(barTop);
    barLayout->addWidget(m_followObjects);
    bar->hide();

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RefreshHistoryModel::SortRole);
    m_table->setObjectName(QStringLiteral("refreshTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RefreshHistoryModel::StartColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    auto* header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    const QFontMetrics fm(font());
    const auto width = [&fm](const QString& sample) { return fm.horizontalAdvance(sample) + 32; };
    m_table->setColumnWidth(RefreshHistoryModel::StatusColumn,
                            width(QStringLiteral("Completed")) + 20);
    m_table->setColumnWidth(RefreshHistoryModel::TypeColumn, width(QStringLiteral("Enhanced API")));
    m_table->setColumnWidth(RefreshHistoryModel::StartColumn,
                            width(QStringLiteral("2026-08-28 23:59")));
    m_table->setColumnWidth(RefreshHistoryModel::EndColumn,
                            width(QStringLiteral("not listed yet")));
    m_table->setColumnWidth(RefreshHistoryModel::DurationColumn,
                            width(QStringLiteral("12 min 59 s")));
    m_table->setColumnWidth(RefreshHistoryModel::AttemptsColumn, width(QStringLiteral("Attempts")));

    m_chart->setSourceModel(m_model);

    m_details->setObjectName(QStringLiteral("refreshDetails"));
    // A text browser, not a label: long service texts wrap and scroll instead of being cut.
    m_details->setFrameShape(QFrame::NoFrame);
    m_details->setOpenLinks(false);
    m_details->viewport()->setAutoFillBackground(false);
    m_details->setMinimumHeight(60);
    m_raw->setObjectName(QStringLiteral("rawError"));
    m_raw->setReadOnly(true);
    m_raw->setPlaceholderText(tr("The service's serviceExceptionJson, as received"));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_raw->setFont(mono);
    m_raw->setMaximumHeight(64);
    m_copyError->setObjectName(QStringLiteral("copyErrorButton"));

    auto* detailsBox = new QWidget(this);
    auto* detailsLayout = new QVBoxLayout(detailsBox);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_details, 1);
    auto* rawRow = new QHBoxLayout;
    rawRow->addWidget(m_raw, 1);
    rawRow->addWidget(m_copyError, 0, Qt::AlignTop);
    detailsLayout->addLayout(rawRow);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->setObjectName(QStringLiteral("refreshRightSplitter"));
    right->addWidget(m_chart);
    right->addWidget(detailsBox);
    right->setStretchFactor(0, 4);
    right->setStretchFactor(1, 5);
    right->setSizes({400, 500});
    m_body->setObjectName(QStringLiteral("refreshSplitter"));
    m_body->addWidget(m_table);
    m_body->addWidget(right);
    // The table's seven columns need the room; the chart and the error read fine narrower.
    m_body->setStretchFactor(0, 5);
    m_body->setStretchFactor(1, 2);
    m_body->setSizes({1000, 420});

    auto* top = new QHBoxLayout;
    auto* titles = new QVBoxLayout;
    titles->addWidget(m_title);
    titles->addWidget(m_schedule);
    top->addLayout(titles, 1);
    top->addWidget(m_triggerButton, 0, Qt::AlignTop);
    top->addWidget(m_scheduleButton, 0, Qt::AlignTop);
    top->addWidget(m_reloadButton, 0, Qt::AlignTop);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_state);
    layout->addWidget(m_error);
    m_error->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum); // never taller than its text
    layout->addWidget(m_followBar);
    layout->addWidget(m_body, 1);
    // With the body hidden (nothing selected, a refusal), the space stays empty rather than
    // stretching the banner above.
    layout->addStretch(0);

    connect(m_triggerButton, &QPushButton::clicked, this, &RefreshPanel::openTriggerDialog);
    connect(m_scheduleButton, &QPushButton::clicked, this, &RefreshPanel::openScheduleEditor);
    connect(m_reloadButton, &QPushButton::clicked, this, &RefreshPanel::reload);
    connect(m_error, &ErrorBanner::retryRequested, this, &RefreshPanel::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RefreshPanel::showSelected);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                const int row = m_table->currentIndex().row();
                if (row >= from.row() && row <= to.row() &&
                    from.column() != RefreshHistoryModel::DurationColumn)
                    showSelected();
            });
    connect(m_chart, &RefreshChart::rowClicked, this, &RefreshPanel::selectRow);
    connect(m_copyError, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(detailsText() + QStringLiteral("\n\n") + rawErrorText());
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (DataflowFollow* d = dataflowFollowOf(dataflowId())) {
            if (d->cancelling)
                return;
            d->cancelling = true;
            d->note = tr("asking the service to cancel it…");
            showFollowBar();
            d->follower->cancelRefresh();
            return;
        }
        Follow* f = followOf(datasetId());
        if (!f || f->cancelling)
            return;
        f->cancelling = true;
        f->note = tr("asking the service to cancel it…");
        showFollowBar();
        f->follower->cancelRefresh();
    });
    // Running refreshes' durations and the follow bar move on every second.
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (m_model->hasRunning())
            m_model->tick();
        if (followOf(datasetId()) || dataflowFollowOf(dataflowId()))
            showFollowBar();
    });
    m_tick->start();
    showNothing();
}

RefreshPanel::~RefreshPanel()
{
    // Following stops with the panel; the refreshes themselves go on at the service.
    for (Follow& f : m_follows)
        delete f.follower;
    for (DataflowFollow& f : m_dataflowFollows)
        delete f.follower;
}

void RefreshPanel::setConnection(pbi::PowerBiClient* client,
                                 const ConnectionDescription& connection)
{
    for (Follow& f : m_follows)
        delete f.follower;
    m_follows.clear();
    for (DataflowFollow& f : m_dataflowFollows)
        delete f.follower;
    m_dataflowFollows.clear();
    m_ended.clear();
    if (m_triggerDialog)
        m_triggerDialog->reject();
    if (m_dataflowDialog)
        m_dataflowDialog->reject();
    if (m_scheduleEditor)
        m_scheduleEditor->reject();
    m_client = client;
    m_connection = connection;
    showNothing();
}

TriggerRefreshDialog* RefreshPanel::triggerDialog() const
{
    return m_triggerDialog;
}

ScheduleEditor* RefreshPanel::scheduleEditor() const
{
    return m_scheduleEditor;
}

QString RefreshPanel::datasetId() const
{
    return m_dataset ? m_dataset->id : QString();
}

QString RefreshPanel::dataflowId() const
{
    return m_dataflow ? m_dataflow->id : QString();
}

DataflowRefreshDialog* RefreshPanel::dataflowDialog() const
{
    return m_dataflowDialog;
}

QString RefreshPanel::groupId() const
{
    return m_workspace ? m_workspace->id : QString();
}

void RefreshPanel::showNothing(const QString& message)
{
    ++m_generation;
    m_loading = false;
    m_workspace.reset();
    m_dataset.reset();
    m_dataflow.reset();
    showColumnsFor(false);
    m_model->clear();
    m_error->clear();
    m_title->setText(tr("<b>Refreshes</b>"));
    m_schedule->clear();
    m_schedule->hide();
    setState(message.isEmpty()
                 ? (m_client ? tr("Select a semantic model or a dataflow in the explorer to see its "
                                  "refreshes.")
                             : tr("Not connected."))
                 : message);
    m_body->hide();
    showFollowBar();
    updateActions();
}

void RefreshPanel::showModel(const pbi::Workspace& workspace, const pbi::Dataset& dataset)
{
    if (m_dataset && m_dataset->id == dataset.id && m_workspace && m_workspace->id == workspace.id)
        return;
    ++m_generation;
    m_loading = false;
    m_workspace = workspace;
    m_dataset = dataset;
    m_dataflow.reset();
    showColumnsFor(false);
    m_model->clear();
    m_error->clear();
    m_title->setText(tr("<b>%1</b> &nbsp;·&nbsp; %2")
                         .arg(dataset.name.toHtmlEscaped(), workspace.name.toHtmlEscaped()));
    m_schedule->clear();
    m_schedule->hide();
    m_body->show();
    showFollowBar();
    updateActions();
    if (isVisible()) {
        reload();
    } else {
        m_dirty = true;
        setState(tr("The history loads when this panel is shown."));
    }
}

void RefreshPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        reload();
}

void RefreshPanel::setState(const QString& text)
{
    m_state->setText(text);
    m_state->setVisible(!text.isEmpty());
}

QString RefreshPanel::stateText() const
{
    return m_state->isHidden() ? QString() : m_state->text();
}

QString RefreshPanel::followText() const
{
    if (m_followBar->isHidden())
        return {};
    QTextDocument doc;
    doc.setHtml(m_followText->text());
    return doc.toPlainText();
}

QString RefreshPanel::scheduleText() const
{
    return m_schedule->text();
}

void RefreshPanel::updateActions()
{
    if (m_dataflow) {
        const bool app = m_connection.servicePrincipal;
        m_triggerButton->setEnabled(m_client && !app);
        m_triggerButton->setToolTip(
            app ? tr("Power BI does not let a service principal refresh dataflows: sign in as a "
                     "user (device code or interactive sign-in).")
                : tr("Start a refresh of this dataflow now. Dataflows refresh as a whole: "
                     "enhanced refresh (tables, partitions, commit mode) is for semantic models "
                     "only."));
        m_scheduleButton->setEnabled(false);
        m_scheduleButton->setToolTip(
            tr("The Power BI API cannot read a dataflow's refresh schedule, so it is not edited "
               "here: change it with pbictl refresh schedule WORKSPACE --dataflow NAME …"));
        m_reloadButton->setEnabled(bool(m_client));
        return;
    }
    m_scheduleButton->setToolTip(tr("View and change this model's refresh schedule."));
    const bool ready = m_client && m_dataset;
    const bool refreshable = ready && m_dataset->isRefreshable;
    m_triggerButton->setEnabled(refreshable);
    m_triggerButton->setToolTip(
        ready && !refreshable
            ? tr("This model cannot be refreshed (DirectQuery, live connection or push).")
            : tr("Start a refresh of this model now, plain or enhanced."));
    m_scheduleButton->setEnabled(refreshable);
    m_reloadButton->setEnabled(ready);
}

void RefreshPanel::reload()
{
    m_dirty = false;
    if (m_dataflow)
        return reloadDataflow();
    if (!m_client || !m_dataset || !m_workspace)
        return;
    const quint64 generation = ++m_generation;
    m_loading = true;
    m_error->clear();
    setState(tr("Loading the refresh history…"));
    const QString group = m_workspace->id;
    const QString dataset = m_dataset->id;
    m_client->refreshHistory(
        group, dataset, std::nullopt, this,
        [this, generation, dataset](pbi::Result<std::vector<pbi::Refresh>> r) {
            if (generation != m_generation)
                return; // another model (or connection) is shown now
            m_loading = false;
            if (!r) {
                m_model->setRefreshes({});
                setState(QString());
                m_error->showError(
                    tr("Could not load the refresh history of “%1”.").arg(m_dataset->name),
                    r.error());
                Q_EMIT historyLoaded(false);
                return;
            }
            const bool empty = r.value().empty();
            m_model->setRefreshes(std::move(r).value());
            applyFollowedAfterReload(dataset);
            if (empty && m_model->rowCount() == 0)
                setState(m_dataset->isRefreshable
                             ? tr("No refreshes in the history yet. The service keeps the "
                                  "last 20 to 60 of them.")
                             : tr("No refreshes: this model is not refreshable "
                                  "(DirectQuery, live connection or push)."));
            else
                setState(QString());
            if (m_model->rowCount() > 0 && !m_table->currentIndex().isValid())
                m_table->setCurrentIndex(m_proxy->index(0, 0));
            showSelected();
            Q_EMIT historyLoaded(true);
        });
    loadSchedule();
}

void RefreshPanel::applyFollowedAfterReload(const QString& dataset)
{
    if (Follow* f = followOf(dataset)) {
        m_model->setFollowed(f->follower->latest(), f->follower->isVisible());
        return;
    }
    const auto it = m_ended.find(dataset);
    if (it == m_ended.end()) {
        m_model->setFollowed(std::nullopt, false);
        return;
    }
    // The service lists a new refresh only after a moment, also one that already ended (e.g.
    // cancelled at once): keep showing it, and look again, until the history has it.
    const QString id = it->refresh.requestId.value_or(QString());
    const int row = m_model->rowOfRequestId(id);
    if (id.isEmpty() || (row >= 0 && !m_model->isPending(row)) || ++it->reloads > 10) {
        m_ended.erase(it);
        m_model->setFollowed(std::nullopt, false);
        return;
    }
    m_model->setFollowed(it->refresh, false);
    QTimer::singleShot(2000, this, [this, dataset] {
        if (datasetId() == dataset && !m_loading && m_ended.contains(dataset))
            reload();
    });
}

void RefreshPanel::loadSchedule()
{
    if (!m_client || !m_dataset || !m_dataset->isRefreshable)
        return;
    const quint64 generation = m_generation;
    m_client->refreshSchedule(m_workspace->id, m_dataset->id, this,
                              [this, generation](pbi::Result<pbi::RefreshSchedule> r) {
                                  if (generation != m_generation)
                                      return;
                                  // The history's banner says why when both are refused; stay
                                  // quiet.
                                  m_schedule->setText(r ? scheduleInWords(r.value()) : QString());
                                  m_schedule->setVisible(!m_schedule->text().isEmpty());
                              });
}

int RefreshPanel::selectedRow() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_proxy->mapToSource(current).row() : -1;
}

void RefreshPanel::selectRow(int modelRow)
{
    const QModelIndex source = m_model->index(modelRow, 0);
    if (!source.isValid())
        return;
    const QModelIndex index = m_proxy->mapFromSource(source);
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
}

void RefreshPanel::showSelected()
{
    const int row = selectedRow();
    m_chart->setSelectedRow(row);
    if (m_dataflow)
        return showSelectedTransaction(row);
    const pbi::Refresh* r = m_model->refreshAt(row);
    if (!r) {
        m_details->setHtml(m_model->rowCount() ? tr("Select a refresh to see its details.")
                                               : QString());
        m_raw->clear();
        m_raw->hide();
        m_copyError->hide();
        return;
    }
    const State state = m_model->stateAt(row);
    const auto& failure = m_model->failureAt(row);
    const QString type = pbi::refresh::typeName(r->refreshType.value_or(QString()));
    const auto ms = pbi::refresh::durationMs(*r, m_clock->now());
    QString html;
    if (failure) {
        html += QStringLiteral("<p><b>%1</b></p>").arg(failure->sentence.toHtmlEscaped());
        html += tr("<p>Code: <b>%1</b>")
                    .arg(failure->errorCode.isEmpty() ? tr("(none)")
                                                      : failure->errorCode.toHtmlEscaped());
        if (!failure->description.isEmpty())
            html += tr("<br>The service says: %1").arg(failure->description.toHtmlEscaped());
        html += QStringLiteral("</p>");
        if (!failure->hint.isEmpty())
            html += tr("<p>Likely fix: %1</p>").arg(failure->hint.toHtmlEscaped());
    } else {
        html +=
            QStringLiteral("<p><b>%1</b></p>").arg(refreshStateExplanation(state).toHtmlEscaped());
    }
    QStringList facts;
    if (!type.isEmpty())
        facts << type;
    if (ms)
        facts << (state == State::Running ? tr("running for %1") : tr("took %1"))
                     .arg(pbi::refresh::formatDuration(*ms));
    if (r->extendedStatus)
        facts << tr("extended status %1").arg(*r->extendedStatus);
    if (r->requestId)
        facts << tr("request id %1").arg(*r->requestId);
    html += QStringLiteral("<p>%1</p>").arg(facts.join(QStringLiteral(" · ")).toHtmlEscaped());
    m_details->setHtml(html);
    m_raw->setPlainText(r->serviceExceptionJson.value_or(QString()));
    m_raw->setVisible(r->serviceExceptionJson.has_value());
    m_copyError->setVisible(failure.has_value());
}

QString RefreshPanel::detailsText() const
{
    return m_details->toPlainText().trimmed();
}

QString RefreshPanel::rawErrorText() const
{
    return m_raw->isHidden() ? QString() : m_raw->toPlainText();
}

pbi::refresh::Target RefreshPanel::target() const
{
    pbi::refresh::Target t;
    t.servicePrincipal = m_connection.servicePrincipal;
    if (m_workspace)
        t.premium = m_workspace->isOnDedicatedCapacity;
    return t;
}

void RefreshPanel::openTriggerDialog()
{
    if (m_dataflow)
        return openDataflowDialog();
    if (!m_client || !m_dataset || !m_workspace)
        return;
    if (m_triggerDialog) {
        m_triggerDialog->raise();
        m_triggerDialog->activateWindow();
        return;
    }
    TriggerRefreshDialog::Context c;
    c.client = m_client;
    c.groupId = m_workspace->id;
    c.datasetId = m_dataset->id;
    c.workspaceName = m_workspace->name;
    c.datasetName = m_dataset->name;
    c.target = target();
    c.connection = m_connection;
    c.dialogs = m_dialogs;
    auto* dialog = new TriggerRefreshDialog(std::move(c), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString group = m_workspace->id;
    const QString dataset = m_dataset->id;
    const QString workspaceName = m_workspace->name;
    const QString datasetName = m_dataset->name;
    const QPointer<pbi::PowerBiClient> client = m_client;
    connect(
        dialog, &TriggerRefreshDialog::triggered, this,
        [this, client, group, dataset, workspaceName, datasetName](const pbi::TriggeredRefresh& t) {
            // An answer for a connection no longer shown: nothing to follow it with.
            if (client && client == m_client)
                startFollowing(t, group, dataset, workspaceName, datasetName);
        });
    m_triggerDialog = dialog;
    dialog->open();
}

void RefreshPanel::openScheduleEditor()
{
    if (!m_client || !m_dataset || !m_workspace)
        return;
    if (m_scheduleEditor) {
        m_scheduleEditor->raise();
        m_scheduleEditor->activateWindow();
        return;
    }
    ScheduleEditor::Context c;
    c.client = m_client;
    c.groupId = m_workspace->id;
    c.datasetId = m_dataset->id;
    c.workspaceName = m_workspace->name;
    c.datasetName = m_dataset->name;
    c.target = target();
    c.connection = m_connection;
    c.dialogs = m_dialogs;
    auto* editor = new ScheduleEditor(std::move(c), this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    const QString datasetName = m_dataset->name;
    connect(editor, &ScheduleEditor::saved, this, [this, datasetName] {
        Q_EMIT statusMessage(tr("The refresh schedule of “%1” was saved.").arg(datasetName));
        loadSchedule();
    });
    m_scheduleEditor = editor;
    editor->load();
    editor->open();
}

RefreshPanel::Follow* RefreshPanel::followOf(const QString& datasetId)
{
    if (datasetId.isEmpty())
        return nullptr;
    for (Follow& f : m_follows)
        if (f.follower->datasetId() == datasetId)
            return &f;
    return nullptr;
}

void RefreshPanel::startFollowing(const pbi::TriggeredRefresh& triggered, const QString& groupId,
                                  const QString& datasetId, const QString& workspaceName,
                                  const QString& datasetName)
{
    if (!m_client)
        return;
    if (Follow* old = followOf(datasetId)) {
        // One refresh at a time per model: an older follower's refresh has ended or been refused.
        old->follower->deleteLater();
        m_follows.erase(m_follows.begin() + (old - m_follows.data()));
    }
    auto* follower = new pbi::refresh::RefreshFollower(m_client, groupId, datasetId, triggered,
                                                       m_followOptions, this);
    m_follows.push_back(
        {follower, workspaceName, datasetName, tr("waiting for the service to list it…"), false});
    connect(follower, &pbi::refresh::RefreshFollower::updated, this,
            [this, follower] { followUpdated(follower); });
    connect(follower, &pbi::refresh::RefreshFollower::waitingForVisibility, this,
            [this, follower](int seconds) {
                if (Follow* f = followOf(follower->datasetId())) {
                    f->note = seconds > 0
                                  ? tr("waiting for the service to list it… (%1 s)").arg(seconds)
                                  : tr("waiting for the service to list it…");
                    followUpdated(follower);
                }
            });
    connect(follower, &pbi::refresh::RefreshFollower::finished, this,
            [this, follower](State state) {
                const QString message =
                    tr("Refresh of “%1” %2.")
                        .arg(followOf(follower->datasetId())->datasetName,
                             endSentence(follower->latest(), state, m_clock->now()));
                followEnded(follower, message, state);
            });
    connect(follower, &pbi::refresh::RefreshFollower::followFailed, this,
            [this, follower](const pbi::Error& e) {
                const QString message =
                    tr("Stopped following the refresh of “%1”: %2")
                        .arg(followOf(follower->datasetId())->datasetName, e.summary());
                if (follower->datasetId() == this->datasetId())
                    m_error->showError(
                        tr("Stopped following the refresh; it may still be running."), e);
                followEnded(follower, message, State::Unknown);
            });
    connect(follower, &pbi::refresh::RefreshFollower::cancelAccepted, this, [this, follower] {
        if (Follow* f = followOf(follower->datasetId())) {
            f->note = tr("cancel accepted; waiting for the service to stop it…");
            followUpdated(follower);
        }
    });
    connect(follower, &pbi::refresh::RefreshFollower::cancelFailed, this,
            [this, follower](const pbi::Error& e) {
                if (Follow* f = followOf(follower->datasetId())) {
                    f->cancelling = false;
                    f->note = tr("still running: the cancel was refused");
                    if (follower->datasetId() == this->datasetId())
                        m_error->showError(tr("The refresh could not be cancelled."), e);
                    followUpdated(follower);
                }
            });
    Q_EMIT statusMessage(
        tr("The service accepted the refresh of “%1”; following it.").arg(datasetName));
    followUpdated(follower);
    follower->start();
}

void RefreshPanel::followUpdated(pbi::refresh::RefreshFollower* follower)
{
    if (follower->datasetId() != datasetId())
        return;
    if (Follow* f = followOf(follower->datasetId());
        f && follower->isVisible() && !f->cancelling &&
        f->note.startsWith(tr("waiting for the service")))
        f->note.clear();
    m_model->setFollowed(follower->latest(), follower->isVisible());
    if (m_model->rowCount() > 0) {
        setState(QString());
        if (!m_table->currentIndex().isValid())
            m_table->setCurrentIndex(m_proxy->index(0, 0));
    }
    showFollowBar();
}

void RefreshPanel::followEnded(pbi::refresh::RefreshFollower* follower, const QString& message,
                               State state)
{
    const QString dataset = follower->datasetId();
    if (dataset == datasetId())
        m_model->setFollowed(follower->latest(), follower->isVisible());
    if (!follower->latest().requestId.value_or(QString()).isEmpty())
        m_ended.insert(dataset, {follower->latest(), 0});
    for (auto it = m_follows.begin(); it != m_follows.end(); ++it) {
        if (it->follower == follower) {
            m_follows.erase(it);
            break;
        }
    }
    follower->deleteLater();
    showFollowBar();
    Q_EMIT refreshFinished(message, state);
    if (dataset == datasetId())
        reload(); // the service's own record of how it ended
}

void RefreshPanel::showFollowBar()
{
    if (DataflowFollow* d = dataflowFollowOf(dataflowId()))
        return showDataflowFollowBar(*d);
    Follow* f = followOf(datasetId());
    if (!f) {
        m_followBar->hide();
        return;
    }
    const auto* follower = f->follower;
    const pbi::Refresh& latest = follower->latest();
    const auto ms = pbi::refresh::durationMs(latest, m_clock->now());
    QString text =
        follower->triggered().enhanced ? tr("<b>Enhanced refresh</b>") : tr("<b>Refresh</b>");
    text += tr(" accepted at %1")
                .arg(follower->triggered().acceptedAt.toLocalTime().toString(
                    QStringLiteral("HH:mm:ss")));
    text += QStringLiteral(" · ") + pbi::refresh::stateName(follower->state()).toHtmlEscaped();
    if (ms)
        text += tr(" for %1").arg(pbi::refresh::formatDuration(*ms));
    if (!f->note.isEmpty())
        text += QStringLiteral(" · ") + f->note.toHtmlEscaped();
    if (!follower->triggered().requestId.isEmpty())
        text += tr("<br><small>request id %1</small>")
                    .arg(follower->triggered().requestId.toHtmlEscaped());
    m_followText->setText(text);
    m_cancel->setEnabled(!f->cancelling);
    m_cancel->setToolTip(tr("Asks the service to cancel this refresh (by its request id)."));
    m_cancel->setText(f->cancelling ? tr("Cancelling…") : tr("&Cancel refresh"));
    const auto& execution = follower->execution();
    if (execution && !execution->objects.empty()) {
        m_followObjects->clear();
        for (const auto& o : execution->objects) {
            auto* item = new QTreeWidgetItem(m_followObjects, {o.table, o.partition, o.status});
            const QString s = o.status;
            const State st = s == QLatin1String("Completed")   ? State::Completed
                             : s == QLatin1String("Failed")    ? State::Failed
                             : s == QLatin1String("Cancelled") ? State::Cancelled
                                                               : State::Running;
            item->setIcon(2, refreshStateIcon(st));
        }
        m_followObjects->show();
    } else {
        m_followObjects->hide();
    }
    m_followBar->show();
}

// ---- dataflows -----------------------------------------------------------------------------

void RefreshPanel::showColumnsFor(bool dataflow)
{
    // A dataflow transaction has no attempts and no error code: empty columns would only
    // suggest something is missing.
    m_table->setColumnHidden(RefreshHistoryModel::AttemptsColumn, dataflow);
    m_table->setColumnHidden(RefreshHistoryModel::ErrorColumn, dataflow);
}

void RefreshPanel::showDataflow(const pbi::Workspace& workspace, const pbi::Dataflow& dataflow)
{
    if (m_dataflow && m_dataflow->id == dataflow.id && m_workspace && m_workspace->id == workspace.id)
        return;
    ++m_generation;
    m_loading = false;
    m_workspace = workspace;
    m_dataset.reset();
    m_dataflow = dataflow;
    showColumnsFor(true);
    m_model->clear();
    m_error->clear();
    m_title->setText(tr("<b>%1</b> &nbsp;·&nbsp; %2 &nbsp;·&nbsp; dataflow")
                         .arg(dataflow.name.toHtmlEscaped(), workspace.name.toHtmlEscaped()));
    m_schedule->setText(tr("Schedule: not readable through the API · change it with pbictl "
                           "refresh schedule … --dataflow"));
    m_schedule->setToolTip(tr("The Power BI REST API can set a dataflow's refresh schedule but "
                              "not read it."));
    m_schedule->show();
    m_body->show();
    showFollowBar();
    updateActions();
    if (isVisible()) {
        reload();
    } else {
        m_dirty = true;
        setState(tr("The history loads when this panel is shown."));
    }
}

void RefreshPanel::reloadDataflow()
{
    if (!m_client || !m_dataflow || !m_workspace)
        return;
    const quint64 generation = ++m_generation;
    m_loading = true;
    m_error->clear();
    setState(tr("Loading the refresh history…"));
    const pbi::Workspace workspace = *m_workspace;
    const pbi::Dataflow dataflow = *m_dataflow;
    m_client->dataflowTransactions(
        workspace.id, dataflow.id, this,
        [this, generation, workspace, dataflow](pbi::Result<std::vector<pbi::DataflowTransaction>> r) {
            if (generation != m_generation)
                return; // another item (or connection) is shown now
            m_loading = false;
            if (!r) {
                m_model->setRefreshes({});
                // Nothing to chart or select: the banner and the words are the answer.
                m_body->hide();
                if (pbi::refresh::isServicePrincipalRefusal(r.error())) {
                    QString words =
                        tr("Power BI does not let a service principal manage dataflows, so this "
                           "connection cannot show or start their refreshes. Sign in as a user — "
                           "a connection with device code or interactive sign-in — who is at least "
                           "a Contributor in the workspace.");
                    if (m_connection.isSandbox)
                        words += tr(" In the sandbox, the demo users work (e.g. "
                                    "megan@contoso-sandbox.onmicrosoft.com, password Sandbox!1; "
                                    "docs/sandbox-identities.md).");
                    setState(words);
                } else {
                    setState(QString());
                }
                m_error->showError(tr("Could not load the refresh history of the dataflow “%1”.")
                                       .arg(dataflow.name),
                                   r.error());
                Q_EMIT historyLoaded(false);
                return;
            }
            m_body->show();
            std::vector<pbi::Refresh> rows;
            const pbi::DataflowTransaction* running = nullptr;
            for (const auto& t : r.value()) {
                rows.push_back(pbi::refresh::asRefresh(t));
                if (!running && pbi::refresh::stateOf(t) == State::Running)
                    running = &t;
            }
            m_model->setRefreshes(std::move(rows));
            // A run started elsewhere (the portal, a schedule, pbictl): follow it live.
            if (running && !dataflowFollowOf(dataflow.id) && m_client) {
                pbi::TriggeredDataflowRefresh known;
                known.transactionId = running->id;
                known.acceptedAt = running->startTime.value_or(QDateTime());
                startFollowingDataflow(known, workspace.id, dataflow.id, workspace.name,
                                       dataflow.name, false);
            }
            if (DataflowFollow* f = dataflowFollowOf(dataflow.id))
                m_model->setFollowed(pbi::refresh::asRefresh(f->follower->latest()),
                                     f->follower->isVisible());
            else
                m_model->setFollowed(std::nullopt, false);
            setState(m_model->rowCount() == 0
                         ? tr("No refreshes of this dataflow in the service's history yet.")
                         : QString());
            if (m_model->rowCount() > 0 && !m_table->currentIndex().isValid())
                m_table->setCurrentIndex(m_proxy->index(0, 0));
            showSelected();
            Q_EMIT historyLoaded(true);
        });
}

void RefreshPanel::showSelectedTransaction(int row)
{
    const pbi::Refresh* r = m_model->refreshAt(row);
    m_raw->clear();
    m_raw->hide();
    m_copyError->hide();
    if (!r) {
        m_details->setHtml(m_model->rowCount() ? tr("Select a refresh to see its details.")
                                               : QString());
        return;
    }
    const State state = m_model->stateAt(row);
    // The model's explanation of a failure points at a decoded error; a dataflow has none.
    QString html = QStringLiteral("<p><b>%1</b></p>")
                       .arg(state == State::Failed ? tr("Failed: the dataflow refresh did not complete.")
                                                   : refreshStateExplanation(state).toHtmlEscaped());
    if (state == State::Failed)
        html += tr("<p>The service does not say why a dataflow refresh failed through its API: "
                   "the dataflow's refresh history in the Power BI portal has the error of each "
                   "table.</p>");
    QStringList facts;
    const QString type = pbi::refresh::typeName(r->refreshType.value_or(QString()));
    if (!type.isEmpty())
        facts << type;
    if (const auto ms = pbi::refresh::durationMs(*r, m_clock->now()))
        facts << (state == State::Running ? tr("running for %1") : tr("took %1"))
                     .arg(pbi::refresh::formatDuration(*ms));
    if (r->extendedStatus)
        facts << tr("service status %1").arg(*r->extendedStatus);
    if (r->requestId)
        facts << tr("transaction %1").arg(*r->requestId);
    html += QStringLiteral("<p>%1</p>").arg(facts.join(QStringLiteral(" · ")).toHtmlEscaped());
    m_details->setHtml(html);
}

void RefreshPanel::openDataflowDialog()
{
    if (!m_client || !m_dataflow || !m_workspace)
        return;
    if (m_dataflowDialog) {
        m_dataflowDialog->raise();
        m_dataflowDialog->activateWindow();
        return;
    }
    DataflowRefreshDialog::Context c;
    c.client = m_client;
    c.groupId = m_workspace->id;
    c.dataflowId = m_dataflow->id;
    c.workspaceName = m_workspace->name;
    c.dataflowName = m_dataflow->name;
    c.target = target();
    c.connection = m_connection;
    c.dialogs = m_dialogs;
    auto* dialog = new DataflowRefreshDialog(std::move(c), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString group = m_workspace->id;
    const QString flow = m_dataflow->id;
    const QString workspaceName = m_workspace->name;
    const QString flowName = m_dataflow->name;
    const QPointer<pbi::PowerBiClient> client = m_client;
    connect(dialog, &DataflowRefreshDialog::triggered, this,
            [this, client, group, flow, workspaceName,
             flowName](const pbi::TriggeredDataflowRefresh& t) {
                if (client && client == m_client)
                    startFollowingDataflow(t, group, flow, workspaceName, flowName, true);
            });
    m_dataflowDialog = dialog;
    dialog->open();
}

RefreshPanel::DataflowFollow* RefreshPanel::dataflowFollowOf(const QString& id)
{
    if (id.isEmpty())
        return nullptr;
    for (DataflowFollow& f : m_dataflowFollows)
        if (f.follower->dataflowId() == id)
            return &f;
    return nullptr;
}

void RefreshPanel::startFollowingDataflow(const pbi::TriggeredDataflowRefresh& triggered,
                                          const QString& groupId, const QString& flowId,
                                          const QString& workspaceName,
                                          const QString& dataflowName, bool startedHere)
{
    if (!m_client)
        return;
    if (DataflowFollow* old = dataflowFollowOf(flowId)) {
        // The old follower's poll or timer must not speak for the new one (same dataflow id).
        old->follower->stop();
        old->follower->disconnect(this);
        old->follower->deleteLater();
        m_dataflowFollows.erase(m_dataflowFollows.begin() + (old - m_dataflowFollows.data()));
    }
    using Follower = pbi::refresh::DataflowRefreshFollower;
    auto* follower = new Follower(m_client, groupId, flowId, triggered, m_followOptions, this);
    m_dataflowFollows.push_back(
        {follower, workspaceName, dataflowName,
         startedHere ? tr("waiting for the service to list it…") : tr("started elsewhere"),
         startedHere, false});
    connect(follower, &Follower::updated, this, [this, follower] { dataflowFollowUpdated(follower); });
    connect(follower, &Follower::waitingForVisibility, this, [this, follower](int seconds) {
        if (DataflowFollow* f = dataflowFollowOf(follower->dataflowId())) {
            f->note = seconds > 0 ? tr("waiting for the service to list it… (%1 s)").arg(seconds)
                                  : tr("waiting for the service to list it…");
            dataflowFollowUpdated(follower);
        }
    });
    connect(follower, &Follower::finished, this, [this, follower](State state) {
        const auto ms = pbi::refresh::durationMs(follower->latest(), m_clock->now());
        const QString took = ms ? pbi::refresh::formatDuration(*ms) : QString();
        QString how;
        switch (state) {
        case State::Completed:
            how = took.isEmpty() ? tr("completed") : tr("completed in %1").arg(took);
            break;
        case State::Failed:
            how = tr("failed (the portal's refresh history has the error)");
            break;
        case State::Cancelled:
            how = tr("was cancelled");
            break;
        default:
            how = tr("ended with an unknown outcome");
        }
        const DataflowFollow* f = dataflowFollowOf(follower->dataflowId());
        dataflowFollowEnded(follower,
                            tr("Refresh of the dataflow “%1” %2.")
                                .arg(f ? f->dataflowName : follower->dataflowId(), how),
                            state);
    });
    connect(follower, &Follower::followFailed, this, [this, follower](const pbi::Error& e) {
        const DataflowFollow* f = dataflowFollowOf(follower->dataflowId());
        const QString message = tr("Stopped following the refresh of the dataflow “%1”: %2")
                                    .arg(f ? f->dataflowName : follower->dataflowId(), e.summary());
        if (follower->dataflowId() == dataflowId())
            m_error->showError(tr("Stopped following the refresh; it may still be running."), e);
        dataflowFollowEnded(follower, message, State::Unknown);
    });
    connect(follower, &Follower::cancelAccepted, this, [this, follower](const QString& sentence) {
        if (DataflowFollow* f = dataflowFollowOf(follower->dataflowId())) {
            f->note = sentence;
            dataflowFollowUpdated(follower);
        }
    });
    connect(follower, &Follower::cancelFailed, this, [this, follower](const pbi::Error& e) {
        if (DataflowFollow* f = dataflowFollowOf(follower->dataflowId())) {
            f->cancelling = false;
            f->note = tr("still running: the cancel was refused");
            if (follower->dataflowId() == dataflowId())
                m_error->showError(tr("The dataflow refresh could not be cancelled."), e);
            dataflowFollowUpdated(follower);
        }
    });
    if (startedHere)
        Q_EMIT statusMessage(
            tr("The service accepted the refresh of the dataflow “%1”; following it.").arg(dataflowName));
    dataflowFollowUpdated(follower);
    follower->start();
}

void RefreshPanel::dataflowFollowUpdated(pbi::refresh::DataflowRefreshFollower* follower)
{
    if (follower->dataflowId() != dataflowId())
        return;
    if (DataflowFollow* f = dataflowFollowOf(follower->dataflowId());
        f && follower->isVisible() && !f->cancelling &&
        f->note.startsWith(tr("waiting for the service")))
        f->note.clear();
    m_model->setFollowed(pbi::refresh::asRefresh(follower->latest()), follower->isVisible());
    if (m_model->rowCount() > 0) {
        setState(QString());
        if (!m_table->currentIndex().isValid())
            m_table->setCurrentIndex(m_proxy->index(0, 0));
    }
    showFollowBar();
}

void RefreshPanel::dataflowFollowEnded(pbi::refresh::DataflowRefreshFollower* follower,
                                       const QString& message, State state)
{
    const QString flow = follower->dataflowId();
    if (flow == dataflowId())
        m_model->setFollowed(pbi::refresh::asRefresh(follower->latest()), follower->isVisible());
    for (auto it = m_dataflowFollows.begin(); it != m_dataflowFollows.end(); ++it) {
        if (it->follower == follower) {
            m_dataflowFollows.erase(it);
            break;
        }
    }
    follower->deleteLater();
    showFollowBar();
    Q_EMIT refreshFinished(message, state);
    if (flow == dataflowId())
        reload(); // the service's own record of how it ended
}

void RefreshPanel::showDataflowFollowBar(DataflowFollow& f)
{
    const auto* follower = f.follower;
    const pbi::DataflowTransaction& latest = follower->latest();
    const auto ms = pbi::refresh::durationMs(latest, m_clock->now());
    QString text = f.startedHere ? tr("<b>Dataflow refresh</b> accepted at %1")
                                       .arg(follower->triggered().acceptedAt.toLocalTime().toString(
                                           QStringLiteral("HH:mm:ss")))
                                 : tr("<b>Dataflow refresh</b> in progress");
    text += QStringLiteral(" · ") + pbi::refresh::stateName(follower->state()).toHtmlEscaped();
    if (ms)
        text += tr(" for %1").arg(pbi::refresh::formatDuration(*ms));
    if (!f.note.isEmpty())
        text += QStringLiteral(" · ") + f.note.toHtmlEscaped();
    if (!follower->transactionId().isEmpty())
        text += tr("<br><small>transaction %1</small>").arg(follower->transactionId().toHtmlEscaped());
    m_followText->setText(text);
    m_cancel->setEnabled(!f.cancelling && !follower->transactionId().isEmpty());
    m_cancel->setToolTip(follower->transactionId().isEmpty()
                             ? tr("The service has not listed the refresh yet: its transaction id, "
                                  "which cancel needs, is not known.")
                             : tr("Asks the service to cancel this refresh (by its transaction id)."));
    m_cancel->setText(f.cancelling ? tr("Cancelling…") : tr("&Cancel refresh"));
    m_followObjects->hide(); // per-table progress is an enhanced refresh's, of models only
    m_followBar->show();
}

} // namespace pbi::ui
