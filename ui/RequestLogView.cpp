#include "RequestLogView.h"

#include "RequestLogModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace pbi::ui {

namespace {
QString headerText(const pbi::HeaderList& headers)
{
    QString out;
    for (const auto& [name, value] : headers)
        out += QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromUtf8(value) + QLatin1Char('\n');
    return out;
}
} // namespace

RequestLogView::RequestLogView(QWidget* parent)
    : QWidget(parent)
    , m_model(new RequestLogModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_copyCurl(new QPushButton(tr("Copy as cURL"), this))
    , m_withSecrets(new QCheckBox(tr("with secrets"), this))
{
    setObjectName(QStringLiteral("requestLogView"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setObjectName(QStringLiteral("requestLogFilter"));
    m_filter->setPlaceholderText(tr("Filter calls: path, status, request id…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_table->setObjectName(QStringLiteral("requestLogTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(20);
    m_table->horizontalHeader()->setSectionResizeMode(RequestLogModel::PathColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(RequestLogModel::TimeColumn, 95);
    m_table->setColumnWidth(RequestLogModel::MethodColumn, 60);
    m_table->setColumnWidth(RequestLogModel::StatusColumn, 140);
    m_table->setColumnWidth(RequestLogModel::DurationColumn, 70);
    m_table->setColumnWidth(RequestLogModel::RetriesColumn, 45);
    m_table->setColumnWidth(RequestLogModel::RequestIdColumn, 270);
    m_table->setWordWrap(false);

    m_details->setObjectName(QStringLiteral("requestLogDetails"));
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_details->setFont(mono);

    m_withSecrets->setToolTip(tr("Put the real token and secrets into the copied command. Only the newest calls keep them, never on disk."));
    m_copyCurl->setObjectName(QStringLiteral("copyCurlButton"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_filter, 1);
    buttons->addWidget(m_copyCurl);
    buttons->addWidget(m_withSecrets);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RequestLogView::showSelected);
    connect(m_copyCurl, &QPushButton::clicked, this, [this] {
        const QString curl = selectedCurl();
        if (!curl.isEmpty())
            QApplication::clipboard()->setText(curl);
    });
    // Keep the newest call in view as calls arrive, unless the user scrolled away.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_table->currentIndex().isValid())
            m_table->scrollToBottom();
    });
    showSelected();
}

void RequestLogView::setLog(pbi::RequestLog* log)
{
    m_model->setLog(log);
}

QString RequestLogView::selectedCurl() const
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const pbi::RequestLogEntry* e = m_model->entryAt(current.row());
    if (!e)
        return {};
    return e->toCurl(m_withSecrets->isChecked() ? pbi::RequestLogEntry::Secrets::Show
                                                : pbi::RequestLogEntry::Secrets::Redacted);
}

void RequestLogView::showSelected()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const pbi::RequestLogEntry* e = m_model->entryAt(current.row());
    m_copyCurl->setEnabled(e != nullptr);
    m_withSecrets->setEnabled(e && e->unredacted);
    if (!e) {
        m_details->setPlainText(tr("Select a call to see its headers and bodies (secrets redacted)."));
        return;
    }
    QString text = QString::fromLatin1(e->method) + QLatin1Char(' ') + e->url.toString() + QLatin1Char('\n');
    text += headerText(e->requestHeaders);
    if (!e->requestBody.isEmpty())
        text += QLatin1Char('\n') + QString::fromUtf8(e->requestBody) + QLatin1Char('\n');
    text += QStringLiteral("\n── answer ──\n");
    if (e->status == 0) {
        text += tr("No answer: %1\n").arg(e->error);
    } else {
        text += QStringLiteral("HTTP %1 · %2 ms · %3 bytes\n").arg(e->status).arg(e->durationMs).arg(e->responseBytes);
        text += headerText(e->responseHeaders);
        if (!e->responseBody.isEmpty())
            text += QLatin1Char('\n') + QString::fromUtf8(e->responseBody) + QLatin1Char('\n');
    }
    if (!e->note.isEmpty())
        text += QLatin1Char('\n') + e->note + QLatin1Char('\n');
    m_details->setPlainText(text);
}

} // namespace pbi::ui
