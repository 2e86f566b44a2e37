#pragma once

#include "api/Embed.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>

#include <functional>
#include <vector>

namespace pbi::ui {

/// The embed-token tester's row-level-security identities, one row each, kept exactly as typed
/// (roles and models as comma lists), with the pre-flight's findings per row.
class EmbedIdentityModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { UsernameColumn, RolesColumn, DatasetsColumn, CustomDataColumn, ColumnCount };

    /// One identity as typed.
    struct Row {
        QString username;
        QString roles;    ///< comma list
        QString datasets; ///< comma list of model names or ids; empty: the default models
        QString customData;
    };

    explicit EmbedIdentityModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

    /// Appends a row; returns its index.
    int addIdentity(const Row& row = {});
    const std::vector<Row>& rows() const { return m_rows; }
    /// The identities to send: roles and models split on commas and trimmed; each model entry
    /// passed through `resolveModel` (a name becomes its id). Datasets stay empty when none is
    /// typed: the caller fills in the defaults.
    std::vector<pbi::EffectiveIdentity> identities(const std::function<QString(const QString&)>& resolveModel) const;

    /// What an empty "Models" cell means, shown greyed in it (e.g. "General Ledger (default)").
    void setDefaultDatasetsText(const QString& text);
    /// The pre-flight's sentences per row (shown as the row's tooltip, the row tinted).
    void setRowFindings(const QHash<int, QStringList>& findings);
    QStringList rowFindings(int row) const { return m_findings.value(row); }

private:
    std::vector<Row> m_rows;
    QString m_defaultDatasets;
    QHash<int, QStringList> m_findings;
};

} // namespace pbi::ui
