#pragma once

#include "api/PowerBiClient.h"

#include <QObject>
#include <QSet>

#include <vector>

namespace pbi::admin {

/// Reads the audit log for a time range: one window per UTC day (the service refuses windows
/// that cross midnight), every continuation page of each (empty pages can come before more
/// data), each event once even when a page is read twice. A failure keeps the position, so
/// resume() continues where it stopped (e.g. after a throttle the transport gave up on).
class ActivityCollector : public QObject {
    Q_OBJECT
public:
    explicit ActivityCollector(PowerBiClient* client, QObject* parent = nullptr);

    /// Starts collecting [start, end) in UTC, optionally filtered ("Activity eq 'viewreport'").
    void start(const QDateTime& start, const QDateTime& end, const QString& filter = {});
    /// Continues after failed(), from the page that failed.
    void resume();
    void cancel();
    bool isRunning() const { return m_running; }

    const std::vector<ActivityEvent>& events() const { return m_events; }
    int pagesRead() const { return m_pages; }
    int duplicatesDropped() const { return m_duplicates; }
    /// The UTC day windows the range was split into.
    const std::vector<std::pair<QDateTime, QDateTime>>& windows() const { return m_windows; }

Q_SIGNALS:
    void progress(int events, int window, int windows);
    void finished();
    void failed(const pbi::Error& error);

private:
    void next();

    PowerBiClient* m_client;
    QString m_filter;
    std::vector<std::pair<QDateTime, QDateTime>> m_windows;
    std::size_t m_window = 0;
    QString m_token; ///< continuation within the current window; empty: its first page
    std::vector<ActivityEvent> m_events;
    QSet<QString> m_seen;
    int m_pages = 0;
    int m_duplicates = 0;
    bool m_running = false;
    quint64 m_call = 0;
    quint64 m_generation = 0;
};

} // namespace pbi::admin
