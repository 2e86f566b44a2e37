#include "admin/ActivityCollector.h"

#include "http/Transport.h"

namespace pbi::admin {

namespace {
/// A guard against a service that keeps sending tokens: no real day has this many pages.
constexpr int kMaxPagesPerWindow = 10000;
} // namespace

ActivityCollector::ActivityCollector(PowerBiClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{
}

void ActivityCollector::start(const QDateTime& start, const QDateTime& end, const QString& filter)
{
    cancel();
    m_filter = filter;
    m_windows.clear();
    m_events.clear();
    m_seen.clear();
    m_pages = 0;
    m_duplicates = 0;
    m_window = 0;
    m_token.clear();
    QDateTime from = start.toUTC();
    const QDateTime to = end.toUTC();
    while (from < to) {
        const QDateTime midnight(from.date().addDays(1), QTime(0, 0), Qt::UTC);
        // The service's end is inclusive: stop a millisecond before the next day starts.
        const QDateTime windowEnd = std::min(to, midnight).addMSecs(-1);
        m_windows.emplace_back(from, windowEnd);
        from = midnight;
    }
    m_running = true;
    next();
}

void ActivityCollector::resume()
{
    if (m_running || m_window >= m_windows.size())
        return;
    m_running = true;
    next();
}

void ActivityCollector::cancel()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    if (m_call)
        m_client->transport()->cancel(m_call);
    m_call = 0;
}

void ActivityCollector::next()
{
    if (!m_running)
        return;
    if (m_window >= m_windows.size()) {
        m_running = false;
        Q_EMIT finished();
        return;
    }
    ActivityQuery q;
    q.start = m_windows[m_window].first;
    q.end = m_windows[m_window].second;
    q.filter = m_filter;
    q.continuationToken = m_token;
    const quint64 gen = m_generation;
    m_call = m_client->adminActivityEvents(q, this, [this, gen](Result<ActivityPage> r) {
        if (gen != m_generation)
            return;
        m_call = 0;
        if (!r) {
            m_running = false;
            Q_EMIT failed(r.error());
            return;
        }
        ++m_pages;
        ActivityPage& page = r.value();
        for (ActivityEvent& e : page.events) {
            if (m_seen.contains(e.id)) {
                ++m_duplicates;
                continue;
            }
            m_seen.insert(e.id);
            m_events.push_back(std::move(e));
        }
        const bool last = page.continuationToken.isEmpty() || page.lastResultSet.value_or(false) ||
                          page.continuationToken == m_token || m_pages > kMaxPagesPerWindow * int(m_windows.size());
        if (last) {
            ++m_window;
            m_token.clear();
        } else {
            m_token = page.continuationToken;
        }
        Q_EMIT progress(int(m_events.size()), int(std::min(m_window + 1, m_windows.size())), int(m_windows.size()));
        next();
    });
}

} // namespace pbi::admin
