#include "AdminInventoryLoader.h"

#include "WorkspaceTreeModel.h"

#include "api/AdminWorkspacePager.h"
#include "api/PowerBiClient.h"

namespace pbi::ui {

AdminInventoryLoader::AdminInventoryLoader(WorkspaceTreeModel* model, QObject* parent)
    : QObject(parent)
    , m_model(model)
{}

AdminInventoryLoader::~AdminInventoryLoader()
{
    dropPager();
}

QString AdminInventoryLoader::expand()
{
    return QStringLiteral("users,reports,dashboards,datasets,dataflows,workbooks");
}

void AdminInventoryLoader::setClient(pbi::PowerBiClient* client)
{
    ++m_run;
    dropPager();
    m_client = client;
    m_fed = 0;
    m_pages = 0;
    m_error.reset();
    m_finishedAt = {};
    setState(State::Idle);
}

void AdminInventoryLoader::dropPager()
{
    if (!m_pager)
        return;
    // Disconnected first: its Cancelled answer must not reach a newer run.
    m_pager->disconnect(this);
    m_pager->cancel();
    m_pager->deleteLater();
    m_pager = nullptr;
}

void AdminInventoryLoader::start()
{
    if (!m_client)
        return;
    ++m_run;
    dropPager();
    m_fed = 0;
    m_pages = 0;
    m_error.reset();
    m_finishedAt = {};
    m_model->setWorkspaces({}, true);
    m_pager = new pbi::AdminWorkspacePager(m_client, m_pageSize, this);
    m_pager->setExpand(expand());
    connect(m_pager, &pbi::AdminWorkspacePager::progress, this, [this] {
        m_pages = m_pager->pagesFetched();
        feed();
    });
    connect(m_pager, &pbi::AdminWorkspacePager::finished, this, [this] {
        m_pages = m_pager->pagesFetched();
        feed();
        m_finishedAt = QDateTime::currentDateTimeUtc();
        // The tree holds every workspace now; the pager's own copy is no longer needed.
        dropPager();
        setState(State::Finished);
        Q_EMIT finished(m_fed);
    });
    connect(m_pager, &pbi::AdminWorkspacePager::failed, this, [this](const pbi::Error& e) {
        m_error = e;
        setState(State::Failed);
        Q_EMIT failed(e);
    });
    setState(State::Running);
    m_pager->start();
}

void AdminInventoryLoader::feed()
{
    // The pager only appends (de-duplicated by id), so what is new is its tail: each page is
    // copied into the tree once, never the whole tenant.
    const auto& all = m_pager->workspaces();
    if (int(all.size()) > m_fed) {
        std::vector<pbi::Workspace> page(all.begin() + m_fed, all.end());
        m_fed = int(all.size());
        m_model->appendWorkspaces(std::move(page), true);
    }
    Q_EMIT progress(m_fed);
}

void AdminInventoryLoader::cancel()
{
    if (m_pager && m_pager->isRunning())
        m_pager->cancel(); // failed() follows with a Cancelled error
}

void AdminInventoryLoader::resume()
{
    if (!m_pager || m_state != State::Failed)
        return;
    m_error.reset();
    setState(State::Running);
    m_pager->resume();
}

void AdminInventoryLoader::reloadWorkspace(const QString& workspaceId)
{
    if (!m_client || workspaceId.isEmpty())
        return;
    pbi::AdminGroupsQuery query;
    query.top = 1;
    query.expand = expand();
    // Ids are GUIDs; quotes are doubled as OData wants, should one ever hold any.
    query.filter = QStringLiteral("id eq '%1'")
                       .arg(QString(workspaceId).replace(QLatin1Char('\''), QStringLiteral("''")));
    m_model->setWorkspaceLoading(workspaceId, true);
    const quint64 run = m_run;
    m_client->adminWorkspacesPage(
        query, this, [this, run, workspaceId](pbi::Result<std::vector<pbi::Workspace>> r) {
            if (run != m_run)
                return; // the tree was replaced meanwhile
            m_model->setWorkspaceLoading(workspaceId, false);
            std::optional<pbi::Error> error;
            if (!r) {
                error = r.error();
            } else if (r.value().empty()) {
                pbi::Error gone;
                gone.kind = pbi::ErrorKind::Service;
                gone.sentence = tr("The service no longer lists this workspace: it was deleted for "
                                   "good, or its id changed.");
                error = gone;
            } else {
                m_model->replaceWorkspace(workspaceId, std::move(r.value().front()));
            }
            if (error)
                m_model->setWorkspaceError(workspaceId, *error);
            Q_EMIT workspaceReloaded(workspaceId, error);
        });
}

void AdminInventoryLoader::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace pbi::ui
