#include "RefreshChart.h"

#include "RefreshHistoryModel.h"
#include "RefreshStatus.h"

#include <QAbstractItemModel>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QScatterSeries>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace pbi::ui {

using pbi::refresh::State;

namespace {

constexpr State kStates[] = {State::Completed, State::Failed,   State::Running,
                             State::Cancelled, State::Disabled, State::Unknown};

QScatterSeries::MarkerShape shapeOf(State s)
{
    switch (s) {
    case State::Completed:
        return QScatterSeries::MarkerShapeCircle;
    case State::Failed:
        return QScatterSeries::MarkerShapeRotatedRectangle;
    case State::Running:
        return QScatterSeries::MarkerShapeTriangle;
    case State::Cancelled:
        return QScatterSeries::MarkerShapeRectangle;
    case State::Disabled:
    case State::Unknown:
        break;
    }
    return QScatterSeries::MarkerShapePentagon;
}

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace

RefreshChart::RefreshChart(QWidget* parent)
    : QChartView(parent)
    , m_x(new QDateTimeAxis)
    , m_y(new QValueAxis)
    , m_selection(new QScatterSeries)
{
    setObjectName(QStringLiteral("refreshChart"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(260, 150);
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    setChart(chart);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_x->setTickCount(5);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setMin(0);
    for (State s : kStates) {
        auto* series = new QScatterSeries;
        series->setName(pbi::refresh::stateName(s));
        series->setMarkerShape(shapeOf(s));
        series->setMarkerSize(s == State::Failed ? 12 : 10);
        chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        connect(series, &QXYSeries::clicked, this,
                [this, s](const QPointF& p) { pointClicked(s, p); });
        m_series[s] = series;
    }
    m_selection->setName(tr("Selected"));
    m_selection->setMarkerSize(22);
    chart->addSeries(m_selection);
    m_selection->attachAxis(m_x);
    m_selection->attachAxis(m_y);
    connect(m_selection, &QXYSeries::clicked, this, [this] {
        if (m_selectedRow >= 0)
            Q_EMIT rowClicked(m_selectedRow);
    });
    applyTheme();
    rebuild();
}

void RefreshChart::setSourceModel(QAbstractItemModel* model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &RefreshChart::scheduleRebuild);
        connect(model, &QAbstractItemModel::rowsInserted, this, &RefreshChart::scheduleRebuild);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &RefreshChart::scheduleRebuild);
        connect(model, &QAbstractItemModel::dataChanged, this, &RefreshChart::scheduleRebuild);
        // Row numbers change with inserts and removals: the ring follows the refresh, not the row.
        connect(model, &QAbstractItemModel::modelReset, this, [this] { m_selectedRow = -1; });
    }
    rebuild();
}

void RefreshChart::scheduleRebuild()
{
    if (m_rebuildPending)
        return;
    m_rebuildPending = true;
    QTimer::singleShot(0, this, &RefreshChart::rebuild);
}

QPointF RefreshChart::valueOf(int row) const
{
    const QModelIndex start = m_model->index(row, RefreshHistoryModel::StartColumn);
    const QModelIndex duration = m_model->index(row, RefreshHistoryModel::DurationColumn);
    const qint64 at = start.data(RefreshHistoryModel::SortRole).toLongLong();
    const qint64 ms = duration.data(RefreshHistoryModel::SortRole).toLongLong();
    return QPointF(double(at), double(std::max<qint64>(0, ms)) / m_unitMs);
}

void RefreshChart::rebuild()
{
    m_rebuildPending = false;
    for (auto& [state, series] : m_series) {
        series->clear();
        m_rows[state].clear();
    }
    m_selection->clear();
    const int rows = m_model ? m_model->rowCount() : 0;
    // Pick a unit that keeps the axis labels short.
    qint64 longest = 0;
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = std::numeric_limits<qint64>::min();
    std::vector<int> plotted;
    for (int row = 0; row < rows; ++row) {
        const qint64 at = m_model->index(row, RefreshHistoryModel::StartColumn)
                              .data(RefreshHistoryModel::SortRole)
                              .toLongLong();
        const qint64 ms = m_model->index(row, RefreshHistoryModel::DurationColumn)
                              .data(RefreshHistoryModel::SortRole)
                              .toLongLong();
        if (at <= 0 || ms < 0)
            continue; // no start time: nothing to place
        plotted.push_back(row);
        longest = std::max(longest, ms);
        first = std::min(first, at);
        last = std::max(last, at);
    }
    if (longest < 120'000) {
        m_unitMs = 1000.0;
        m_unit = tr("Duration (s)");
    } else if (longest < 120 * 60'000) {
        m_unitMs = 60'000.0;
        m_unit = tr("Duration (min)");
    } else {
        m_unitMs = 3'600'000.0;
        m_unit = tr("Duration (h)");
    }
    m_y->setTitleText(m_unit);
    m_y->setLabelFormat(m_unitMs == 3'600'000.0 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    for (int row : plotted) {
        const auto state =
            State(m_model->index(row, 0).data(RefreshHistoryModel::StateRole).toInt());
        m_series[state]->append(valueOf(row));
        m_rows[state].push_back(row);
    }
    if (plotted.empty()) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        m_x->setRange(now.addDays(-7), now);
        m_y->setRange(0, 1);
    } else {
        // Some air around the points, at least an hour either side.
        const qint64 pad = std::max<qint64>((last - first) / 20, 3'600'000);
        m_x->setRange(QDateTime::fromMSecsSinceEpoch(first - pad),
                      QDateTime::fromMSecsSinceEpoch(last + pad));
        const double top = double(longest) / m_unitMs;
        m_y->setRange(0, top <= 0 ? 1 : std::ceil(top * 1.1));
        m_y->applyNiceNumbers();
        m_y->setMin(0);
        m_x->setFormat(last - first > 2LL * 24 * 3'600'000 ? QStringLiteral("dd MMM")
                                                           : QStringLiteral("dd MMM HH:mm"));
    }
    for (auto& [state, series] : m_series) {
        const int n = int(series->count());
        series->setName(n ? tr("%1 (%2)").arg(pbi::refresh::stateName(state)).arg(n)
                          : pbi::refresh::stateName(state));
        for (QLegendMarker* marker : chart()->legend()->markers(series))
            marker->setVisible(n > 0);
    }
    for (QLegendMarker* marker : chart()->legend()->markers(m_selection))
        marker->setVisible(false);
    if (m_selectedRow >= rows)
        m_selectedRow = -1;
    if (m_selectedRow >= 0 &&
        std::find(plotted.begin(), plotted.end(), m_selectedRow) != plotted.end())
        m_selection->append(valueOf(m_selectedRow));
}

void RefreshChart::setSelectedRow(int row)
{
    m_selectedRow = row;
    m_selection->clear();
    if (!m_model || row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex start = m_model->index(row, RefreshHistoryModel::StartColumn);
    if (start.data(RefreshHistoryModel::SortRole).toLongLong() <= 0)
        return;
    m_selection->append(valueOf(row));
}

int RefreshChart::pointCount(State state) const
{
    const auto it = m_series.find(state);
    return it == m_series.end() ? 0 : int(it->second->count());
}

QPoint RefreshChart::pointPosition(int row) const
{
    if (!m_model || row < 0 || row >= m_model->rowCount())
        return {};
    const auto state = State(m_model->index(row, 0).data(RefreshHistoryModel::StateRole).toInt());
    const QPointF inChart = chart()->mapToPosition(valueOf(row), m_series.at(state));
    return mapFromScene(chart()->mapToScene(inChart));
}

void RefreshChart::pointClicked(State state, const QPointF& point)
{
    // The series hands back the point's value; find the refresh drawn nearest to it.
    const auto& rows = m_rows[state];
    QScatterSeries* series = m_series[state];
    int best = -1;
    double bestDistance = std::numeric_limits<double>::max();
    for (int i = 0; i < int(rows.size()) && i < int(series->count()); ++i) {
        const QPointF p = series->at(i);
        const QPointF a = chart()->mapToPosition(p, series);
        const QPointF b = chart()->mapToPosition(point, series);
        const double d = std::hypot(a.x() - b.x(), a.y() - b.y());
        if (d < bestDistance) {
            bestDistance = d;
            best = rows[std::size_t(i)];
        }
    }
    if (best >= 0)
        Q_EMIT rowClicked(best);
}

void RefreshChart::applyTheme()
{
    const bool dark = isDark(palette());
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart()->setBackgroundBrush(palette().brush(QPalette::Base));
    chart()->setBackgroundRoundness(0);
    const QColor text = palette().color(QPalette::Text);
    chart()->legend()->setLabelColor(text);
    for (QAbstractAxis* axis :
         {static_cast<QAbstractAxis*>(m_x), static_cast<QAbstractAxis*>(m_y)}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
    }
    // A theme resets series colours: set ours again, the table's colours.
    for (auto& [state, series] : m_series) {
        const QColor c = refreshStateColor(state);
        series->setColor(c);
        series->setBorderColor(c.darker(dark ? 80 : 130));
    }
    m_selection->setColor(Qt::transparent);
    m_selection->setBorderColor(text);
    QPen ring(text, 2);
    m_selection->setPen(ring);
}

void RefreshChart::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

} // namespace pbi::ui
