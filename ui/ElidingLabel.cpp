#include "ElidingLabel.h"

#include <QFontMetrics>
#include <QResizeEvent>

namespace pbi::ui {

ElidingLabel::ElidingLabel(QWidget* parent)
    : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
}

void ElidingLabel::setFullText(const QString& text)
{
    m_full = text;
    elide();
    updateGeometry();
}

void ElidingLabel::setElideMode(Qt::TextElideMode mode)
{
    m_mode = mode;
    elide();
}

void ElidingLabel::setMinimumChars(int chars)
{
    m_minChars = std::max(1, chars);
    updateGeometry();
}

QSize ElidingLabel::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    const int m = contentsMargins().left() + contentsMargins().right() + 2 * margin();
    return {std::min(fm.horizontalAdvance(m_full), fm.averageCharWidth() * m_minChars) + m,
            QLabel::minimumSizeHint().height()};
}

QSize ElidingLabel::sizeHint() const
{
    const QFontMetrics fm(font());
    const int m = contentsMargins().left() + contentsMargins().right() + 2 * margin();
    return {fm.horizontalAdvance(m_full) + m, QLabel::sizeHint().height()};
}

void ElidingLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidingLabel::elide()
{
    const QFontMetrics fm(font());
    const int room = contentsRect().width() - 2 * margin();
    const QString shown = fm.horizontalAdvance(m_full) <= room ? m_full : fm.elidedText(m_full, m_mode, room);
    QLabel::setText(shown);
    setToolTip(shown == m_full ? QString() : m_full);
}

} // namespace pbi::ui
