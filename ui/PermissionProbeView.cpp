#include "PermissionProbeView.h"

#include "RefreshStatus.h"

#include "api/PowerBiClient.h"
#include "diagnostics/PermissionProbe.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pbi::ui {

namespace {

constexpr int kIndexRole = Qt::UserRole + 1; ///< the result's index in the probe; -1 on areas

using pbi::diagnostics::ProbeResult;
using pbi::refresh::State;

QString resultWord(const ProbeResult& r)
{
    if (r.skipped)
        return QObject::tr("Skipped");
    if (r.allowed)
        return QObject::tr("Allowed");
    return r.error && r.error->httpStatus > 0 ? QObject::tr("Refused (%1)").arg(r.error->httpStatus)
                                              : QObject::tr("Refused");
}

State resultState(const ProbeResult& r)
{
    return r.skipped ? State::Unknown : r.allowed ? State::Completed : State::Failed;
}

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

} // namespace

PermissionProbeView::PermissionProbeView(QWidget* parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_includeAdmin(new QCheckBox(tr("Include &admin APIs"), this))
    , m_run(new QPushButton(tr("&Run probe"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_copy(new QPushButton(tr("&Copy report"), this))
    , m_summary(new QLabel(this))
    , m_tree(new QTreeWidget(this))
    , m_details(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("permissionProbeView"));
    m_heading->setObjectName(QStringLiteral("probeHeading"));
    m_heading->setWordWrap(true);
    m_includeAdmin->setObjectName(QStringLiteral("probeIncludeAdmin"));
    m_includeAdmin->setChecked(true);
    m_includeAdmin->setToolTip(
        tr("Also try the read-only admin APIs (admin workspaces, scanner, activity log). An identity "
           "without admin rights is refused there; that is expected, not a fault."));
    m_run->setObjectName(QStringLiteral("probeRun"));
    m_run->setToolTip(tr("Tries a fixed set of read-only calls, one after the other, within the service's limits."));
    m_cancel->setObjectName(QStringLiteral("probeCancel"));
    m_copy->setObjectName(QStringLiteral("probeCopy"));
    m_summary->setObjectName(QStringLiteral("probeSummary"));
    m_summary->setWordWrap(true);
    m_tree->setObjectName(QStringLiteral("probeTree"));
    m_tree->setHeaderLabels({tr("Check"), tr("Result"), tr("Call")});
    m_tree->setUniformRowHeights(true);
    m_tree->setRootIsDecorated(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    // A score of rows: sizing to contents costs nothing and nothing is cut.
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_details->setObjectName(QStringLiteral("probeDetails"));
    m_details->setOpenExternalLinks(false);
    m_details->setPlaceholderText(tr("Select a check to see what the service answered."));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_includeAdmin);
    buttons->addStretch();
    buttons->addWidget(m_copy);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tree);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addLayout(buttons);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &PermissionProbeView::run);
    connect(m_cancel, &QPushButton::clicked, this, &PermissionProbeView::cancel);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(reportText());
        Q_EMIT statusMessage(tr("Permission report copied."));
    });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &PermissionProbeView::showSelected);
    setClient(nullptr);
}

PermissionProbeView::~PermissionProbeView() = default;

void PermissionProbeView::setClient(pbi::PowerBiClient* client, const QString& connectionTitle)
{
    if (m_probe) {
        m_probe->cancel();
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    m_client = client;
    m_connectionTitle = connectionTitle;
    m_tree->clear();
    m_details->clear();
    m_cancelled = false;
    m_heading->setText(client ? tr("Which calls may <b>%1</b> make? The probe only reads.")
                                    .arg(esc(connectionTitle.isEmpty() ? tr("this connection") : connectionTitle))
                              : tr("Connect to probe an identity's permissions."));
    updateSummary();
    updateEnabled();
}

bool PermissionProbeView::isRunning() const
{
    return m_probe && m_probe->isRunning();
}

void PermissionProbeView::run()
{
    if (!m_client || isRunning())
        return;
    if (m_probe)
        m_probe->deleteLater();
    m_probe = new pbi::diagnostics::PermissionProbe(m_client, this);
    m_probe->setIncludeAdmin(m_includeAdmin->isChecked());
    connect(m_probe, &pbi::diagnostics::PermissionProbe::resultAdded, this, &PermissionProbeView::addResult);
    connect(m_probe, &pbi::diagnostics::PermissionProbe::finished, this, &PermissionProbeView::finish);
    m_tree->clear();
    m_details->clear();
    m_cancelled = false;
    m_probe->start();
    updateSummary();
    updateEnabled();
    Q_EMIT statusMessage(tr("Probing permissions…"));
}

void PermissionProbeView::cancel()
{
    if (!isRunning())
        return;
    m_probe->cancel();
    m_cancelled = true;
    updateSummary();
    updateEnabled();
    Q_EMIT statusMessage(tr("Permission probe cancelled."));
}

QTreeWidgetItem* PermissionProbeView::areaItem(const QString& area)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->data(0, kIndexRole).toString() == area)
            return m_tree->topLevelItem(i);
    auto* item = new QTreeWidgetItem(m_tree, {area});
    item->setData(0, kIndexRole, area);
    QFont bold = item->font(0);
    bold.setBold(true);
    item->setFont(0, bold);
    item->setExpanded(true);
    item->setFirstColumnSpanned(true);
    return item;
}

void PermissionProbeView::addResult(int index)
{
    if (!m_probe || index < 0 || std::size_t(index) >= m_probe->results().size())
        return;
    const ProbeResult& r = m_probe->results()[std::size_t(index)];
    QTreeWidgetItem* area = areaItem(r.area);
    auto* item = new QTreeWidgetItem(area, {r.check, resultWord(r), r.call});
    item->setData(0, kIndexRole, index);
    item->setIcon(1, refreshStateIcon(resultState(r)));
    const QString tip = r.error ? r.error->summary() : r.detail;
    for (int c = 0; c < 3; ++c)
        item->setToolTip(c, tip);
    if (!r.allowed && !r.skipped)
        item->setForeground(1, refreshStateColor(State::Failed));
    // The area line counts its own refusals, so a collapsed tree still shows where they are.
    int allowed = 0;
    int refused = 0;
    for (int i = 0; i < area->childCount(); ++i) {
        const int k = area->child(i)->data(0, kIndexRole).toInt();
        const ProbeResult& x = m_probe->results()[std::size_t(k)];
        allowed += x.allowed && !x.skipped ? 1 : 0;
        refused += !x.allowed && !x.skipped ? 1 : 0;
    }
    area->setText(0, refused > 0 ? tr("%1 — %2 refused of %3").arg(r.area).arg(refused).arg(area->childCount())
                                 : tr("%1 — %2 allowed").arg(r.area).arg(allowed));
    area->setIcon(0, refreshStateIcon(refused > 0 ? State::Failed : State::Completed));
    if (!m_tree->currentItem() && !r.allowed && !r.skipped)
        m_tree->setCurrentItem(item); // the first refusal is what the user came for
    updateSummary();
}

void PermissionProbeView::finish()
{
    updateSummary();
    updateEnabled();
    int refused = 0;
    for (const auto& r : m_probe->results())
        refused += !r.allowed && !r.skipped ? 1 : 0;
    Q_EMIT statusMessage(refused > 0 ? tr("Permission probe: %n call(s) refused.", nullptr, refused)
                                     : tr("Permission probe: every call allowed."));
}

void PermissionProbeView::showSelected()
{
    const QTreeWidgetItem* item = m_tree->currentItem();
    if (!item || !item->parent() || !m_probe) {
        m_details->clear();
        return;
    }
    const int index = item->data(0, kIndexRole).toInt();
    if (index < 0 || std::size_t(index) >= m_probe->results().size())
        return;
    const ProbeResult& r = m_probe->results()[std::size_t(index)];
    QString html = QStringLiteral("<p><b>%1</b> — %2<br><code>%3</code></p>")
                       .arg(esc(r.check), esc(resultWord(r)), esc(r.call));
    if (r.skipped) {
        html += tr("<p>Not tried: %1</p>").arg(esc(r.detail));
    } else if (r.allowed) {
        html += tr("<p>The service answered: %1</p>").arg(esc(r.detail));
    } else if (r.error) {
        const pbi::Error& e = *r.error;
        html += QStringLiteral("<p>%1</p>").arg(esc(e.sentence));
        QStringList facts;
        if (e.httpStatus > 0)
            facts << tr("HTTP %1").arg(e.httpStatus);
        if (!e.code.isEmpty())
            facts << tr("code <b>%1</b>").arg(esc(e.code));
        if (!e.detailCode.isEmpty())
            facts << esc(e.detailCode);
        if (!e.requestId.isEmpty())
            facts << tr("request id %1").arg(esc(e.requestId));
        if (!facts.isEmpty())
            html += QStringLiteral("<p>%1</p>").arg(facts.join(QStringLiteral(" · ")));
        if (!e.message.isEmpty() && !e.sentence.contains(e.message))
            html += tr("<p>The service said: <i>%1</i></p>").arg(esc(e.message));
        if (!e.hint.isEmpty())
            html += tr("<p><b>Likely fix:</b> %1</p>").arg(esc(e.hint));
    }
    m_details->setHtml(html);
}

void PermissionProbeView::updateSummary()
{
    if (!m_probe) {
        m_summary->setText(m_client ? tr("Not run yet.") : QString());
        return;
    }
    int allowed = 0;
    int refused = 0;
    int skipped = 0;
    for (const auto& r : m_probe->results()) {
        skipped += r.skipped ? 1 : 0;
        allowed += r.allowed && !r.skipped ? 1 : 0;
        refused += !r.allowed && !r.skipped ? 1 : 0;
    }
    QString text = tr("%1 allowed · %2 refused · %3 skipped").arg(allowed).arg(refused).arg(skipped);
    if (isRunning())
        text = tr("Probing… %1").arg(text);
    else if (m_cancelled)
        text = tr("Cancelled after %1 checks: %2").arg(m_probe->results().size()).arg(text);
    m_summary->setText(text);
}

void PermissionProbeView::updateEnabled()
{
    const bool running = isRunning();
    m_run->setEnabled(m_client && !running);
    m_cancel->setEnabled(running);
    m_includeAdmin->setEnabled(!running);
    m_copy->setEnabled(m_probe && !m_probe->results().empty() && !running);
}

QString PermissionProbeView::reportText() const
{
    if (!m_probe)
        return {};
    QStringList lines;
    lines << tr("Permission probe — %1").arg(m_connectionTitle.isEmpty() ? tr("this connection") : m_connectionTitle);
    lines << m_summary->text() << QString();
    QString area;
    for (const auto& r : m_probe->results()) {
        if (r.area != area) {
            area = r.area;
            lines << area;
        }
        lines << QStringLiteral("  %1: %2 — %3").arg(resultWord(r), r.check, r.call);
        if (r.skipped || r.allowed) {
            if (!r.detail.isEmpty())
                lines << QStringLiteral("      ") + r.detail;
        } else if (r.error) {
            lines << QStringLiteral("      ") + r.error->summary();
            if (!r.error->hint.isEmpty())
                lines << tr("      Likely fix: %1").arg(r.error->hint);
        }
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace pbi::ui
