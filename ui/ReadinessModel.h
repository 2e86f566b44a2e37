#pragma once

#include "readiness/ReadinessCheck.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QIcon>

#include <vector>

namespace pbi::ui {

/// The readiness checklist as a tree: the eight areas, each with its checks (status, evidence,
/// attestation). The rows are the catalogue's and never change; a new review only changes
/// their data, so selection and expansion survive re-evaluation.
class ReadinessModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { CheckColumn, StatusColumn, EvidenceColumn, AttestationColumn, ColumnCount };
    enum Role {
        CheckIdRole = Qt::UserRole + 1, ///< QString; empty on area rows
        StatusRole,                     ///< int(readiness::Status); the worst of the area on area rows
        AreaRole,                       ///< int(readiness::Area)
    };

    explicit ReadinessModel(QObject* parent = nullptr);

    /// One result per catalogue check (any order; missing ones show as not evaluated).
    void setResults(const std::vector<pbi::readiness::CheckResult>& results);
    const pbi::readiness::CheckResult* result(const QString& checkId) const;
    /// The index of a check's row (column 0), invalid for an unknown id.
    QModelIndex indexOf(const QString& checkId) const;

    static QColor statusColor(pbi::readiness::Status status);
    static QIcon statusIcon(pbi::readiness::Status status);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct AreaNode {
        pbi::readiness::Area area;
        std::vector<std::size_t> checks; ///< indexes into m_results (catalogue order)
    };
    QVariant areaData(const AreaNode& area, int column, int role) const;
    QVariant checkData(const pbi::readiness::CheckResult& r, int column, int role) const;
    pbi::readiness::Status worstOf(const AreaNode& area) const;

    std::vector<AreaNode> m_areas;
    std::vector<pbi::readiness::CheckResult> m_results; ///< catalogue order
};

} // namespace pbi::ui
