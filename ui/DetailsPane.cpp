#include "DetailsPane.h"

#include "KindIcons.h"

#include "api/JsonMapping.h"
#include "api/PowerBiClient.h"
#include "http/Transport.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace pbi::ui {

namespace {

using Rows = QList<QPair<QString, QString>>;

QString yesNo(bool v)
{
    return v ? QObject::tr("yes") : QObject::tr("no");
}

void add(Rows& rows, const QString& label, const QString& value)
{
    rows.append({label, value});
}

void add(Rows& rows, const QString& label, const std::optional<QString>& value)
{
    if (value && !value->isEmpty())
        rows.append({label, *value});
}

void add(Rows& rows, const QString& label, const std::optional<QDateTime>& value)
{
    if (value && value->isValid())
        rows.append({label, value->toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))});
}

} // namespace

QList<QPair<QString, QString>> propertiesOf(const WorkspaceTreeModel::Payload& payload)
{
    Rows rows;
    if (const auto* w = std::get_if<Workspace>(&payload)) {
        add(rows, QObject::tr("Name"), w->name);
        add(rows, QObject::tr("Id"), w->id);
        add(rows, QObject::tr("Type"), w->type);
        add(rows, QObject::tr("State"), w->state);
        add(rows, QObject::tr("Description"), w->description);
        add(rows, QObject::tr("On dedicated capacity"), yesNo(w->isOnDedicatedCapacity));
        add(rows, QObject::tr("Capacity id"), w->capacityId);
        add(rows, QObject::tr("Model storage"), w->defaultDatasetStorageFormat);
        add(rows, QObject::tr("Dataflow storage id"), w->dataflowStorageId);
        add(rows, QObject::tr("Deployment pipeline id"), w->pipelineId);
        add(rows, QObject::tr("Read-only for you"), yesNo(w->isReadOnly));
        // Admin $expand=workbooks: Excel workbooks have no folder of their own.
        if (!w->workbooks.empty()) {
            QStringList names;
            for (const auto& b : w->workbooks)
                names << b.name;
            add(rows, QObject::tr("Excel workbooks"), names.join(QStringLiteral(", ")));
        }
    } else if (const auto* r = std::get_if<Report>(&payload)) {
        add(rows, QObject::tr("Name"), r->name);
        add(rows, QObject::tr("Id"), r->id);
        add(rows, QObject::tr("Report type"), r->reportType);
        add(rows, QObject::tr("Format"), r->format);
        add(rows, QObject::tr("Semantic model id"), r->datasetId);
        add(rows, QObject::tr("App id"), r->appId);
        add(rows, QObject::tr("Description"), r->description);
        add(rows, QObject::tr("Created by"), r->createdBy);
        add(rows, QObject::tr("Modified by"), r->modifiedBy);
        add(rows, QObject::tr("Created"), r->createdDateTime);
        add(rows, QObject::tr("Modified"), r->modifiedDateTime);
        add(rows, QObject::tr("Web URL"), r->webUrl);
        add(rows, QObject::tr("Embed URL"), r->embedUrl);
    } else if (const auto* d = std::get_if<Dataset>(&payload)) {
        add(rows, QObject::tr("Name"), d->name);
        add(rows, QObject::tr("Id"), d->id);
        add(rows, QObject::tr("Configured by"), d->configuredBy);
        add(rows, QObject::tr("Created"), d->createdDate);
        add(rows, QObject::tr("Description"), d->description);
        add(rows, QObject::tr("Refreshable"), yesNo(d->isRefreshable));
        add(rows, QObject::tr("Row-level security"), yesNo(d->isEffectiveIdentityRequired));
        add(rows, QObject::tr("RLS roles required"), yesNo(d->isEffectiveIdentityRolesRequired));
        add(rows, QObject::tr("Gateway required"), yesNo(d->isOnPremGatewayRequired));
        add(rows, QObject::tr("Storage mode"), d->targetStorageMode);
        add(rows, QObject::tr("Content provider"), d->contentProviderType);
        add(rows, QObject::tr("Push rows API"), yesNo(d->addRowsAPIEnabled));
        for (const auto& u : d->upstreamDataflows)
            add(rows, QObject::tr("Upstream dataflow"),
                QString(u.targetDataflowId + QObject::tr(" (workspace ") + u.groupId + QLatin1Char(')')));
        add(rows, QObject::tr("Web URL"), d->webUrl);
    } else if (const auto* b = std::get_if<Dashboard>(&payload)) {
        add(rows, QObject::tr("Name"), b->displayName);
        add(rows, QObject::tr("Id"), b->id);
        add(rows, QObject::tr("Read-only"), yesNo(b->isReadOnly));
        add(rows, QObject::tr("App id"), b->appId);
        add(rows, QObject::tr("Web URL"), b->webUrl);
        add(rows, QObject::tr("Embed URL"), b->embedUrl);
        if (!b->tiles.empty())
            add(rows, QObject::tr("Tiles"), QString::number(b->tiles.size()));
    } else if (const auto* f = std::get_if<Dataflow>(&payload)) {
        add(rows, QObject::tr("Name"), f->name);
        add(rows, QObject::tr("Id"), f->id);
        add(rows, QObject::tr("Description"), f->description);
        add(rows, QObject::tr("Configured by"), f->configuredBy);
        add(rows, QObject::tr("Model URL"), f->modelUrl);
    } else if (const auto* u = std::get_if<GroupUser>(&payload)) {
        add(rows, QObject::tr("Name"), u->displayName);
        add(rows, QObject::tr("Identifier"), u->identifier);
        add(rows, QObject::tr("Principal type"), u->principalType);
        add(rows, QObject::tr("Workspace role"), u->groupUserAccessRight);
        add(rows, QObject::tr("E-mail"), u->emailAddress);
        add(rows, QObject::tr("User type"), u->userType);
        add(rows, QObject::tr("Graph id"), u->graphId);
    }
    return rows;
}

QStringList datasourceRow(const pbi::Datasource& s)
{
    const auto& c = s.connectionDetails;
    // Where the data comes from, in the first form the connection details give: a server, a
    // URL, a file path, or the account of an online service.
    QString source;
    for (const auto* v : {&c.server, &c.url, &c.path, &c.account, &c.domain, &c.emailAddress,
                          &c.loginServer, &c.classInfo, &c.kind})
        if (*v && !(*v)->isEmpty()) {
            source = **v;
            break;
        }
    if (source.isEmpty() && s.connectionString)
        source = *s.connectionString; // deprecated, but the only detail some old sources have
    return {s.datasourceType.value_or(QString()), source, c.database.value_or(QString()),
            s.gatewayId.value_or(QString()), s.datasourceId.value_or(QString())};
}

QStringList parameterRow(const pbi::MashupParameter& p)
{
    return {p.name, p.type, p.currentValue.value_or(QString()), yesNo(p.isRequired),
            p.suggestedValues.join(QStringLiteral(", "))};
}

namespace {

QTreeWidget* makeTable(QWidget* parent, const QString& name, const QStringList& headers)
{
    auto* t = new QTreeWidget(parent);
    t->setObjectName(name);
    t->setColumnCount(int(headers.size()));
    t->setHeaderLabels(headers);
    t->setRootIsDecorated(false);
    t->setAlternatingRowColors(true);
    t->setSelectionMode(QAbstractItemView::ExtendedSelection);
    t->setTextElideMode(Qt::ElideMiddle);
    t->header()->setStretchLastSection(true);
    return t;
}

QLabel* makeStatus(QWidget* parent, const QString& name)
{
    auto* l = new QLabel(parent);
    l->setObjectName(name);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

/// Copies the selected rows (or all rows) of a table as tab-separated text.
void copyRows(QTreeWidget* table)
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < table->columnCount(); ++c)
        header << table->headerItem()->text(c);
    lines << header.join(QLatin1Char('\t'));
    const bool selection = !table->selectedItems().isEmpty();
    for (int i = 0; i < table->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = table->topLevelItem(i);
        if (selection && !item->isSelected())
            continue;
        QStringList cells;
        for (int c = 0; c < table->columnCount(); ++c)
            cells << item->text(c);
        lines << cells.join(QLatin1Char('\t'));
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

} // namespace

DetailsPane::DetailsPane(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_error(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_table(new QTreeWidget(this))
    , m_relatedTitle(new QLabel(tr("Related"), this))
    , m_related(new QTreeWidget(this))
    , m_sourcesStatus(makeStatus(this, QStringLiteral("datasourcesStatus")))
    , m_sourcesTable(makeTable(this, QStringLiteral("datasourcesTable"),
                               {tr("Type"), tr("Server, URL or path"), tr("Database"),
                                tr("Gateway id"), tr("Data source id")}))
    , m_parametersStatus(makeStatus(this, QStringLiteral("parametersStatus")))
    , m_parametersTable(makeTable(this, QStringLiteral("parametersTable"),
                                  {tr("Name"), tr("Type"), tr("Current value"), tr("Required"),
                                   tr("Suggested values")}))
    , m_jsonNote(makeStatus(this, QStringLiteral("jsonNote")))
    , m_json(new QPlainTextEdit(this))
    , m_copyJson(new QPushButton(tr("Copy JSON"), this))
    , m_copyId(new QPushButton(tr("Copy id"), this))
    , m_copyName(new QPushButton(tr("Copy name"), this))
    , m_open(new QPushButton(tr("Open in Power BI"), this))
    , m_loadTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("detailsPane"));
    m_title->setObjectName(QStringLiteral("detailsTitle"));
    m_title->setWordWrap(true);
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_title->setFont(f);
    m_error->setObjectName(QStringLiteral("detailsError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    m_table->setObjectName(QStringLiteral("detailsTable"));
    m_table->setColumnCount(2);
    m_table->setHeaderLabels({tr("Property"), tr("Value")});
    m_table->setRootIsDecorated(false);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Labels get what they need up to a limit; values take the rest and wrap (ids, URLs).
    m_table->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_table->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->header()->resizeSection(0, 150);
    m_table->header()->setStretchLastSection(true);
    m_table->setWordWrap(true);
    m_table->setUniformRowHeights(false);
    m_table->setTextElideMode(Qt::ElideMiddle);

    m_relatedTitle->setObjectName(QStringLiteral("relatedTitle"));
    QFont relatedFont = m_relatedTitle->font();
    relatedFont.setBold(true);
    m_relatedTitle->setFont(relatedFont);
    m_related->setObjectName(QStringLiteral("relatedItems"));
    m_related->setColumnCount(2);
    m_related->setHeaderLabels({tr("Item"), tr("Relation")});
    m_related->setRootIsDecorated(false);
    m_related->setAlternatingRowColors(true);
    m_related->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_related->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_related->header()->setStretchLastSection(false);
    m_related->setToolTip(tr("Double-click (or Enter) to go to the item."));
    auto activateRelated = [this](QTreeWidgetItem* item) {
        const auto target = item ? item->data(0, Qt::UserRole).value<QPersistentModelIndex>()
                                 : QPersistentModelIndex();
        if (target.isValid())
            Q_EMIT relatedActivated(target);
    };
    connect(m_related, &QTreeWidget::itemActivated, this, activateRelated);

    m_sourcesTable->header()->resizeSection(0, 110);
    m_sourcesTable->header()->resizeSection(1, 220);
    m_sourcesTable->header()->resizeSection(2, 120);
    m_sourcesTable->header()->resizeSection(3, 120);
    m_parametersTable->header()->resizeSection(0, 130);
    m_parametersTable->header()->resizeSection(1, 80);
    m_parametersTable->header()->resizeSection(2, 150);
    m_parametersTable->header()->resizeSection(3, 70);

    m_tabs->setObjectName(QStringLiteral("detailsTabs"));
    m_tabs->setDocumentMode(true);
    auto* properties = new QWidget(m_tabs);
    auto* pl = new QVBoxLayout(properties);
    pl->setContentsMargins(0, 4, 0, 0);
    pl->addWidget(m_table, 3);
    pl->addWidget(m_relatedTitle);
    pl->addWidget(m_related, 2);
    // "Data sources (3)" whole rather than elided: the tabs scroll when the pane is narrow.
    m_tabs->setElideMode(Qt::ElideNone);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->addTab(properties, tr("Properties"));

    auto tableTab = [this](QLabel* status, QTreeWidget* table, const QString& copyText,
                           const QString& copyName) {
        auto* page = new QWidget(m_tabs);
        auto* l = new QVBoxLayout(page);
        l->setContentsMargins(0, 4, 0, 0);
        status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        l->addWidget(status);
        l->addWidget(table, 1);
        // Takes the table's room while there is no table, so a message sits at the top.
        auto* filler = new QWidget(page);
        l->addWidget(filler, 1);
        table->setProperty("filler", QVariant::fromValue(static_cast<QObject*>(filler)));
        auto* copy = new QPushButton(copyText, page);
        copy->setObjectName(copyName);
        table->setProperty("copyButton", QVariant::fromValue(static_cast<QObject*>(copy)));
        connect(copy, &QPushButton::clicked, this, [table] { copyRows(table); });
        auto* row = new QHBoxLayout;
        row->addStretch();
        row->addWidget(copy);
        l->addLayout(row);
        return page;
    };
    m_tabs->addTab(tableTab(m_sourcesStatus, m_sourcesTable, tr("Copy rows"),
                            QStringLiteral("copyDatasources")),
                   tr("Data sources"));
    m_tabs->addTab(tableTab(m_parametersStatus, m_parametersTable, tr("Copy rows"),
                            QStringLiteral("copyParameters")),
                   tr("Parameters"));

    m_json->setObjectName(QStringLiteral("rawJson"));
    m_json->setReadOnly(true);
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_copyJson->setObjectName(QStringLiteral("copyJson"));
    connect(m_copyJson, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_json->toPlainText()); });
    auto* jsonPage = new QWidget(m_tabs);
    auto* jl = new QVBoxLayout(jsonPage);
    jl->setContentsMargins(0, 4, 0, 0);
    jl->addWidget(m_jsonNote);
    jl->addWidget(m_json, 1);
    auto* jsonButtons = new QHBoxLayout;
    jsonButtons->addStretch();
    jsonButtons->addWidget(m_copyJson);
    jl->addLayout(jsonButtons);
    m_tabs->addTab(jsonPage, tr("JSON"));
    m_tabs->setTabToolTip(int(Section::DataSources),
                          tr("Where the semantic model gets its data: read from the service when "
                             "the model is selected"));
    m_tabs->setTabToolTip(int(Section::Parameters),
                          tr("The semantic model's Power Query parameters (member scope)"));
    m_tabs->setTabToolTip(int(Section::Json), tr("The item as the service sent it"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_copyId);
    buttons->addWidget(m_copyName);
    buttons->addWidget(m_open);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_error);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(buttons);

    connect(m_copyId, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_id); });
    connect(m_copyName, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_name); });
    // The service's own web address: the console never builds portal URLs itself.
    connect(m_open, &QPushButton::clicked, this, [this] { QDesktopServices::openUrl(QUrl(m_webUrl)); });

    m_loadTimer->setSingleShot(true);
    m_loadTimer->setInterval(150);
    connect(m_loadTimer, &QTimer::timeout, this, &DetailsPane::loadExtras);
    showItem(nullptr, {});
}

DetailsPane::~DetailsPane()
{
    cancelCalls();
}

void DetailsPane::setClient(pbi::PowerBiClient* client, bool adminScope)
{
    if (client == m_client && adminScope == m_adminScope)
        return;
    cancelCalls();
    m_client = client;
    m_adminScope = adminScope;
    // What was read belongs to the other connection or scope: the next showItem reads again.
    m_key.clear();
    resetExtras();
}

void DetailsPane::setLoadDelay(int ms)
{
    m_loadTimer->setInterval(std::max(0, ms));
}

void DetailsPane::showItem(const WorkspaceTreeModel* model, const QModelIndex& index)
{
    m_table->clear();
    m_error->hide();
    m_id.clear();
    m_name.clear();
    m_webUrl.clear();
    const WorkspaceTreeModel::Payload* payload = model ? model->payloadAt(index) : nullptr;
    auto kind = WorkspaceTreeModel::NodeKind::Folder;
    QString workspaceId;
    if (!model || !index.isValid()) {
        m_title->setText(tr("Select an item to see its details."));
    } else {
        kind = model->kindAt(index);
        m_title->setText(kind == WorkspaceTreeModel::NodeKind::Folder
                             ? index.siblingAtColumn(0).data().toString()
                             : QStringLiteral("%1 — %2").arg(nodeKindName(kind), index.siblingAtColumn(0).data().toString()));
        if (const auto error = model->errorAt(index)) {
            m_error->setText(error->details());
            m_error->show();
        }
        m_id = index.data(WorkspaceTreeModel::IdRole).toString();
        m_name = kind == WorkspaceTreeModel::NodeKind::Folder ? QString() : index.siblingAtColumn(0).data().toString();
        if (const pbi::Workspace* w = model->workspaceAt(index))
            workspaceId = w->id;
        if (payload) {
            for (const auto& [label, value] : propertiesOf(*payload)) {
                auto* item = new QTreeWidgetItem(m_table, {label, value});
                item->setToolTip(1, value);
                if (label == tr("Web URL"))
                    m_webUrl = value;
            }
        }
    }
    fillRelated(model, index);
    fillJson(payload, kind);
    m_copyId->setEnabled(!m_id.isEmpty());
    m_copyName->setEnabled(!m_name.isEmpty());
    m_open->setEnabled(!m_webUrl.isEmpty());

    // The extras are read once per item: the window shows the same item again whenever a
    // folder finishes loading, and that must not send the calls again.
    const QString key = kind == WorkspaceTreeModel::NodeKind::Folder || m_id.isEmpty()
                            ? QString()
                            : QStringLiteral("%1/%2/%3").arg(int(kind)).arg(workspaceId, m_id);
    if (key == m_key && !key.isEmpty())
        return;
    cancelCalls();
    m_key = key;
    m_kind = kind;
    m_workspaceId = workspaceId;
    resetExtras();
    startExtras();
}

void DetailsPane::fillJson(const WorkspaceTreeModel::Payload* payload, WorkspaceTreeModel::NodeKind kind)
{
    QByteArray raw;
    if (payload)
        std::visit(
            [&raw](const auto& v) {
                if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::monostate>)
                    raw = v.rawJson;
            },
            *payload);
    const QString text = raw.isEmpty() ? QString() : pbi::mapping::prettyJson(raw);
    m_json->setPlainText(text);
    m_copyJson->setEnabled(!text.isEmpty());
    if (!payload || kind == WorkspaceTreeModel::NodeKind::Folder)
        m_jsonNote->setText(tr("Select a workspace or an item to see its JSON."));
    else if (text.isEmpty())
        m_jsonNote->setText(tr("The service's JSON is not available for this item (it was not read "
                               "from the service in this session)."));
    else if (kind == WorkspaceTreeModel::NodeKind::Workspace)
        m_jsonNote->setText(tr("The workspace as the service sent it, without the expanded item "
                               "lists: each item shows its own."));
    else
        m_jsonNote->setText(tr("As the service sent it (keys in alphabetical order)."));
}

void DetailsPane::cancelCalls()
{
    ++m_generation;
    m_loadTimer->stop();
    for (Part* p : {&m_sources, &m_parameters}) {
        if (p->state == LoadState::Loading && p->call && m_client)
            m_client->transport()->cancel(p->call);
        p->call = 0;
    }
}

void DetailsPane::resetExtras()
{
    m_sources = {};
    m_parameters = {};
    m_sourcesTable->clear();
    m_parametersTable->clear();
    using K = WorkspaceTreeModel::NodeKind;
    const bool model = !m_key.isEmpty() && m_kind == K::SemanticModel;
    if (model && m_client) {
        m_sources.state = LoadState::Loading;
        if (m_adminScope) {
            m_parameters.state = LoadState::Unavailable;
        } else {
            m_parameters.state = LoadState::Loading;
        }
    } else if (model) {
        m_sources.state = m_parameters.state = LoadState::Unavailable;
    }
    showPart(m_sources, m_sourcesStatus, m_sourcesTable, int(Section::DataSources),
             tr("Data sources"), tr("data sources"));
    showPart(m_parameters, m_parametersStatus, m_parametersTable, int(Section::Parameters),
             tr("Parameters"), tr("parameters"));
}

void DetailsPane::startExtras()
{
    if (m_sources.state != LoadState::Loading && m_parameters.state != LoadState::Loading)
        return;
    if (m_loadTimer->interval() == 0)
        loadExtras();
    else
        m_loadTimer->start();
}

void DetailsPane::loadExtras()
{
    if (!m_client)
        return;
    const quint64 generation = m_generation;
    const QString id = m_id;
    auto done = [this](Part& part, auto& result, QTreeWidget* table, auto row) {
        part.call = 0;
        if (!result) {
            part.state = LoadState::Failed;
            part.error = result.error();
        } else {
            part.state = LoadState::Loaded;
            for (const auto& v : result.value()) {
                auto* item = new QTreeWidgetItem(table, row(v));
                for (int c = 0; c < table->columnCount(); ++c)
                    item->setToolTip(c, item->text(c));
            }
            // Short columns fit their contents; ids and suggestions elide (tooltips show all).
            for (int c = 0; c + 1 < table->columnCount(); ++c)
                table->resizeColumnToContents(c);
        }
    };
    auto sources = [this, generation, done](pbi::Result<std::vector<pbi::Datasource>> r) {
        if (generation != m_generation)
            return; // another item is shown now
        done(m_sources, r, m_sourcesTable, datasourceRow);
        showPart(m_sources, m_sourcesStatus, m_sourcesTable, int(Section::DataSources),
                 tr("Data sources"), tr("data sources"));
        Q_EMIT extrasLoaded();
    };
    if (m_sources.state == LoadState::Loading)
        m_sources.call = m_adminScope
                             ? m_client->adminDatasetDatasources(id, this, sources)
                             : m_client->listDatasources(m_workspaceId, id, this, sources);
    if (m_parameters.state == LoadState::Loading)
        m_parameters.call = m_client->listParameters(
            m_workspaceId, id, this,
            [this, generation, done](pbi::Result<std::vector<pbi::MashupParameter>> r) {
                if (generation != m_generation)
                    return;
                done(m_parameters, r, m_parametersTable, parameterRow);
                showPart(m_parameters, m_parametersStatus, m_parametersTable,
                         int(Section::Parameters), tr("Parameters"), tr("parameters"));
                Q_EMIT extrasLoaded();
            });
}

void DetailsPane::showPart(const Part& part, QLabel* status, QTreeWidget* table, int tab,
                           const QString& name, const QString& noun)
{
    QString text;
    QString title = name;
    QIcon icon;
    bool error = false;
    switch (part.state) {
    case LoadState::None:
        text = m_kind == WorkspaceTreeModel::NodeKind::SemanticModel || m_key.isEmpty()
                   ? tr("Select a semantic model to see its %1.").arg(noun)
                   : tr("Only semantic models have %1 here.").arg(noun);
        break;
    case LoadState::Loading:
        text = tr("Reading the %1 from the service…").arg(noun);
        title = tr("%1 …").arg(name);
        break;
    case LoadState::Loaded:
        text = table->topLevelItemCount() == 0
                   ? tr("The service lists no %1 for this model.").arg(noun)
                   : QString();
        title = QStringLiteral("%1 (%2)").arg(name).arg(table->topLevelItemCount());
        break;
    case LoadState::Failed:
        text = tr("The %1 could not be read.").arg(noun);
        // The service wants write permission on a model for its data sources (a Viewer may read
        // its parameters): say so before the generic explanation of the refusal.
        if (&part == &m_sources && !m_adminScope &&
            (part.error->httpStatus == 401 || part.error->httpStatus == 403))
            text += QLatin1Char(' ') + tr("Listing a model's data sources needs write permission "
                                          "on it: Contributor, Member or Admin in its workspace.");
        text += QLatin1Char('\n') + part.error->details();
        icon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
        error = true;
        break;
    case LoadState::Unavailable:
        text = !m_client ? tr("Not connected.")
                         : tr("The admin APIs have no call for a model's %1: load your own "
                              "workspaces (View → Load my workspaces) to read them where you are "
                              "a member.")
                               .arg(noun);
        break;
    }
    status->setText(text);
    status->setVisible(!text.isEmpty());
    status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    const bool rows = part.state == LoadState::Loaded && table->topLevelItemCount() > 0;
    table->setVisible(rows);
    if (auto* filler = qobject_cast<QWidget*>(table->property("filler").value<QObject*>()))
        filler->setVisible(!rows);
    if (auto* copy = qobject_cast<QWidget*>(table->property("copyButton").value<QObject*>()))
        copy->setEnabled(rows);
    m_tabs->setTabText(tab, title);
    m_tabs->setTabIcon(tab, icon);
    m_tabs->setTabEnabled(tab, part.state != LoadState::None || m_key.isEmpty());
}

QList<QStringList> DetailsPane::datasources() const
{
    QList<QStringList> out;
    for (int i = 0; i < m_sourcesTable->topLevelItemCount(); ++i) {
        QStringList row;
        for (int c = 0; c < m_sourcesTable->columnCount(); ++c)
            row << m_sourcesTable->topLevelItem(i)->text(c);
        out << row;
    }
    return out;
}

QList<QStringList> DetailsPane::parameters() const
{
    QList<QStringList> out;
    for (int i = 0; i < m_parametersTable->topLevelItemCount(); ++i) {
        QStringList row;
        for (int c = 0; c < m_parametersTable->columnCount(); ++c)
            row << m_parametersTable->topLevelItem(i)->text(c);
        out << row;
    }
    return out;
}

QString DetailsPane::datasourcesStatus() const
{
    return m_sourcesStatus->text();
}

QString DetailsPane::parametersStatus() const
{
    return m_parametersStatus->text();
}

QString DetailsPane::json() const
{
    return m_json->toPlainText();
}

DetailsPane::Section DetailsPane::currentSection() const
{
    return Section(std::max(0, m_tabs->currentIndex()));
}

void DetailsPane::setCurrentSection(Section section)
{
    m_tabs->setCurrentIndex(int(section));
}

void DetailsPane::fillRelated(const WorkspaceTreeModel* model, const QModelIndex& index)
{
    using K = WorkspaceTreeModel::NodeKind;
    m_related->clear();
    const WorkspaceTreeModel::Payload* payload =
        model && index.isValid() ? model->payloadAt(index) : nullptr;
    auto add = [&](const QModelIndex& target, const QString& relation) {
        auto* item =
            new QTreeWidgetItem(m_related, {target.siblingAtColumn(0).data().toString(), relation});
        item->setIcon(0, kindIcon(model->kindAt(target)));
        item->setData(0, Qt::UserRole,
                      QVariant::fromValue(QPersistentModelIndex(target.siblingAtColumn(0))));
        const QString workspace =
            model->workspaceAt(target) ? model->workspaceAt(target)->name : QString();
        item->setToolTip(0, tr("%1 in %2").arg(nodeKindName(model->kindAt(target)), workspace));
    };
    auto note = [&](const QString& name, const QString& relation) {
        auto* item = new QTreeWidgetItem(m_related, {name, relation});
        item->setForeground(0, m_related->palette().brush(QPalette::Disabled, QPalette::Text));
    };
    QString workspaceId;
    if (const auto* w = model && index.isValid() ? model->workspaceAt(index) : nullptr)
        workspaceId = w->id;
    if (payload) {
        if (const auto* d = std::get_if<Dataset>(payload)) {
            for (const QModelIndex& r : model->reportsOfModel(d->id))
                add(r, model->workspaceAt(r) && model->workspaceAt(r)->id == workspaceId
                           ? tr("report on this model")
                           : tr("report on this model, in %1").arg(model->workspaceAt(r)->name));
            for (const auto& up : d->upstreamDataflows) {
                const QModelIndex flow =
                    model->findItem(K::Dataflow, up.targetDataflowId, up.groupId);
                if (flow.isValid())
                    add(flow, tr("dataflow it reads"));
                else
                    note(up.targetDataflowId, tr("dataflow it reads (not loaded)"));
            }
        } else if (const auto* r = std::get_if<Report>(payload)) {
            if (r->datasetId) {
                const QModelIndex m = model->findItem(K::SemanticModel, *r->datasetId, workspaceId);
                if (m.isValid())
                    add(m, model->workspaceAt(m) && model->workspaceAt(m)->id == workspaceId
                               ? tr("its semantic model")
                               : tr("its semantic model, in %1").arg(model->workspaceAt(m)->name));
                else
                    note(*r->datasetId,
                         tr("its semantic model (not loaded, or in a workspace not shown)"));
            }
        } else if (const auto* f = std::get_if<Dataflow>(payload)) {
            for (const QModelIndex& m : model->modelsReadingDataflow(f->id))
                add(m, tr("semantic model reading it"));
        } else if (std::holds_alternative<Workspace>(*payload)) {
            const QModelIndex members =
                model->folderOf(index, WorkspaceTreeModel::FolderKind::Members);
            const auto state =
                WorkspaceTreeModel::LoadState(members.data(WorkspaceTreeModel::StateRole).toInt());
            if (state == WorkspaceTreeModel::LoadState::Loaded) {
                for (int row = 0; row < model->rowCount(members); ++row) {
                    const QModelIndex m = model->index(row, 0, members);
                    const auto* u = std::get_if<GroupUser>(model->payloadAt(m));
                    add(m,
                        u ? QStringLiteral("%1 (%2)").arg(u->groupUserAccessRight, u->principalType)
                          : QString());
                }
            } else if (state == WorkspaceTreeModel::LoadState::Failed) {
                note(tr("Members"), tr("could not be read (see the Members folder)"));
            } else {
                note(tr("Members"), tr("expand the workspace to load them"));
            }
        }
    }
    const bool any = m_related->topLevelItemCount() > 0;
    m_relatedTitle->setVisible(any);
    m_related->setVisible(any);
    if (any)
        m_relatedTitle->setText(tr("Related (%1)").arg(m_related->topLevelItemCount()));
}

QList<QPair<QString, QString>> DetailsPane::related() const
{
    QList<QPair<QString, QString>> out;
    for (int i = 0; i < m_related->topLevelItemCount(); ++i)
        out.append({m_related->topLevelItem(i)->text(0), m_related->topLevelItem(i)->text(1)});
    return out;
}

QList<QPair<QString, QString>> DetailsPane::properties() const
{
    QList<QPair<QString, QString>> out;
    for (int i = 0; i < m_table->topLevelItemCount(); ++i)
        out.append({m_table->topLevelItem(i)->text(0), m_table->topLevelItem(i)->text(1)});
    return out;
}

} // namespace pbi::ui
