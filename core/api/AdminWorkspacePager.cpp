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
    stopAll();
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
    // The first page in line reports Cancelled; the pages after it are dropped.
    if (m_client)
        for (const Pending& p : m_inflight)
            if (!p.result)
                m_client->transport()->cancel(p.requestId);
}

void AdminWorkspacePager::stopAll() {
    ++m_generation;
    if (m_client)
        for (const Pending& p : m_inflight)
            if (!p.result)
                m_client->transport()->cancel(p.requestId);
    m_inflight.clear();
}

void AdminWorkspacePager::fetch() {
    if (!m_client)
        return;
    // The first page goes at nextSkip(); each following one where it will start if the one
    // before it is full (a short page ends the walk and drops what was asked beyond it).
    int skip = m_inflight.empty() ? nextSkip() : m_inflight.back().skip + m_pageSize - overlap();
    while (int(m_inflight.size()) < m_depth) {
        send(skip);
        skip += m_pageSize - overlap();
    }
}

void AdminWorkspacePager::send(int skip) {
    AdminGroupsQuery q;
    q.top = m_pageSize;
    q.skip = skip;
    q.expand = m_expand;
    q.filter = m_filter;
    const quint64 generation = m_generation;
    m_inflight.push_back({skip, 0, std::nullopt});
    const quint64 id = m_client->adminWorkspacesPage(
        q, this, [this, skip, generation](Result<std::vector<Workspace>> r) {
            if (generation != m_generation)
                return;
            for (Pending& p : m_inflight) {
                if (p.skip == skip && !p.result) {
                    p.result = std::move(r);
                    break;
                }
            }
            drain();
        });
    for (Pending& p : m_inflight)
        if (p.skip == skip && p.requestId == 0)
            p.requestId = id;
}

void AdminWorkspacePager::drain() {
    while (!m_inflight.empty() && m_inflight.front().result) {
        Pending front = std::move(m_inflight.front());
        m_inflight.pop_front();
        Result<std::vector<Workspace>>& r = *front.result;
        if (!r) {
            m_error = r.error();
            qCInfo(lcPbiApi) << "admin workspaces: page at" << front.skip << "failed:" << r.error().summary();
            stopAll(); // resume() asks again from the page that failed
            Q_EMIT failed(r.error());
            return;
        }
        ++m_pages;
        std::vector<Workspace>& page = r.value();
        const int size = int(page.size());
        for (Workspace& w : page) {
            if (m_seen.contains(w.id))
                continue;
            m_seen.insert(w.id);
            m_items.push_back(std::move(w));
        }
        m_walked = front.skip + size;
        Q_EMIT progress(int(m_items.size()));
        if (size < m_pageSize) {
            stopAll();
            m_finished = true;
            Q_EMIT finished();
            return;
        }
    }
    if (!m_finished)
        fetch(); // keep `depth` pages in flight
}

} // namespace pbi
