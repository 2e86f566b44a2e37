#pragma once

#include <QDateTime>
#include <QHash>
#include <QLabel>
#include <QMap>
#include <QPointer>

class QTimer;

namespace pbi {
class Clock;
class RequestLog;
class Transport;
} // namespace pbi

namespace pbi::ui {

/// A status-bar label for the transport: "Throttled until 14:32:05 · 1 call waiting" while the
/// service makes calls wait (Retry-After), the endpoint families still throttled after that,
/// and how many requests are in flight. Empty and hidden when the transport is idle.
class TransportStatus : public QLabel {
    Q_OBJECT
public:
    explicit TransportStatus(const pbi::Clock* clock, QWidget* parent = nullptr);

    /// The transport to watch (another connection's, or none).
    void setTransport(pbi::Transport* transport);
    /// The latest time a waiting call or a throttled family was told to wait until; invalid
    /// when nothing is throttled.
    QDateTime throttledUntil() const;
    int callsWaiting() const { return int(m_waiting.size()); }

private:
    void update();

    const pbi::Clock* m_clock;
    QPointer<pbi::Transport> m_transport;
    QPointer<pbi::RequestLog> m_log;
    QHash<quint64, QDateTime> m_waiting; ///< requests in the Throttled phase, until when
    QMap<QString, QDateTime> m_families; ///< families throttled, until when
    QTimer* m_tick;
    QTimer* m_soon;
};

} // namespace pbi::ui
