#include "TransportStatus.h"

#include "Clock.h"
#include "http/RequestLog.h"
#include "http/Transport.h"

#include <QTimer>

namespace pbi::ui {

TransportStatus::TransportStatus(const pbi::Clock* clock, QWidget* parent)
    : QLabel(parent)
    , m_clock(clock)
    , m_tick(new QTimer(this))
    , m_soon(new QTimer(this))
{
    setObjectName(QStringLiteral("transportStatus"));
    setContentsMargins(8, 0, 8, 0);
    // A finished request is logged just before the transport lets go of it: look again once
    // the current event is done, coalescing bursts.
    m_soon->setSingleShot(true);
    m_soon->setInterval(0);
    connect(m_soon, &QTimer::timeout, this, &TransportStatus::update);
    // Delivered requests send no signal; a slow tick notices them while anything is pending.
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &TransportStatus::update);
    hide();
}

void TransportStatus::setTransport(pbi::Transport* transport)
{
    if (m_transport)
        m_transport->disconnect(this);
    if (m_log)
        m_log->disconnect(this);
    m_log = transport ? transport->log() : nullptr;
    m_transport = transport;
    m_waiting.clear();
    m_families.clear();
    if (transport) {
        connect(transport, &pbi::Transport::stateChanged, this,
                [this](quint64 id, pbi::Transport::Phase phase, const QDateTime& until) {
                    if (phase == pbi::Transport::Phase::Throttled)
                        m_waiting.insert(id, until);
                    else
                        m_waiting.remove(id);
                    update();
                });
        connect(transport, &pbi::Transport::throttleChanged, this,
                [this](const QString& family, const QDateTime& until) {
                    if (until.isValid())
                        m_families.insert(family, until);
                    else
                        m_families.remove(family);
                    update();
                });
        if (m_log)
            connect(m_log, &pbi::RequestLog::entryAdded, this, [this] { m_soon->start(); });
    }
    update();
}

QDateTime TransportStatus::throttledUntil() const
{
    QDateTime latest;
    for (const QDateTime& t : m_waiting)
        if (!latest.isValid() || t > latest)
            latest = t;
    for (const QDateTime& t : m_families)
        if (!latest.isValid() || t > latest)
            latest = t;
    return latest;
}

void TransportStatus::update()
{
    const QDateTime now = m_clock->now();
    // A request that was cancelled or answered while throttled sends no further state.
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        const auto state = m_transport ? m_transport->state(it.key()) : std::nullopt;
        if (!state || state->phase != pbi::Transport::Phase::Throttled)
            it = m_waiting.erase(it);
        else
            ++it;
    }
    for (auto it = m_families.begin(); it != m_families.end();) {
        if (it.value() <= now)
            it = m_families.erase(it);
        else
            ++it;
    }
    QStringList parts;
    const QDateTime until = throttledUntil();
    if (until.isValid()) {
        QString text =
            tr("Throttled until %1").arg(until.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
        if (!m_waiting.isEmpty())
            text += m_waiting.size() == 1 ? tr(" · 1 call waiting")
                                          : tr(" · %1 calls waiting").arg(m_waiting.size());
        parts << text;
    }
    const int inFlight = m_transport ? m_transport->inFlight() : 0;
    if (inFlight > 0)
        parts << (inFlight == 1 ? tr("1 request in flight")
                                : tr("%1 requests in flight").arg(inFlight));
    setText(parts.join(QStringLiteral(" · ")));
    QStringList tips;
    for (auto it = m_families.cbegin(); it != m_families.cend(); ++it)
        tips << tr("%1 calls: the service asked to wait until %2")
                    .arg(it.key(), it.value().toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    setToolTip(tips.join(QLatin1Char('\n')));
    setStyleSheet(until.isValid()
                      ? QStringLiteral("#transportStatus { color: #b26a00; font-weight: bold; }")
                      : QString());
    setVisible(!parts.isEmpty());
    const bool pending = !parts.isEmpty();
    if (pending && !m_tick->isActive())
        m_tick->start();
    else if (!pending)
        m_tick->stop();
}

} // namespace pbi::ui
