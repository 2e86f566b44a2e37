#include "RefreshStatus.h"

#include <QHash>
#include <QObject>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace pbi::ui {

using pbi::refresh::State;

QColor refreshStateColor(State state)
{
    switch (state) {
    case State::Completed:
        return QColor(0x2e, 0x9d, 0x4f);
    case State::Failed:
        return QColor(0xe0, 0x45, 0x4b);
    case State::Running:
        return QColor(0x3b, 0x82, 0xf6);
    case State::Cancelled:
        return QColor(0xd0, 0x8c, 0x00);
    case State::Disabled:
    case State::Unknown:
        break;
    }
    return QColor(0x8b, 0x8d, 0x98);
}

namespace {

QPixmap drawState(State state, int size, qreal dpr)
{
    QPixmap pm(int(size * dpr), int(size * dpr));
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;
    p.setPen(Qt::NoPen);
    p.setBrush(refreshStateColor(state));
    p.drawEllipse(QRectF(0.5, 0.5, s - 1, s - 1));
    QPen glyph(Qt::white, s / 8.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(glyph);
    p.setBrush(Qt::NoBrush);
    switch (state) {
    case State::Completed: {
        QPainterPath tick;
        tick.moveTo(s * 0.28, s * 0.52);
        tick.lineTo(s * 0.44, s * 0.68);
        tick.lineTo(s * 0.72, s * 0.34);
        p.drawPath(tick);
        break;
    }
    case State::Failed:
        p.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67));
        p.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67));
        break;
    case State::Running:
        p.setPen(Qt::NoPen);
        p.setBrush(Qt::white);
        for (int i = 0; i < 3; ++i)
            p.drawEllipse(QPointF(s * (0.3 + 0.2 * i), s * 0.5), s * 0.07, s * 0.07);
        break;
    case State::Cancelled:
        p.setPen(Qt::NoPen);
        p.setBrush(Qt::white);
        p.drawRect(QRectF(s * 0.34, s * 0.34, s * 0.32, s * 0.32));
        break;
    case State::Disabled:
    case State::Unknown:
        p.drawLine(QPointF(s * 0.3, s * 0.5), QPointF(s * 0.7, s * 0.5));
        break;
    }
    return pm;
}

} // namespace

QIcon refreshStateIcon(State state)
{
    static QHash<int, QIcon> cache;
    const auto it = cache.constFind(int(state));
    if (it != cache.constEnd())
        return *it;
    QIcon icon;
    for (int size : {12, 14, 16, 20, 24, 32})
        icon.addPixmap(drawState(state, size, 1.0));
    for (int size : {14, 16, 24})
        icon.addPixmap(drawState(state, size, 2.0));
    cache.insert(int(state), icon);
    return icon;
}

QString refreshStateExplanation(State state)
{
    switch (state) {
    case State::Running:
        return QObject::tr(
            "Running: the service reports \"Unknown\" and no end time, which is how it "
            "shows a refresh in progress.");
    case State::Completed:
        return QObject::tr("Completed: the data was refreshed.");
    case State::Failed:
        return QObject::tr(
            "Failed: select the row to read the service's error and the likely fix.");
    case State::Cancelled:
        return QObject::tr("Cancelled before it completed.");
    case State::Disabled:
        return QObject::tr("Disabled by selective refresh: nothing was refreshed.");
    case State::Unknown:
        break;
    }
    return QObject::tr(
        "The service reports \"Unknown\" although the refresh has an end time; its outcome "
        "is not known.");
}

} // namespace pbi::ui
