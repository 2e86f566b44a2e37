#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace pbi {
struct Error;
}

namespace pbi::ui {

/// An inline, non-modal error: the service's sentence, its codes, request id and likely fix.
class ErrorBanner : public QFrame {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget* parent = nullptr);

    void showError(const QString& context, const pbi::Error& error);
    void clear();
    QString text() const;

Q_SIGNALS:
    void retryRequested();

private:
    QLabel* m_title;
    QLabel* m_details;
    QPushButton* m_retry;
    QPushButton* m_copy;
    QString m_plain;
};

} // namespace pbi::ui
