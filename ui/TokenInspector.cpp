#include "TokenInspector.h"

#include "auth/TokenProvider.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pbi::ui {

TokenInspector::TokenInspector(const pbi::Clock* clock, QWidget* parent)
    : QWidget(parent)
    , m_clock(clock)
    , m_source(new QLabel(this))
    , m_expiry(new QLabel(this))
    , m_claims(new QTreeWidget(this))
    , m_paste(new QPlainTextEdit(this))
    , m_current(new QPushButton(tr("Inspect the connection's token"), this))
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("tokenInspector"));
    m_source->setObjectName(QStringLiteral("tokenSource"));
    m_source->setWordWrap(true);
    m_expiry->setObjectName(QStringLiteral("tokenExpiry"));
    m_expiry->setWordWrap(true);
    QFont bold = m_expiry->font();
    bold.setBold(true);
    m_expiry->setFont(bold);
    m_claims->setObjectName(QStringLiteral("tokenClaims"));
    m_claims->setColumnCount(3);
    m_claims->setHeaderLabels({tr("Claim"), tr("Value"), tr("Meaning")});
    m_claims->setRootIsDecorated(false);
    m_claims->setAlternatingRowColors(true);
    m_claims->setWordWrap(true);
    m_claims->setUniformRowHeights(false);
    m_claims->header()->resizeSection(0, 80);
    m_claims->header()->resizeSection(1, 260);
    m_paste->setObjectName(QStringLiteral("tokenPaste"));
    m_paste->setPlaceholderText(tr("…or paste any token here (an Entra access token, \"Bearer …\", an embed token) to decode it."));
    m_paste->setMaximumHeight(70);
    m_current->setObjectName(QStringLiteral("inspectCurrentButton"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_current);
    layout->addWidget(m_paste);
    layout->addWidget(m_source);
    layout->addWidget(m_expiry);
    layout->addWidget(m_claims, 1);

    connect(m_current, &QPushButton::clicked, this, &TokenInspector::inspectCurrent);
    connect(m_paste, &QPlainTextEdit::textChanged, this, [this] {
        const QString text = m_paste->toPlainText().trimmed();
        if (!text.isEmpty())
            inspectText(text);
    });
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &TokenInspector::tick);
    setTokenProvider(nullptr);
}

void TokenInspector::setTokenProvider(pbi::TokenProvider* provider)
{
    m_provider = provider;
    m_current->setEnabled(provider != nullptr);
    if (!provider && !m_jwt)
        m_source->setText(tr("No token yet: connect, or paste a token."));
}

void TokenInspector::inspectCurrent()
{
    if (!m_provider)
        return;
    m_source->setText(tr("Getting the connection's token…"));
    m_provider->requestToken(this, [this](pbi::Result<pbi::AccessToken> token) {
        if (!token)
            return showError(token.error().details());
        auto decoded = pbi::JwtInspector::decode(token.value().value);
        if (!decoded)
            return showError(decoded.error().details());
        show(decoded.value(), tr("The connection's token (%1).").arg(m_provider ? m_provider->identityLabel() : QString()));
    });
}

void TokenInspector::inspectText(const QString& token)
{
    auto decoded = pbi::JwtInspector::decode(token);
    if (!decoded)
        return showError(decoded.error().details());
    show(decoded.value(), tr("The pasted token."));
}

void TokenInspector::show(const pbi::DecodedJwt& jwt, const QString& source)
{
    m_jwt = jwt;
    m_claims->clear();
    const QString kind = jwt.identityKind();
    m_source->setText(kind.isEmpty() ? source : source + QLatin1Char(' ') + tr("Identity: %1.").arg(kind) +
                                                    tr(" Decoded, not verified."));
    m_source->setStyleSheet(QString());
    for (const auto& c : jwt.claims) {
        auto* item = new QTreeWidgetItem(m_claims, {c.name, c.display, c.explanation});
        item->setToolTip(1, c.raw);
        item->setToolTip(2, c.explanation);
    }
    tick();
    m_timer->start();
}

void TokenInspector::showError(const QString& text)
{
    m_jwt.reset();
    m_timer->stop();
    m_claims->clear();
    m_expiry->clear();
    m_source->setText(text);
    m_source->setStyleSheet(QStringLiteral("color: #c62828;"));
}

void TokenInspector::tick()
{
    if (!m_jwt)
        return;
    m_expiry->setText(m_jwt->expirySentence(*m_clock));
    const bool expired = m_jwt->expiry(*m_clock) == pbi::TokenExpiry::Expired;
    m_expiry->setStyleSheet(expired ? QStringLiteral("color: #c62828;") : QString());
}

QString TokenInspector::expiryText() const
{
    return m_expiry->text();
}

QList<QPair<QString, QString>> TokenInspector::claims() const
{
    QList<QPair<QString, QString>> out;
    for (int i = 0; i < m_claims->topLevelItemCount(); ++i)
        out.append({m_claims->topLevelItem(i)->text(0), m_claims->topLevelItem(i)->text(1)});
    return out;
}

} // namespace pbi::ui
