#pragma once

#include "refresh/RefreshRules.h"

#include <QChartView>
#include <QPointer>

#include <map>
#include <vector>

class QAbstractItemModel;
class QDateTimeAxis;
class QScatterSeries;
class QValueAxis;

namespace pbi::ui {

/// Durations and outcomes of a model's refreshes over time: one point per refresh (start time
/// against duration), coloured and shaped by outcome like the history table. Follows a
/// RefreshHistoryModel; clicking a point names its row.
class RefreshChart : public QChartView {
    Q_OBJECT
public:
    explicit RefreshChart(QWidget* parent = nullptr);

    /// Follows this model (a RefreshHistoryModel, or anything with its columns and roles).
    void setSourceModel(QAbstractItemModel* model);
    /// Rings the point of this source row (-1: none).
    void setSelectedRow(int row);
    int selectedRow() const { return m_selectedRow; }
    /// Points shown per outcome, for tests.
    int pointCount(pbi::refresh::State state) const;
    /// Where the point of a source row is drawn, in this widget's coordinates (tests click it).
    QPoint pointPosition(int row) const;
    QString unitLabel() const { return m_unit; }

Q_SIGNALS:
    void rowClicked(int row);

protected:
    void changeEvent(QEvent* event) override;

private:
    void scheduleRebuild();
    void rebuild();
    void applyTheme();
    void pointClicked(pbi::refresh::State state, const QPointF& point);
    QPointF valueOf(int row) const;

    QPointer<QAbstractItemModel> m_model;
    QDateTimeAxis* m_x;
    QValueAxis* m_y;
    std::map<pbi::refresh::State, QScatterSeries*> m_series;
    std::map<pbi::refresh::State, std::vector<int>> m_rows; ///< point i of a series → source row
    QScatterSeries* m_selection;
    int m_selectedRow = -1;
    double m_unitMs = 60000.0;
    QString m_unit;
    bool m_rebuildPending = false;
};

} // namespace pbi::ui
