#pragma once

#include <QLabel>

namespace pbi::ui {

/// A one-line label that gives way: when there is less room than its text needs, it shows the
/// text elided (in the middle by default) and the whole text as its tooltip. For status-bar
/// entries that must not push their neighbours out of the window.
class ElidingLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidingLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    QString fullText() const { return m_full; }
    void setElideMode(Qt::TextElideMode mode);
    /// The narrowest it becomes (in characters' average width); default 8.
    void setMinimumChars(int chars);

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();

    QString m_full;
    Qt::TextElideMode m_mode = Qt::ElideMiddle;
    int m_minChars = 8;
};

} // namespace pbi::ui
