#include "api/AdminWorkspacePager.h"

#include "Logging.h"
#include "http/Transport.h"

#include <algorithm>

namespace pbi {

AdminWorkspacePager::AdminWorkspacePager(PowerBiClient* client, int pageSize, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_pageSize(std::clamp(pageSize, 1, 5000)) {}

int AdminWorkspacePager::overlap() const {
    if (m_pageSize <= 1)
        return 0; // with one item a page, an overlap would never move on
    const int wanted = m_overlap >= 0 ? m_overlap : std::clamp(m_pageSize / 10, 1, 100);
    return std::min(wanted, m_pageSize - 1);
}

int AdminWorkspacePager::nextSkip() const {
    return std::max(0, m_walked - (m_walked > 0 ? overlap() : 0));
}

void AdminWorkspacePager::start() {
    cancel();
    m_items.clear();
    m_seen.clear();
    m_walked = 0;
    m_pages = 0;
    m_finished = false;
    m_error.reset();
    fetch();
}

void AdminWorkspacePager::resume() {
    if (isRunning() || m_finished)
        return;
    m_error.reset();
    fetch();
}

void AdminWorkspacePager::cancel() {
    if (m_requestId != 0 && m_client)
        m_client->transport()->cancel(m_requestId); // the callback reports Cancelled
}

void AdminWorkspacePager::fetch() {
    if (!m_client)
        return;
    AdminGroupsQuery q;
    q.top = m_pageSize;
    q.skip = nextSkip();
    q.expand = m_expand;
    q.filter = m_filter;
    const int skip = q.skip;
    m_requestId =
        m_client->adminWorkspacesPage(q, this, [this, skip](Result<std::vector<Workspace>> r) {
            m_requestId = 0;
            if (!r) {
                m_error = r.error();
                qCInfo(lcPbiApi) << "admin workspaces: page at" << skip
                                 << "failed:" << r.error().summary();
                Q_EMIT failed(r.error());
                return;
            }
            ++m_pages;
            const auto& page = r.value();
            for (const auto& w : page) {
                if (m_seen.contains(w.id))
                    continue;
                m_seen.insert(w.id);
                m_items.push_back(w);
            }
            m_walked = skip + int(page.size());
            Q_EMIT progress(int(m_items.size()));
            if (int(page.size()) < m_pageSize) {
                m_finished = true;
                Q_EMIT finished();
                return;
            }
            fetch();
        });
}

} // namespace pbi
