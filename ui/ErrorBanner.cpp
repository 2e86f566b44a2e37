#include "ErrorBanner.h"

#include "http/Error.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace pbi::ui {

ErrorBanner::ErrorBanner(QWidget* parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_details(new QLabel(this))
    , m_retry(new QPushButton(tr("&Retry"), this))
    , m_copy(new QPushButton(tr("Copy details"), this))
{
    setObjectName(QStringLiteral("errorBanner"));
    setFrameShape(QFrame::StyledPanel);
    // Fixed colours so the banner reads the same in light and dark palettes.
    setStyleSheet(QStringLiteral(
        "#errorBanner { background: #fdecea; border: 1px solid #e0a3a0; border-radius: 4px; }"
        "#errorBanner QLabel { color: #5f2120; background: transparent; }"));
    m_title->setObjectName(QStringLiteral("errorTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true);
    m_details->setObjectName(QStringLiteral("errorDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(32, 32));
    icon->setAlignment(Qt::AlignTop);

    auto* text = new QVBoxLayout;
    text->addWidget(m_title);
    text->addWidget(m_details);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_copy);
    buttons->addStretch();
    auto* row = new QHBoxLayout(this);
    row->addWidget(icon);
    row->addLayout(text, 1);
    row->addLayout(buttons);

    connect(m_retry, &QPushButton::clicked, this, &ErrorBanner::retryRequested);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_plain); });
    hide();
}

void ErrorBanner::showError(const QString& context, const pbi::Error& error)
{
    m_title->setText(context);
    m_details->setText(error.details());
    m_plain = context + QLatin1Char('\n') + error.details();
    show();
}

void ErrorBanner::clear()
{
    m_plain.clear();
    hide();
}

QString ErrorBanner::text() const
{
    return m_plain;
}

} // namespace pbi::ui
