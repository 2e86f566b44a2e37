#include "EmbedTokenView.h"

#include "EmbedIdentityModel.h"
#include "ErrorBanner.h"

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/TokenProvider.h"
#include "http/Transport.h"

#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableView>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace pbi::ui {

namespace {

constexpr int kIdRole = Qt::UserRole;
constexpr int kKindRole = Qt::UserRole + 1;

QLabel* findingsLabel(QWidget* parent, const char* name)
{
    auto* l = new QLabel(parent);
    l->setObjectName(QLatin1String(name));
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    l->hide();
    return l;
}

QString severityColor(pbi::embed::Severity s)
{
    switch (s) {
    case pbi::embed::Severity::Error: return QStringLiteral("#c62828");
    case pbi::embed::Severity::Warning: return QStringLiteral("#8a5300");
    case pbi::embed::Severity::Note: break;
    }
    return QStringLiteral("#37474f");
}

/// "1 h 02 min 05 s", "4 min 10 s", "12 s".
QString span(qint64 secs)
{
    const qint64 h = secs / 3600;
    const qint64 m = (secs % 3600) / 60;
    const qint64 s = secs % 60;
    if (h > 0)
        return QStringLiteral("%1 h %2 min %3 s").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    if (m > 0)
        return QStringLiteral("%1 min %2 s").arg(m).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 s").arg(s);
}

/// Which part of the form a finding belongs beside.
QString areaOf(const pbi::embed::Finding& f)
{
    const QString& field = f.field;
    if (field == QLatin1String("capacity"))
        return QStringLiteral("capacity");
    if (field == QLatin1String("accessLevel") || field == QLatin1String("datasetId"))
        return QStringLiteral("access");
    if (field == QLatin1String("lifetimeInMinutes"))
        return QStringLiteral("lifetime");
    if (field.startsWith(QLatin1String("identities")))
        return QStringLiteral("identities");
    if (field == QLatin1String("datasets") || field == QLatin1String("reports") ||
        field == QLatin1String("targetWorkspaces"))
        return QStringLiteral("items");
    return QStringLiteral("request");
}

} // namespace

EmbedTokenView::EmbedTokenView(const pbi::Clock* clock, QWidget* parent)
    : QWidget(parent)
    , m_clock(clock)
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
    , m_state(new QLabel(this))
    , m_requestFindings(findingsLabel(this, "requestFindings"))
    , m_single(new QRadioButton(this))
    , m_multi(new QRadioButton(tr("Several items of the workspace at once (V2: POST /GenerateToken)"), this))
    , m_modeGroup(new QButtonGroup(this))
    , m_itemsBox(new QWidget(this))
    , m_items(new QListWidget(this))
    , m_itemsFindings(findingsLabel(this, "itemsFindings"))
    , m_access(new QComboBox(this))
    , m_createModelLabel(new QLabel(tr("New report's model:"), this))
    , m_createModel(new QComboBox(this))
    , m_accessFindings(findingsLabel(this, "accessFindings"))
    , m_allowSaveAs(new QCheckBox(tr("Allow “Save as” (a copy of the report in this workspace)"), this))
    , m_lifetime(new QSpinBox(this))
    , m_lifetimeFindings(findingsLabel(this, "lifetimeFindings"))
    , m_identities(new EmbedIdentityModel(this))
    , m_identityTable(new QTableView(this))
    , m_addIdentity(new QPushButton(tr("&Add identity"), this))
    , m_removeIdentity(new QPushButton(tr("Remove"), this))
    , m_identityFindings(findingsLabel(this, "identityFindings"))
    , m_capacityNote(findingsLabel(this, "capacityNote"))
    , m_copyCurl(new QPushButton(tr("Copy as cURL"), this))
    , m_includeToken(new QCheckBox(tr("with access token"), this))
    , m_generate(new QPushButton(tr("&Generate"), this))
    , m_sendAnyway(new QPushButton(tr("Send anyway"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_error(new ErrorBanner(this))
    , m_result(new QGroupBox(tr("Embed token"), this))
    , m_tokenId(new QLineEdit(this))
    , m_expiry(new QLabel(this))
    , m_countdown(new QLabel(this))
    , m_tokenText(new QLineEdit(this))
    , m_reveal(new QPushButton(tr("Show"), this))
    , m_copyToken(new QPushButton(tr("Copy token"), this))
    , m_opaqueNote(new QLabel(this))
    , m_calledAs(new QLabel(this))
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("embedTokenView"));
    m_title->setObjectName(QStringLiteral("embedTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true);
    m_subtitle->setObjectName(QStringLiteral("embedSubtitle"));
    m_subtitle->setWordWrap(true);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle->setStyleSheet(QStringLiteral("color: #546e7a;"));
    m_state->setObjectName(QStringLiteral("embedState"));
    m_state->setWordWrap(true);

    // What the token is for.
    m_single->setObjectName(QStringLiteral("singleMode"));
    m_multi->setObjectName(QStringLiteral("multiMode"));
    m_single->setChecked(true);
    m_modeGroup->addButton(m_single);
    m_modeGroup->addButton(m_multi);
    m_items->setObjectName(QStringLiteral("embedItems"));
    m_items->setMaximumHeight(130);
    m_items->setToolTip(tr("The reports and semantic models one token covers (at most 50 of each)."));
    auto* itemsHint = new QLabel(tr("A report's own model is always included with it. “Create” lets the token save "
                                    "new reports in this workspace (targetWorkspaces)."),
                                 this);
    itemsHint->setWordWrap(true);
    itemsHint->setStyleSheet(QStringLiteral("color: #546e7a;"));
    auto* itemsLayout = new QVBoxLayout(m_itemsBox);
    itemsLayout->setContentsMargins(18, 0, 0, 0);
    itemsLayout->addWidget(m_items);
    itemsLayout->addWidget(itemsHint);
    itemsLayout->addWidget(m_itemsFindings);
    m_itemsBox->hide();

    // The request.
    m_access->setObjectName(QStringLiteral("accessLevel"));
    m_createModel->setObjectName(QStringLiteral("createModel"));
    m_allowSaveAs->setObjectName(QStringLiteral("allowSaveAs"));
    m_lifetime->setObjectName(QStringLiteral("lifetime"));
    m_lifetime->setRange(0, 24 * 60);
    m_lifetime->setSuffix(tr(" min"));
    m_lifetime->setSpecialValueText(tr("Default (as long as the access token)"));
    m_lifetime->setToolTip(tr("lifetimeInMinutes: can only shorten the token; it never outlives the access token "
                              "that asks for it."));
    auto* accessRow = new QHBoxLayout;
    accessRow->addWidget(m_access);
    accessRow->addSpacing(12);
    accessRow->addWidget(m_createModelLabel);
    accessRow->addWidget(m_createModel, 1);
    accessRow->addStretch();
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Access level:"), accessRow);
    form->addRow(QString(), m_accessFindings);
    form->addRow(QString(), m_allowSaveAs);
    form->addRow(tr("Lifetime:"), m_lifetime);
    form->addRow(QString(), m_lifetimeFindings);

    // Row-level security.
    m_identityTable->setObjectName(QStringLiteral("identityTable"));
    m_identityTable->setModel(m_identities);
    m_identityTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_identityTable->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_identityTable->horizontalHeader()->setStretchLastSection(true);
    m_identityTable->horizontalHeader()->resizeSection(EmbedIdentityModel::UsernameColumn, 290);
    m_identityTable->horizontalHeader()->resizeSection(EmbedIdentityModel::RolesColumn, 150);
    m_identityTable->horizontalHeader()->resizeSection(EmbedIdentityModel::DatasetsColumn, 190);
    m_identityTable->verticalHeader()->setDefaultSectionSize(m_identityTable->fontMetrics().height() + 10);
    m_identityTable->setMinimumHeight(90);
    m_identityTable->setMaximumHeight(150);
    m_addIdentity->setObjectName(QStringLiteral("addIdentity"));
    m_removeIdentity->setObjectName(QStringLiteral("removeIdentity"));
    auto* identityButtons = new QHBoxLayout;
    identityButtons->addWidget(m_addIdentity);
    identityButtons->addWidget(m_removeIdentity);
    identityButtons->addStretch();
    auto* rls = new QGroupBox(tr("Row-level security identities"), this);
    rls->setObjectName(QStringLiteral("identitiesBox"));
    auto* rlsLayout = new QVBoxLayout(rls);
    rlsLayout->addWidget(m_identityTable);
    rlsLayout->addLayout(identityButtons);
    rlsLayout->addWidget(m_identityFindings);

    // Sending.
    m_copyCurl->setObjectName(QStringLiteral("copyCurl"));
    m_copyCurl->setToolTip(tr("The GenerateToken call as a cURL command line, before anything is sent. The access "
                              "token is redacted unless “with access token” is ticked."));
    m_includeToken->setObjectName(QStringLiteral("includeToken"));
    m_includeToken->setToolTip(tr("Put the connection's real access token into the copied command (it is a "
                                  "secret: whoever has it acts as this identity until it expires)."));
    m_generate->setObjectName(QStringLiteral("generate"));
    m_generate->setDefault(true);
    m_sendAnyway->setObjectName(QStringLiteral("sendAnyway"));
    m_sendAnyway->setToolTip(tr("The pre-flight says the service will refuse this request; send it anyway to see "
                                "the service's own answer (the pre-flight may not know everything about a tenant)."));
    m_cancel->setObjectName(QStringLiteral("cancelGenerate"));
    m_capacityNote->setStyleSheet(QStringLiteral(
        "#capacityNote { background: #fff4e5; border: 1px solid #f0c36d; border-radius: 4px; padding: 6px; }"));
    auto* send = new QHBoxLayout;
    send->addWidget(m_copyCurl);
    send->addWidget(m_includeToken);
    send->addStretch();
    send->addWidget(m_cancel);
    send->addWidget(m_sendAnyway);
    send->addWidget(m_generate);

    // The answer.
    m_tokenId->setObjectName(QStringLiteral("tokenId"));
    m_tokenId->setReadOnly(true);
    m_expiry->setObjectName(QStringLiteral("tokenExpiry"));
    m_expiry->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countdown->setObjectName(QStringLiteral("tokenCountdown"));
    m_countdown->setFont(bold);
    m_tokenText->setObjectName(QStringLiteral("tokenText"));
    m_tokenText->setReadOnly(true);
    m_tokenText->setEchoMode(QLineEdit::Password);
    m_reveal->setObjectName(QStringLiteral("revealToken"));
    m_copyToken->setObjectName(QStringLiteral("copyToken"));
    m_opaqueNote->setWordWrap(true);
    m_opaqueNote->setStyleSheet(QStringLiteral("color: #546e7a;"));
    m_opaqueNote->setText(tr("An embed token is opaque, not a JWT: nothing in it is meant to be decoded. The service "
                             "identifies it by its token id and expiry. (The Entra access token that asked for it "
                             "is a JWT: see the token inspector.)"));
    m_calledAs->setObjectName(QStringLiteral("calledAs"));
    m_calledAs->setWordWrap(true);
    auto* tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_tokenText, 1);
    tokenRow->addWidget(m_reveal);
    tokenRow->addWidget(m_copyToken);
    auto* resultForm = new QFormLayout;
    resultForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    resultForm->addRow(tr("Token id:"), m_tokenId);
    resultForm->addRow(tr("Expires:"), m_expiry);
    resultForm->addRow(QString(), m_countdown);
    resultForm->addRow(tr("Token:"), tokenRow);
    auto* resultLayout = new QVBoxLayout(m_result);
    resultLayout->addLayout(resultForm);
    resultLayout->addWidget(m_opaqueNote);
    resultLayout->addWidget(m_calledAs);
    m_result->setObjectName(QStringLiteral("embedResult"));
    m_result->hide();

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_state);
    layout->addWidget(m_requestFindings);
    layout->addWidget(m_single);
    layout->addWidget(m_multi);
    layout->addWidget(m_itemsBox);
    layout->addLayout(form);
    layout->addWidget(rls);
    layout->addWidget(m_capacityNote);
    layout->addLayout(send);
    layout->addWidget(m_error);
    layout->addWidget(m_result);
    layout->addStretch(1); // spare height goes below the form, not into its labels
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    // Everything typed is checked again at once.
    const auto revalidate = [this] { validate(); };
    connect(m_modeGroup, &QButtonGroup::buttonToggled, this, [this](QAbstractButton*, bool on) {
        if (!on)
            return;
        m_itemsBox->setVisible(m_multi->isChecked());
        fillAccessLevels();
        validate();
    });
    connect(m_access, &QComboBox::currentIndexChanged, this, revalidate);
    connect(m_createModel, &QComboBox::currentIndexChanged, this, revalidate);
    connect(m_allowSaveAs, &QCheckBox::toggled, this, revalidate);
    connect(m_lifetime, &QSpinBox::valueChanged, this, revalidate);
    connect(m_items, &QListWidget::itemChanged, this, revalidate);
    connect(m_identities, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex&, const QModelIndex&, const QList<int>& roles) {
                if (roles.isEmpty() || roles.contains(Qt::EditRole))
                    validate();
            });
    connect(m_identities, &QAbstractItemModel::rowsInserted, this, revalidate);
    connect(m_identities, &QAbstractItemModel::rowsRemoved, this, revalidate);
    connect(m_identityTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { updateActions(); });
    connect(m_addIdentity, &QPushButton::clicked, this, [this] {
        const int row = m_identities->addIdentity();
        // Making it current opens its editor (the table edits on any trigger).
        m_identityTable->setCurrentIndex(m_identities->index(row, EmbedIdentityModel::UsernameColumn));
    });
    connect(m_removeIdentity, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_identityTable->selectionModel()->selectedRows();
        QList<int> numbers;
        for (const QModelIndex& i : rows)
            numbers << i.row();
        if (numbers.isEmpty() && m_identityTable->currentIndex().isValid())
            numbers << m_identityTable->currentIndex().row();
        std::sort(numbers.begin(), numbers.end(), std::greater<int>());
        for (int row : numbers)
            m_identities->removeRows(row, 1);
    });
    connect(m_copyCurl, &QPushButton::clicked, this, &EmbedTokenView::copyCurl);
    connect(m_generate, &QPushButton::clicked, this, &EmbedTokenView::generate);
    connect(m_sendAnyway, &QPushButton::clicked, this, &EmbedTokenView::generate);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (!m_generating)
            return;
        dropPendingSend();
        setState(tr("Cancelled: nothing was issued."));
        updateActions();
    });
    connect(m_error, &ErrorBanner::retryRequested, this, [this] {
        if (m_failed == Failed::Facts)
            reloadFacts();
        else
            generate();
    });
    connect(m_reveal, &QPushButton::clicked, this, [this] {
        const bool hidden = m_tokenText->echoMode() == QLineEdit::Password;
        m_tokenText->setEchoMode(hidden ? QLineEdit::Normal : QLineEdit::Password);
        m_reveal->setText(hidden ? tr("Hide") : tr("Show"));
    });
    connect(m_copyToken, &QPushButton::clicked, this, [this] {
        if (!m_token)
            return;
        QApplication::clipboard()->setText(m_token->token);
        Q_EMIT statusMessage(tr("Embed token %1 copied to the clipboard.").arg(m_token->tokenId));
    });
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &EmbedTokenView::tick);

    showNothing();
}

EmbedTokenView::~EmbedTokenView() = default;

void EmbedTokenView::dropPendingSend()
{
    if (!m_generating)
        return;
    if (m_client)
        m_client->transport()->cancel(m_sendId);
    delete m_sendContext; // its callback goes with it
    m_generating = false;
}

void EmbedTokenView::setConnection(pbi::PowerBiClient* client, const ConnectionDescription& connection)
{
    delete m_factsContext;
    dropPendingSend();
    m_loadingFacts = false;
    m_client = client;
    m_connection = connection;
    showNothing();
}

void EmbedTokenView::showReport(const pbi::Workspace& workspace, const pbi::Report& report)
{
    setTarget(workspace, pbi::embed::ItemKind::Report, report.id, report.name, report.datasetId.value_or(QString()));
}

void EmbedTokenView::showDataset(const pbi::Workspace& workspace, const pbi::Dataset& dataset)
{
    setTarget(workspace, pbi::embed::ItemKind::Dataset, dataset.id, dataset.name, dataset.id);
}

void EmbedTokenView::setTarget(const pbi::Workspace& workspace, pbi::embed::ItemKind kind, const QString& id,
                               const QString& name, const QString& modelId)
{
    // A token asked for the previous target must not show up under this one.
    dropPendingSend();
    const bool sameWorkspace = m_workspace && m_workspace->id == workspace.id && m_facts;
    m_workspace = workspace;
    m_kind = kind;
    m_itemId = id;
    m_itemName = name;
    m_modelId = modelId;
    clearResult();
    m_error->clear();
    m_failed = Failed::Nothing;
    const bool report = kind == pbi::embed::ItemKind::Report;
    m_title->setText(report ? tr("Embed token for report “%1” in %2").arg(name, workspace.name)
                            : tr("Embed token for semantic model “%1” in %2").arg(name, workspace.name));
    m_subtitle->setText(tr("%1 id %2 · workspace id %3 · %4")
                            .arg(report ? tr("Report") : tr("Model"), id, workspace.id,
                                 workspace.isOnDedicatedCapacity ? tr("dedicated capacity") : tr("shared capacity")));
    m_single->setText(report ? tr("This report only (V1: POST …/reports/{id}/GenerateToken)")
                             : tr("This semantic model only (V1: POST …/datasets/{id}/GenerateToken)"));
    if (sameWorkspace) {
        // The workspace's facts are still good: only the target moved.
        m_facts->workspace = workspace;
        factsArrived();
        return;
    }
    m_facts.reset();
    loadFacts();
}

void EmbedTokenView::showNothing(const QString& message)
{
    delete m_factsContext;
    dropPendingSend();
    m_loadingFacts = false;
    m_workspace.reset();
    m_itemId.clear();
    m_itemName.clear();
    m_modelId.clear();
    m_facts.reset();
    m_findings.clear();
    m_dirty = false;
    clearResult();
    m_error->clear();
    m_items->clear();
    m_createModel->clear();
    m_title->setText(tr("Embed token tester"));
    m_subtitle->setText(QString());
    m_single->setText(tr("One item (V1)"));
    setState(!message.isEmpty() ? message
             : m_client        ? tr("Select a report or a semantic model in the explorer to generate an embed token for it.")
                               : tr("Not connected: choose a connection first."));
    fillAccessLevels();
    showFindings();
    updateActions();
}

void EmbedTokenView::reloadFacts()
{
    m_facts.reset();
    loadFacts();
}

void EmbedTokenView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        loadFacts();
}

void EmbedTokenView::loadFacts()
{
    if (!m_client || !m_workspace)
        return;
    // Whatever was on its way belongs to the previous target: drop it, shown or hidden.
    delete m_factsContext;
    m_loadingFacts = false;
    if (!isVisible()) {
        m_dirty = true; // a hidden tester asks the service nothing
        updateActions();
        return;
    }
    m_dirty = false;
    auto* context = new QObject(this);
    m_factsContext = context;
    m_loadingFacts = true;
    m_error->clear();
    m_failed = Failed::Nothing;
    setState(tr("Reading %1: reports, models, members, and the access token…").arg(m_workspace->name));
    showFindings();
    updateActions();
    pbi::embed::gatherWorkspaceFacts(m_client, *m_workspace, context,
                                     [this, context](pbi::Result<pbi::embed::WorkspaceFacts> r) {
        context->deleteLater();
        m_loadingFacts = false;
        if (!r) {
            m_facts.reset(); // nothing of another workspace may stand in for this one
            m_failed = Failed::Facts;
            setState(tr("The workspace could not be read: nothing can be checked or sent."), true);
            m_error->showError(tr("Could not read “%1”").arg(m_workspace ? m_workspace->name : QString()), r.error());
            updateActions();
            Q_EMIT factsLoaded(false);
            return;
        }
        m_facts = std::move(r).value();
        factsArrived();
        Q_EMIT factsLoaded(true);
    });
}

void EmbedTokenView::factsArrived()
{
    setState(QString());
    fillItems();
    // The models a Create token may build a new report on: the workspace's, the target's first.
    const QString keep = m_createModel->currentData().toString();
    const QSignalBlocker block(m_createModel);
    m_createModel->clear();
    for (const pbi::Dataset& d : m_facts->datasets)
        m_createModel->addItem(d.name, d.id);
    int at = m_createModel->findData(keep.isEmpty() ? m_modelId : keep);
    if (at < 0)
        at = m_createModel->findData(m_modelId);
    m_createModel->setCurrentIndex(std::max(0, at));
    fillAccessLevels();
    validate();
}

void EmbedTokenView::fillAccessLevels()
{
    const QString keep = m_access->currentData().toString();
    const QSignalBlocker block(m_access);
    m_access->clear();
    const bool multi = m_multi->isChecked();
    const bool report = m_kind == pbi::embed::ItemKind::Report;
    m_access->addItem(tr("View"), QStringLiteral("View"));
    if (multi || report || m_itemId.isEmpty())
        m_access->addItem(multi ? tr("Edit (allowEdit on the reports)") : tr("Edit"), QStringLiteral("Edit"));
    m_access->addItem(multi ? tr("Create (save new reports in this workspace)")
                      : report ? tr("Create (a new report on a model)")
                               : tr("Create (a new report on this model)"),
                      QStringLiteral("Create"));
    const int at = m_access->findData(keep);
    m_access->setCurrentIndex(std::max(0, at));
}

void EmbedTokenView::fillItems()
{
    QList<QString> checked;
    for (int i = 0; i < m_items->count(); ++i)
        if (m_items->item(i)->checkState() == Qt::Checked)
            checked << m_items->item(i)->data(kIdRole).toString();
    const QSignalBlocker block(m_items);
    m_items->clear();
    if (!m_facts)
        return;
    const auto add = [this, &checked](const QString& id, const QString& text, const QString& kind) {
        auto* item = new QListWidgetItem(text, m_items);
        item->setData(kIdRole, id);
        item->setData(kKindRole, kind);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(id) || id == m_itemId ? Qt::Checked : Qt::Unchecked);
    };
    for (const pbi::Report& r : m_facts->reports)
        add(r.id, tr("Report: %1").arg(r.name), QStringLiteral("report"));
    for (const pbi::Dataset& d : m_facts->datasets)
        add(d.id, tr("Semantic model: %1").arg(d.name), QStringLiteral("dataset"));
}

void EmbedTokenView::setMode(Mode mode)
{
    (mode == Mode::Multi ? m_multi : m_single)->setChecked(true);
}

EmbedTokenView::Mode EmbedTokenView::mode() const
{
    return m_multi->isChecked() ? Mode::Multi : Mode::Single;
}

void EmbedTokenView::setAccessLevel(const QString& level)
{
    const int at = m_access->findData(level);
    if (at >= 0)
        m_access->setCurrentIndex(at);
}

void EmbedTokenView::setItemChecked(const QString& id, bool checked)
{
    for (int i = 0; i < m_items->count(); ++i)
        if (m_items->item(i)->data(kIdRole).toString().compare(id, Qt::CaseInsensitive) == 0)
            m_items->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

QString EmbedTokenView::resolveModel(const QString& nameOrId) const
{
    if (m_facts)
        for (const pbi::Dataset& d : m_facts->datasets)
            if (d.id.compare(nameOrId, Qt::CaseInsensitive) == 0 || d.name.compare(nameOrId, Qt::CaseInsensitive) == 0)
                return d.id;
    return nameOrId; // as typed: the pre-flight says the token does not cover it
}

QString EmbedTokenView::modelName(const QString& id) const
{
    if (m_facts)
        if (const pbi::Dataset* d = m_facts->dataset(id))
            return d->name;
    return id;
}

EmbedTokenView::Built EmbedTokenView::build() const
{
    Built b;
    if (!m_facts || m_itemId.isEmpty())
        return b;
    const QDateTime now = m_clock->now();
    const QString level = m_access->currentData().toString();
    const auto identities =
        m_identities->identities([this](const QString& s) -> QString { return resolveModel(s); });
    const std::optional<int> lifetime =
        m_lifetime->value() > 0 ? std::optional<int>(m_lifetime->value()) : std::nullopt;
    if (m_multi->isChecked()) {
        b.multi = true;
        pbi::GenerateTokenRequestV2 r;
        for (int i = 0; i < m_items->count(); ++i) {
            const QListWidgetItem* item = m_items->item(i);
            if (item->checkState() != Qt::Checked)
                continue;
            const QString id = item->data(kIdRole).toString();
            if (item->data(kKindRole).toString() == QLatin1String("report"))
                r.reports.push_back({id, level == QLatin1String("Edit")});
            else
                r.datasets.push_back({id, {}});
        }
        if (level == QLatin1String("Create"))
            r.targetWorkspaces << m_workspace->id;
        r.identities = identities;
        r.lifetimeInMinutes = lifetime;
        b.v2 = pbi::embed::completed(*m_facts, std::move(r));
        b.input = pbi::embed::preflightInput(*m_facts, b.v2, now);
    } else {
        pbi::GenerateTokenRequest r;
        r.accessLevel = level;
        b.kind = m_kind;
        b.itemId = m_itemId;
        if (level == QLatin1String("Create")) {
            // A token to create a new report is asked of the model it will use.
            b.kind = pbi::embed::ItemKind::Dataset;
            b.itemId = m_createModel->currentData().toString();
        } else if (m_kind == pbi::embed::ItemKind::Report && m_allowSaveAs->isChecked()) {
            r.allowSaveAs = true;
        }
        r.identities = identities;
        r.lifetimeInMinutes = lifetime;
        b.v1 = pbi::embed::completed(*m_facts, b.kind, b.itemId, std::move(r));
        b.input = pbi::embed::preflightInput(*m_facts, b.kind, b.itemId, b.v1, now);
    }
    if (!m_facts->servicePrincipal)
        b.input.servicePrincipal = m_connection.servicePrincipal;
    return b;
}

void EmbedTokenView::validate()
{
    if (m_validating)
        return;
    m_validating = true;
    const bool multi = m_multi->isChecked();
    const bool create = m_access->currentData().toString() == QLatin1String("Create");
    m_createModelLabel->setVisible(!multi && create);
    m_createModel->setVisible(!multi && create);
    m_allowSaveAs->setEnabled(!multi && !create && m_kind == pbi::embed::ItemKind::Report);
    m_findings.clear();
    QHash<int, QStringList> rows;
    if (m_facts && !m_itemId.isEmpty()) {
        const Built b = build();
        m_findings = pbi::embed::preflight(b.input);
        QStringList defaults;
        for (const QString& id : pbi::embed::defaultIdentityDatasets(b.input.models))
            defaults << modelName(id);
        m_identities->setDefaultDatasetsText(defaults.isEmpty() ? QString()
                                                                : tr("%1 (default)").arg(defaults.join(QStringLiteral(", "))));
        static const QRegularExpression rowField(QStringLiteral("^identities\\[(\\d+)\\]"));
        for (const auto& f : m_findings) {
            const auto m = rowField.match(f.field);
            if (m.hasMatch())
                rows[m.captured(1).toInt()] << f.message + QStringLiteral(" ") + f.fix;
        }
    }
    m_identities->setRowFindings(rows);
    showFindings();
    updateActions();
    m_validating = false;
}

void EmbedTokenView::showFindings()
{
    const QList<QPair<QString, QLabel*>> areas = {
        {QStringLiteral("request"), m_requestFindings}, {QStringLiteral("access"), m_accessFindings},
        {QStringLiteral("lifetime"), m_lifetimeFindings}, {QStringLiteral("identities"), m_identityFindings},
        {QStringLiteral("items"), m_itemsFindings},       {QStringLiteral("capacity"), m_capacityNote}};
    for (const auto& [area, label] : areas) {
        QStringList html;
        for (const auto& f : m_findings) {
            if (areaOf(f) != area)
                continue;
            QString line = QStringLiteral("<span style=\"color:%1\"><b>%2:</b></span> %3")
                               .arg(severityColor(f.severity), pbi::embed::severityName(f.severity),
                                    f.message.toHtmlEscaped());
            if (!f.fix.isEmpty())
                line += QStringLiteral("<br/><i>Fix:</i> ") + f.fix.toHtmlEscaped();
            html << line;
        }
        // The role the pre-flight could not check is said, not hidden.
        if (area == QLatin1String("request") && m_facts && !m_itemId.isEmpty() && !m_facts->callerRoleNote.isEmpty())
            html << QStringLiteral("<span style=\"color:#37474f\"><b>%1:</b></span> %2")
                        .arg(tr("Note"), m_facts->callerRoleNote.toHtmlEscaped());
        if (area == QLatin1String("capacity") && !html.isEmpty())
            html.prepend(tr("<b>Shared capacity: the embed-token quota is finite.</b>"));
        label->setText(html.join(QStringLiteral("<br/>")));
        label->setVisible(!html.isEmpty());
    }
}

QString EmbedTokenView::findingsText(const QString& area) const
{
    const QLabel* label = area == QLatin1String("access")       ? m_accessFindings
                          : area == QLatin1String("lifetime")   ? m_lifetimeFindings
                          : area == QLatin1String("identities") ? m_identityFindings
                          : area == QLatin1String("items")      ? m_itemsFindings
                          : area == QLatin1String("capacity")   ? m_capacityNote
                                                                : m_requestFindings;
    QTextDocument doc;
    doc.setHtml(label->text());
    return doc.toPlainText();
}

bool EmbedTokenView::isFindingsShown(const QString& area) const
{
    const QLabel* label = area == QLatin1String("access")       ? m_accessFindings
                          : area == QLatin1String("lifetime")   ? m_lifetimeFindings
                          : area == QLatin1String("identities") ? m_identityFindings
                          : area == QLatin1String("items")      ? m_itemsFindings
                          : area == QLatin1String("capacity")   ? m_capacityNote
                                                                : m_requestFindings;
    return !label->isHidden();
}

void EmbedTokenView::updateActions()
{
    const bool ready = m_client && m_facts && !m_itemId.isEmpty() && !m_loadingFacts;
    const bool refused = pbi::embed::hasErrors(m_findings);
    m_generate->setEnabled(ready && !m_generating && !refused);
    m_sendAnyway->setVisible(ready && refused);
    m_sendAnyway->setEnabled(ready && refused && !m_generating);
    m_cancel->setVisible(m_generating);
    m_copyCurl->setEnabled(ready);
    m_includeToken->setEnabled(ready);
    const bool formOn = !m_itemId.isEmpty();
    m_single->setEnabled(formOn);
    m_multi->setEnabled(formOn);
    m_access->setEnabled(formOn);
    m_lifetime->setEnabled(formOn);
    m_removeIdentity->setEnabled(m_identityTable->selectionModel()->hasSelection() ||
                                 m_identityTable->currentIndex().isValid());
    if (refused)
        m_generate->setToolTip(tr("The pre-flight found what the service would refuse (see beside the fields); "
                                  "fix it, or use “Send anyway”."));
    else
        m_generate->setToolTip(tr("Ask the service for an embed token (GenerateToken). It changes nothing in the "
                                  "tenant."));
}

void EmbedTokenView::setState(const QString& text, bool error)
{
    m_state->setText(text);
    m_state->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_state->setVisible(!text.isEmpty());
}

QString EmbedTokenView::titleText() const
{
    return m_title->text();
}

QString EmbedTokenView::stateText() const
{
    return m_state->text();
}

QString EmbedTokenView::curl() const
{
    if (!m_client || !m_facts || m_itemId.isEmpty())
        return {};
    const Built b = build();
    const pbi::HttpRequest request = b.multi ? pbi::embed::tokenRequest(*m_client, b.v2)
                                             : pbi::embed::tokenRequest(*m_client, m_workspace->id, b.kind,
                                                                        b.itemId, b.v1);
    return pbi::embed::toCurl(request);
}

void EmbedTokenView::copyCurl()
{
    if (!m_client || !m_facts || m_itemId.isEmpty())
        return;
    const Built b = build();
    const pbi::HttpRequest request = b.multi ? pbi::embed::tokenRequest(*m_client, b.v2)
                                             : pbi::embed::tokenRequest(*m_client, m_workspace->id, b.kind,
                                                                        b.itemId, b.v1);
    if (!m_includeToken->isChecked()) {
        m_lastCurl = pbi::embed::toCurl(request);
        QApplication::clipboard()->setText(m_lastCurl);
        Q_EMIT statusMessage(tr("GenerateToken copied as cURL (access token redacted)."));
        return;
    }
    m_client->tokenProvider()->requestToken(this, [this, request](pbi::Result<pbi::AccessToken> token) {
        if (!token) {
            m_error->showError(tr("Could not get the access token for the cURL command"), token.error());
            return;
        }
        m_lastCurl = pbi::embed::toCurl(request, token.value().value);
        QApplication::clipboard()->setText(m_lastCurl);
        Q_EMIT statusMessage(tr("GenerateToken copied as cURL, with the real access token: treat it as a secret."));
    });
}

void EmbedTokenView::generate()
{
    if (!m_client || !m_facts || m_itemId.isEmpty() || m_generating || m_loadingFacts)
        return;
    const Built b = build();
    clearResult();
    m_error->clear();
    m_failed = Failed::Nothing;
    delete m_sendContext;
    auto* context = new QObject(this);
    m_sendContext = context;
    m_generating = true;
    setState(tr("Asking the service for an embed token…"));
    updateActions();
    auto done = [this, context](pbi::Result<pbi::EmbedToken> r) {
        context->deleteLater();
        m_generating = false;
        if (r) {
            setState(QString());
            showToken(r.value());
            updateActions();
            Q_EMIT tokenGenerated(r.value().tokenId);
            Q_EMIT statusMessage(tr("Embed token %1 issued.").arg(r.value().tokenId));
            return;
        }
        pbi::Error e = r.error();
        if (e.kind == pbi::ErrorKind::Cancelled) {
            setState(tr("Cancelled: nothing was issued."));
            updateActions();
            return;
        }
        if (m_facts)
            e.hint = pbi::embed::refusalFix(e, *m_facts);
        m_failed = Failed::Generate;
        setState(QString());
        m_error->showError(e.kind == pbi::ErrorKind::Service || e.httpStatus >= 400
                               ? tr("The service refused the embed token (the form is as you left it)")
                               : tr("GenerateToken failed (the form is as you left it)"),
                           e);
        updateActions();
        Q_EMIT generationFailed(e);
    };
    if (b.multi)
        m_sendId = m_client->generateToken(b.v2, context, done);
    else
        m_sendId = pbi::embed::generate(*m_client, m_workspace->id, b.kind, b.itemId, b.v1, context, done);
}

void EmbedTokenView::showToken(const pbi::EmbedToken& token)
{
    m_token = token;
    m_tokenId->setText(token.tokenId);
    const QDateTime local = token.expiration.toLocalTime();
    m_expiry->setText(tr("%1 %2 (local) · %3 UTC")
                          .arg(local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), local.timeZoneAbbreviation(),
                               token.expiration.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
    m_tokenText->setText(token.token);
    m_tokenText->setEchoMode(QLineEdit::Password);
    m_tokenText->setCursorPosition(0);
    m_reveal->setText(tr("Show"));
    QString calledAs = tr("Asked for by %1").arg(m_facts ? m_facts->callerLabel : QString());
    if (m_facts && m_facts->accessTokenExpiry)
        calledAs += tr(", whose access token expires %1 UTC: an embed token never outlives it.")
                        .arg(m_facts->accessTokenExpiry->toUTC().toString(QStringLiteral("HH:mm:ss")));
    else
        calledAs += QLatin1Char('.');
    m_calledAs->setText(calledAs);
    m_result->show();
    tick();
    m_timer->start();
}

void EmbedTokenView::clearResult()
{
    m_token.reset();
    m_timer->stop();
    m_tokenText->clear();
    m_tokenId->clear();
    m_countdown->clear();
    m_expiry->clear();
    m_result->hide();
}

void EmbedTokenView::tick()
{
    if (!m_token)
        return;
    const qint64 secs = m_clock->now().secsTo(m_token->expiration);
    m_countdown->setText(secs > 0 ? tr("Valid for another %1.").arg(span(secs))
                                  : tr("Expired %1 ago: generate a new one.").arg(span(-secs)));
    const bool expired = secs <= 0;
    m_countdown->setStyleSheet(expired ? QStringLiteral("color: #c62828;") : QStringLiteral("color: #2e7d32;"));
}

QString EmbedTokenView::countdownText() const
{
    return m_countdown->text();
}

QString EmbedTokenView::expiryText() const
{
    return m_expiry->text();
}

QString EmbedTokenView::resultText() const
{
    if (!m_token)
        return {};
    return tr("Token id: %1\nExpires: %2\n%3").arg(m_token->tokenId, expiryText(), countdownText());
}

bool EmbedTokenView::isTokenRevealed() const
{
    return m_token && m_tokenText->echoMode() == QLineEdit::Normal;
}

} // namespace pbi::ui
