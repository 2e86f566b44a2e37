#pragma once

#include "auth/JwtInspector.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace pbi {
class Clock;
class TokenProvider;
} // namespace pbi

namespace pbi::ui {

/// The token inspector dock: the current connection's token, or any pasted one, decoded claim
/// by claim with what each means, and a live expiry countdown. Nothing here is verified.
class TokenInspector : public QWidget {
    Q_OBJECT
public:
    explicit TokenInspector(const pbi::Clock* clock, QWidget* parent = nullptr);

    /// The connection whose token "Inspect current token" shows; null for none.
    void setTokenProvider(pbi::TokenProvider* provider);
    /// Decodes the current connection's token (signing in if needed).
    void inspectCurrent();
    /// Decodes a token given as text (the paste box calls this).
    void inspectText(const QString& token);

    QString expiryText() const;
    QList<QPair<QString, QString>> claims() const;

private:
    void show(const pbi::DecodedJwt& jwt, const QString& source);
    void showError(const QString& text);
    void tick();

    const pbi::Clock* m_clock;
    QPointer<pbi::TokenProvider> m_provider;
    std::optional<pbi::DecodedJwt> m_jwt;
    QLabel* m_source;
    QLabel* m_expiry;
    QTreeWidget* m_claims;
    QPlainTextEdit* m_paste;
    QPushButton* m_current;
    QTimer* m_timer;
};

} // namespace pbi::ui
