#include "EmbedIdentityModel.h"

#include <QBrush>
#include <QColor>

namespace pbi::ui {

namespace {

QStringList commaList(const QString& text)
{
    QStringList out;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

} // namespace

EmbedIdentityModel::EmbedIdentityModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int EmbedIdentityModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EmbedIdentityModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EmbedIdentityModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const Row& r = m_rows[std::size_t(index.row())];
    const QString* text = nullptr;
    switch (index.column()) {
    case UsernameColumn: text = &r.username; break;
    case RolesColumn: text = &r.roles; break;
    case DatasetsColumn: text = &r.datasets; break;
    case CustomDataColumn: text = &r.customData; break;
    default: return {};
    }
    const bool placeholder = index.column() == DatasetsColumn && text->isEmpty() && !m_defaultDatasets.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        return placeholder ? m_defaultDatasets : *text;
    case Qt::EditRole:
        return *text;
    case Qt::ForegroundRole:
        if (placeholder)
            return QBrush(QColor(0x75, 0x75, 0x75));
        return {};
    case Qt::BackgroundRole:
        if (m_findings.contains(index.row()))
            return QBrush(QColor(0xfd, 0xec, 0xea));
        return {};
    case Qt::ToolTipRole: {
        const QStringList f = m_findings.value(index.row());
        if (!f.isEmpty())
            return f.join(QLatin1Char('\n'));
        switch (index.column()) {
        case UsernameColumn: return tr("The viewer's user name (UPN, or the key USERNAME() reads in the RLS rules); no spaces.");
        case RolesColumn: return tr("The model's RLS roles the viewer belongs to, separated by commas.");
        case DatasetsColumn: return tr("The models (names or ids, separated by commas) this identity applies to; empty: the default shown.");
        case CustomDataColumn: return tr("CUSTOMDATA() for the RLS rules (Analysis Services live connections and cloud models); optional.");
        default: return {};
        }
    }
    default:
        return {};
    }
}

bool EmbedIdentityModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount())
        return false;
    Row& r = m_rows[std::size_t(index.row())];
    const QString v = value.toString();
    switch (index.column()) {
    case UsernameColumn: r.username = v; break;
    case RolesColumn: r.roles = v; break;
    case DatasetsColumn: r.datasets = v; break;
    case CustomDataColumn: r.customData = v; break;
    default: return false;
    }
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    return true;
}

QVariant EmbedIdentityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case UsernameColumn: return tr("User name");
    case RolesColumn: return tr("Roles");
    case DatasetsColumn: return tr("Models");
    case CustomDataColumn: return tr("Custom data");
    default: return {};
    }
}

Qt::ItemFlags EmbedIdentityModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

bool EmbedIdentityModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_rows.erase(m_rows.begin() + row, m_rows.begin() + row + count);
    m_findings.clear(); // row numbers moved; the view validates again right away
    endRemoveRows();
    return true;
}

int EmbedIdentityModel::addIdentity(const Row& row)
{
    const int at = rowCount();
    beginInsertRows({}, at, at);
    m_rows.push_back(row);
    endInsertRows();
    return at;
}

std::vector<pbi::EffectiveIdentity>
EmbedIdentityModel::identities(const std::function<QString(const QString&)>& resolveModel) const
{
    std::vector<pbi::EffectiveIdentity> out;
    out.reserve(m_rows.size());
    for (const Row& r : m_rows) {
        pbi::EffectiveIdentity id;
        id.username = r.username.trimmed();
        id.roles = commaList(r.roles);
        for (const QString& d : commaList(r.datasets))
            id.datasets << (resolveModel ? resolveModel(d) : d);
        id.customData = r.customData;
        out.push_back(std::move(id));
    }
    return out;
}

void EmbedIdentityModel::setDefaultDatasetsText(const QString& text)
{
    if (text == m_defaultDatasets)
        return;
    m_defaultDatasets = text;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, DatasetsColumn), index(rowCount() - 1, DatasetsColumn),
                           {Qt::DisplayRole, Qt::ForegroundRole});
}

void EmbedIdentityModel::setRowFindings(const QHash<int, QStringList>& findings)
{
    if (findings == m_findings)
        return;
    m_findings = findings;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           {Qt::BackgroundRole, Qt::ToolTipRole});
}

} // namespace pbi::ui
