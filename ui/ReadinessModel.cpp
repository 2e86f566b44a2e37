#include "ReadinessModel.h"

#include <QBrush>
#include <QFont>
#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace pbi::ui {

using namespace pbi::readiness;

namespace {

/// Ordered from best to worst: what an area row shows is its worst check.
int severity(Status s)
{
    switch (s) {
    case Status::NotApplicable: return 0;
    case Status::Pass: return 1;
    case Status::NotEvaluated: return 2;
    case Status::NeedsAttestation: return 3;
    case Status::Warn: return 4;
    case Status::Error: return 5;
    case Status::Fail: return 6;
    }
    return 0;
}

QString glyph(Status s)
{
    switch (s) {
    case Status::Pass: return QStringLiteral("✓");
    case Status::Warn: return QStringLiteral("!");
    case Status::Fail: return QStringLiteral("✕");
    case Status::NotApplicable: return QStringLiteral("–");
    case Status::NeedsAttestation: return QStringLiteral("?");
    case Status::Error: return QStringLiteral("⚡");
    case Status::NotEvaluated: return QStringLiteral("·");
    }
    return {};
}

QString day(const QDateTime& t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
}

} // namespace

ReadinessModel::ReadinessModel(QObject* parent)
    : QAbstractItemModel(parent)
    , m_results(unevaluatedResults())
{
    for (std::size_t i = 0; i < catalogue().size(); ++i) {
        const Area a = catalogue()[i].area;
        if (m_areas.empty() || m_areas.back().area != a)
            m_areas.push_back({a, {}});
        m_areas.back().checks.push_back(i);
    }
}

void ReadinessModel::setResults(const std::vector<CheckResult>& results)
{
    for (CheckResult& mine : m_results) {
        const QString id = mine.checkId;
        mine = CheckResult{};
        mine.checkId = id;
        for (const CheckResult& r : results)
            if (r.checkId == id)
                mine = r;
    }
    for (int a = 0; a < int(m_areas.size()); ++a) {
        const QModelIndex area = index(a, 0);
        Q_EMIT dataChanged(area, index(a, ColumnCount - 1));
        Q_EMIT dataChanged(index(0, 0, area), index(rowCount(area) - 1, ColumnCount - 1, area));
    }
}

const CheckResult* ReadinessModel::result(const QString& checkId) const
{
    for (const CheckResult& r : m_results)
        if (r.checkId == checkId)
            return &r;
    return nullptr;
}

QModelIndex ReadinessModel::indexOf(const QString& checkId) const
{
    for (int a = 0; a < int(m_areas.size()); ++a)
        for (int c = 0; c < int(m_areas[std::size_t(a)].checks.size()); ++c)
            if (m_results[m_areas[std::size_t(a)].checks[std::size_t(c)]].checkId == checkId)
                return index(c, 0, index(a, 0));
    return {};
}

QColor ReadinessModel::statusColor(Status s)
{
    switch (s) {
    case Status::Pass: return QColor(0x2e, 0x7d, 0x32);
    case Status::Warn: return QColor(0xb2, 0x6a, 0x00);
    case Status::Fail: return QColor(0xc6, 0x28, 0x28);
    case Status::Error: return QColor(0x8e, 0x24, 0xaa);
    case Status::NeedsAttestation: return QColor(0x15, 0x65, 0xc0);
    case Status::NotApplicable:
    case Status::NotEvaluated: return QColor(0x75, 0x75, 0x75);
    }
    return {};
}

QIcon ReadinessModel::statusIcon(Status s)
{
    static QHash<int, QIcon> cache;
    if (auto it = cache.constFind(int(s)); it != cache.constEnd())
        return *it;
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(statusColor(s));
    p.drawEllipse(QRectF(2, 2, 28, 28));
    QFont f = p.font();
    f.setPixelSize(20);
    f.setBold(true);
    p.setFont(f);
    p.setPen(Qt::white);
    p.drawText(QRectF(0, 0, 32, 31), Qt::AlignCenter, glyph(s));
    p.end();
    QIcon icon(pm);
    cache.insert(int(s), icon);
    return icon;
}

QModelIndex ReadinessModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_areas.size()) ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= int(m_areas.size()))
        return {};
    if (row >= int(m_areas[std::size_t(parent.row())].checks.size()))
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex ReadinessModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId()) - 1, 0, quintptr(0));
}

int ReadinessModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_areas.size());
    if (parent.column() != 0 || parent.internalId() != 0)
        return 0;
    return int(m_areas[std::size_t(parent.row())].checks.size());
}

int ReadinessModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

Status ReadinessModel::worstOf(const AreaNode& area) const
{
    Status worst = Status::NotApplicable;
    for (std::size_t i : area.checks)
        if (severity(m_results[i].status) > severity(worst))
            worst = m_results[i].status;
    return worst;
}

QVariant ReadinessModel::areaData(const AreaNode& area, int column, int role) const
{
    if (role == AreaRole)
        return int(area.area);
    if (role == StatusRole)
        return int(worstOf(area));
    if (role == CheckIdRole)
        return QString();
    if (role == Qt::FontRole) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (column == CheckColumn) {
        if (role == Qt::DisplayRole)
            return areaName(area.area);
        if (role == Qt::DecorationRole)
            return statusIcon(worstOf(area));
    }
    if (column == EvidenceColumn && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        std::vector<CheckResult> mine;
        for (std::size_t i : area.checks)
            mine.push_back(m_results[i]);
        return countStatuses(mine).summary();
    }
    return {};
}

QVariant ReadinessModel::checkData(const CheckResult& r, int column, int role) const
{
    const ReadinessCheck* def = findCheck(r.checkId);
    if (!def)
        return {};
    if (role == CheckIdRole)
        return r.checkId;
    if (role == StatusRole)
        return int(r.status);
    if (role == AreaRole)
        return int(def->area);
    switch (column) {
    case CheckColumn:
        if (role == Qt::DisplayRole)
            return def->title;
        if (role == Qt::ToolTipRole)
            return QStringLiteral("%1 (%2)\n\n%3").arg(def->id, decisionName(def->decision), def->why);
        break;
    case StatusColumn:
        if (role == Qt::DisplayRole)
            return statusName(r.status);
        if (role == Qt::DecorationRole)
            return statusIcon(r.status);
        if (role == Qt::ForegroundRole)
            return QBrush(statusColor(r.status));
        if (role == Qt::ToolTipRole && r.attestationApplied)
            return tr("Decided by an attestation; the live evaluation said: %1").arg(statusName(r.liveStatus));
        break;
    case EvidenceColumn: {
        if (role == Qt::DisplayRole) {
            if (r.status == Status::Error)
                return tr("Could not evaluate: %1").arg(r.error);
            // A line that introduces a list ("on shared capacity:") reads better with its first item.
            QString first = r.evidence.value(0);
            int shown = r.evidence.isEmpty() ? 0 : 1;
            if (first.endsWith(QLatin1Char(':')) && r.evidence.size() > 1) {
                first += QLatin1Char(' ') + r.evidence[1];
                shown = 2;
            }
            if (r.evidence.size() > shown)
                first += tr(" (+%1 more)").arg(r.evidence.size() - shown);
            return first;
        }
        if (role == Qt::ToolTipRole) {
            QStringList lines = r.evidence;
            if (!r.error.isEmpty())
                lines.prepend(tr("Could not evaluate: %1").arg(r.error));
            return lines.join(QLatin1Char('\n'));
        }
        break;
    }
    case AttestationColumn:
        if (!r.attestation)
            break;
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
            QString t = tr("%1 by %2 on %3").arg(statusName(r.attestation->status), r.attestation->by, day(r.attestation->at));
            if (r.attestationStale)
                t += tr(" — stale");
            if (role == Qt::ToolTipRole && !r.attestation->comment.isEmpty())
                t += QStringLiteral("\n") + r.attestation->comment;
            return t;
        }
        if (role == Qt::ForegroundRole && r.attestationStale)
            return QBrush(statusColor(Status::Warn));
        break;
    default:
        break;
    }
    return {};
}

QVariant ReadinessModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    if (index.internalId() == 0)
        return areaData(m_areas[std::size_t(index.row())], index.column(), role);
    const AreaNode& area = m_areas[std::size_t(index.internalId() - 1)];
    return checkData(m_results[area.checks[std::size_t(index.row())]], index.column(), role);
}

QVariant ReadinessModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CheckColumn: return tr("Check");
    case StatusColumn: return tr("Status");
    case EvidenceColumn: return tr("Evidence");
    case AttestationColumn: return tr("Attestation");
    default: return {};
    }
}

} // namespace pbi::ui
