#include "DetailsPane.h"

#include "KindIcons.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
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

DetailsPane::DetailsPane(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_error(new QLabel(this))
    , m_table(new QTreeWidget(this))
    , m_relatedTitle(new QLabel(tr("Related"), this))
    , m_related(new QTreeWidget(this))
    , m_copyId(new QPushButton(tr("Copy id"), this))
    , m_copyName(new QPushButton(tr("Copy name"), this))
    , m_open(new QPushButton(tr("Open in Power BI"), this))
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

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_copyId);
    buttons->addWidget(m_copyName);
    buttons->addWidget(m_open);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_error);
    layout->addWidget(m_table, 3);
    layout->addWidget(m_relatedTitle);
    layout->addWidget(m_related, 2);
    layout->addLayout(buttons);

    connect(m_copyId, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_id); });
    connect(m_copyName, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_name); });
    // The service's own web address: the console never builds portal URLs itself.
    connect(m_open, &QPushButton::clicked, this, [this] { QDesktopServices::openUrl(QUrl(m_webUrl)); });
    showItem(nullptr, {});
}

void DetailsPane::showItem(const WorkspaceTreeModel* model, const QModelIndex& index)
{
    m_table->clear();
    m_error->hide();
    m_id.clear();
    m_name.clear();
    m_webUrl.clear();
    const WorkspaceTreeModel::Payload* payload = model ? model->payloadAt(index) : nullptr;
    if (!model || !index.isValid()) {
        m_title->setText(tr("Select an item to see its details."));
    } else {
        const auto kind = model->kindAt(index);
        m_title->setText(kind == WorkspaceTreeModel::NodeKind::Folder
                             ? index.siblingAtColumn(0).data().toString()
                             : QStringLiteral("%1 — %2").arg(nodeKindName(kind), index.siblingAtColumn(0).data().toString()));
        if (const auto error = model->errorAt(index)) {
            m_error->setText(error->details());
            m_error->show();
        }
        m_id = index.data(WorkspaceTreeModel::IdRole).toString();
        m_name = kind == WorkspaceTreeModel::NodeKind::Folder ? QString() : index.siblingAtColumn(0).data().toString();
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
    m_copyId->setEnabled(!m_id.isEmpty());
    m_copyName->setEnabled(!m_name.isEmpty());
    m_open->setEnabled(!m_webUrl.isEmpty());
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
