#include "DataflowRefreshDialog.h"

#include "DialogSeam.h"
#include "ErrorBanner.h"

#include "api/PowerBiClient.h"
#include "refresh/DataflowRefresh.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace pbi::ui {

DataflowRefreshDialog::DataflowRefreshDialog(Context context, QWidget* parent)
    : QDialog(parent)
    , m_context(std::move(context))
    , m_notify(new QComboBox(this))
    , m_processType(new QComboBox(this))
    , m_problemLabel(new QLabel(this))
    , m_error(new ErrorBanner(this))
{
    setObjectName(QStringLiteral("dataflowRefreshDialog"));
    setWindowTitle(tr("Refresh dataflow “%1”").arg(m_context.dataflowName));
    setMinimumWidth(480);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QString warn = dark ? QStringLiteral("#ff8a80") : QStringLiteral("#b3261e");

    auto* heading = new QLabel(
        tr("<b>%1</b> (dataflow) in workspace <b>%2</b><br>%3")
            .arg(m_context.dataflowName.toHtmlEscaped(), m_context.workspaceName.toHtmlEscaped(),
                 m_context.connection.isProduction
                     ? tr("<span style=\"color:%1\"><b>Production</b> (%2): you will be asked to "
                          "confirm.</span>")
                           .arg(warn, m_context.connection.title.toHtmlEscaped())
                     : m_context.connection.title.toHtmlEscaped()),
        this);
    heading->setObjectName(QStringLiteral("dataflowRefreshHeading"));
    heading->setWordWrap(true);

    m_notify->setObjectName(QStringLiteral("dataflowNotifyCombo"));
    m_notify->addItem(tr("Mail on failure"), QStringLiteral("MailOnFailure"));
    m_notify->addItem(tr("No notification"), QStringLiteral("NoNotification"));
    m_notify->setToolTip(tr("Dataflow refreshes can mail the owner when they fail; mail on "
                            "completion exists for semantic models only."));
    m_processType->setObjectName(QStringLiteral("processTypeCombo"));
    m_processType->addItem(tr("Default"), QString());
    m_processType->addItem(tr("Full — reprocess everything (incremental refresh too)"),
                           QStringLiteral("processFull"));
    m_problemLabel->setObjectName(QStringLiteral("dataflowRefreshProblems"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setStyleSheet(QStringLiteral("color:%1").arg(warn));

    auto* note = new QLabel(tr("A dataflow refreshes as a whole: tables, partitions, commit mode "
                               "and the other enhanced-refresh options are for semantic models. "
                               "Its progress is followed in the history; it can be cancelled."),
                            this);
    note->setObjectName(QStringLiteral("dataflowRefreshNote"));
    note->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("&Notify:"), m_notify);
    form->addRow(tr("&Process:"), m_processType);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_send = buttons->addButton(tr("&Send refresh"), QDialogButtonBox::AcceptRole);
    m_send->setObjectName(QStringLiteral("sendDataflowRefreshButton"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Send does not close the dialog by itself: it closes once the service accepted.
    connect(buttons, &QDialogButtonBox::accepted, this, &DataflowRefreshDialog::send);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_problemLabel);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(m_notify, &QComboBox::currentIndexChanged, this, &DataflowRefreshDialog::revalidate);
    connect(m_processType, &QComboBox::currentIndexChanged, this,
            &DataflowRefreshDialog::revalidate);
    revalidate();
}

pbi::DataflowRefreshRequest DataflowRefreshDialog::request() const
{
    pbi::DataflowRefreshRequest r;
    r.notifyOption = m_notify->currentData().toString();
    const QString process = m_processType->currentData().toString();
    if (!process.isEmpty())
        r.processType = process;
    return r;
}

QString DataflowRefreshDialog::problemText() const
{
    return m_problemLabel->isHidden() ? QString() : m_problemLabel->text();
}

void DataflowRefreshDialog::revalidate()
{
    m_problems = pbi::refresh::validate(request(), m_context.target);
    QStringList lines;
    for (const auto& p : m_problems)
        lines << p.message;
    if (m_context.target.servicePrincipal && m_context.connection.isSandbox)
        lines << tr("In the sandbox, sign in as a demo user (e.g. "
                    "megan@contoso-sandbox.onmicrosoft.com, password Sandbox!1; "
                    "docs/sandbox-identities.md).");
    m_problemLabel->setText(lines.join(QLatin1Char('\n')));
    m_problemLabel->setVisible(!lines.isEmpty());
    m_notify->setEnabled(!m_sending);
    m_processType->setEnabled(!m_sending);
    m_send->setEnabled(m_problems.empty() && !m_sending && m_context.client);
    m_send->setText(m_sending ? tr("Sending…") : tr("&Send refresh"));
}

void DataflowRefreshDialog::send()
{
    revalidate();
    if (!m_problems.empty() || m_sending || !m_context.client)
        return;
    if (m_context.connection.isProduction) {
        WidgetDialogs fallback;
        DialogSeam* dialogs = m_context.dialogs ? m_context.dialogs : &fallback;
        const bool go = dialogs->confirm(
            this, tr("Refresh a production dataflow?"),
            tr("Refresh the dataflow “%1” in workspace “%2” on %3 (%4)?\n\nThis starts a refresh "
               "on the production service; the semantic models that read the dataflow see the new "
               "data once they refresh too.")
                .arg(m_context.dataflowName, m_context.workspaceName, m_context.connection.title,
                     m_context.connection.environmentName),
            tr("Refresh %1").arg(m_context.dataflowName));
        if (!go)
            return;
    }
    m_sending = true;
    m_error->clear();
    revalidate();
    pbi::refresh::triggerDataflowRefresh(
        m_context.client, m_context.groupId, m_context.dataflowId, request(), this,
        [this](pbi::Result<pbi::TriggeredDataflowRefresh> r) {
            m_sending = false;
            if (!r) {
                m_error->showError(tr("The service did not start the dataflow refresh."), r.error());
                revalidate();
                return;
            }
            Q_EMIT triggered(r.value());
            accept();
        });
}

} // namespace pbi::ui
