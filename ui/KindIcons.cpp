#include "KindIcons.h"

#include <QApplication>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QStyle>

namespace pbi::ui {

namespace {

using K = WorkspaceTreeModel::NodeKind;

/// Draws one glyph on a 16×16 design grid, scaled to `size`.
QPixmap draw(K kind, int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 16.0, size / 16.0);
    const QColor fill = kindColor(kind);
    // A thin darker rim keeps the shape on light backgrounds; the mid-tone fill keeps it on
    // dark ones. Inner marks are white, drawn on the fill, so they never meet the background.
    const QPen rim(fill.darker(140), 0.8);
    const QColor mark(Qt::white);
    switch (kind) {
    case K::Workspace: {
        // Two stacked sheets: a container of items.
        p.setPen(rim);
        p.setBrush(fill.lighter(125));
        p.drawRoundedRect(QRectF(4.5, 1.5, 10, 10), 2, 2);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(1.5, 4.5, 10, 10), 2, 2);
        p.setPen(QPen(mark, 1.3));
        p.drawLine(QPointF(4, 8.5), QPointF(9, 8.5));
        p.drawLine(QPointF(4, 11.5), QPointF(7.5, 11.5));
        break;
    }
    case K::Report: {
        // A bar chart.
        p.setPen(rim);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 2.5, 2.5);
        p.setPen(Qt::NoPen);
        p.setBrush(mark);
        p.drawRect(QRectF(4, 8, 2, 4.5));
        p.drawRect(QRectF(7, 4, 2, 8.5));
        p.drawRect(QRectF(10, 6, 2, 6.5));
        break;
    }
    case K::SemanticModel: {
        // A database cylinder.
        p.setPen(rim);
        p.setBrush(fill);
        QPainterPath body;
        body.moveTo(2.5, 4);
        body.lineTo(2.5, 12.5);
        body.arcTo(QRectF(2.5, 10.5, 11, 4), 180, 180);
        body.lineTo(13.5, 4);
        body.closeSubpath();
        p.drawPath(body);
        p.setBrush(fill.lighter(130));
        p.drawEllipse(QRectF(2.5, 2, 11, 4));
        p.setPen(QPen(mark, 1.1));
        p.setBrush(Qt::NoBrush);
        p.drawArc(QRectF(2.5, 6.5, 11, 4), 180 * 16, 180 * 16);
        break;
    }
    case K::Dashboard: {
        // Four tiles.
        p.setPen(rim);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 2.5, 2.5);
        p.setPen(Qt::NoPen);
        p.setBrush(mark);
        p.drawRect(QRectF(4, 4, 3.5, 3.5));
        p.drawRect(QRectF(8.5, 4, 3.5, 3.5));
        p.drawRect(QRectF(4, 8.5, 3.5, 3.5));
        p.drawRect(QRectF(8.5, 8.5, 3.5, 3.5));
        break;
    }
    case K::Dataflow: {
        // A flow: two inputs joining into an arrow.
        p.setPen(rim);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 2.5, 2.5);
        p.setPen(QPen(mark, 1.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawLine(QPointF(4, 5), QPointF(7.5, 8));
        p.drawLine(QPointF(4, 11), QPointF(7.5, 8));
        p.drawLine(QPointF(7.5, 8), QPointF(12, 8));
        p.drawPolyline(QPolygonF({QPointF(10, 6), QPointF(12, 8), QPointF(10, 10)}));
        break;
    }
    case K::Member: {
        // A person.
        p.setPen(rim);
        p.setBrush(fill);
        p.drawEllipse(QRectF(5, 1.5, 6, 6));
        QPainterPath shoulders;
        shoulders.moveTo(2, 14.5);
        shoulders.cubicTo(2, 9, 14, 9, 14, 14.5);
        shoulders.closeSubpath();
        p.drawPath(shoulders);
        break;
    }
    case K::Folder:
        break;
    }
    p.end();
    return pm;
}

} // namespace

QColor kindColor(WorkspaceTreeModel::NodeKind kind)
{
    // Relative luminance about 0.15–0.25: a contrast of at least 3:1 against white and
    // against a #1e1e1e view alike.
    switch (kind) {
    case K::Workspace:
        return QColor(0x3d, 0x7f, 0xd9); // blue
    case K::Report:
        return QColor(0xc2, 0x7c, 0x0e); // amber
    case K::SemanticModel:
        return QColor(0x1c, 0x94, 0x86); // teal
    case K::Dashboard:
        return QColor(0x94, 0x5f, 0xd6); // violet
    case K::Dataflow:
        return QColor(0x3f, 0x94, 0x3f); // green
    case K::Member:
        return QColor(0x6d, 0x80, 0x96); // slate
    case K::Folder:
        return QColor(0x80, 0x80, 0x80);
    }
    return {};
}

QIcon kindIcon(WorkspaceTreeModel::NodeKind kind)
{
    if (kind == K::Folder)
        return QApplication::style()->standardIcon(QStyle::SP_DirIcon);
    // Drawn once per kind; the model asks for a decoration on every paint.
    static QHash<int, QIcon> cache;
    auto it = cache.constFind(int(kind));
    if (it != cache.constEnd())
        return *it;
    QIcon icon;
    for (int size : {16, 20, 24, 32, 48, 64})
        icon.addPixmap(draw(kind, size));
    cache.insert(int(kind), icon);
    return icon;
}

} // namespace pbi::ui
