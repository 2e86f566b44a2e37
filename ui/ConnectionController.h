#pragma once

#include "ConnectionDialog.h"

#include "http/Result.h"
#include "profiles/Session.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>

namespace pbi {
class Clock;
class PowerBiClient;
class ProfileStore;
class TokenProvider;
class Transport;
struct ConnectionProfile;
} // namespace pbi

namespace pbi::ui {

class DialogSeam;
class MainWindow;

/// Turns a saved profile into a live connection for the main window: reads its secrets from
/// the store, builds the credential, and swaps the window's client. Owns the current session.
class ConnectionController : public QObject {
    Q_OBJECT
public:
    using SandboxStarter = std::function<pbi::Result<pbi::SandboxEndpoint>()>;
    using TransportFactory = std::function<std::unique_ptr<pbi::Transport>()>;

    ConnectionController(pbi::ProfileStore* profiles, TransportFactory makeTransport,
                         const pbi::Clock* clock, SandboxStarter startSandbox, MainWindow* window,
                         DialogSeam* dialogs, QObject* parent = nullptr);
    ~ConnectionController() override;

    /// Connects the window to a profile ("sandbox" for the built-in one). Asynchronous.
    void connectTo(const QString& profileId);
    /// Opens the connection manager (modal).
    void openManager();
    /// "Test connection" for the manager: a throwaway session per test.
    ConnectionDialog::Tester tester();

    QString currentProfileId() const { return m_currentId; }

Q_SIGNALS:
    /// A connection attempt ended: the window shows the client, or the reason it could not.
    void connected(const QString& profileId, bool ok);

private:
    using Session = pbi::Session;
    /// Builds a session for `profile` with `secret` (typed or stored) and the stored refresh token.
    pbi::Result<std::shared_ptr<Session>> makeSession(const pbi::ConnectionProfile& profile,
                                                      const QString& secret,
                                                      const QString& refreshToken);
    void finishConnect(const pbi::ConnectionProfile& profile, const QString& secret,
                       const QString& refreshToken);
    void wireDelegated(const pbi::ConnectionProfile& profile, Session& session);

    pbi::ProfileStore* m_profiles;
    TransportFactory m_makeTransport;
    const pbi::Clock* m_clock;
    SandboxStarter m_startSandbox;
    QPointer<MainWindow> m_window;
    DialogSeam* m_dialogs;
    std::shared_ptr<Session> m_session;
    QString m_currentId;
    std::optional<pbi::SandboxEndpoint> m_sandbox;
};

} // namespace pbi::ui
