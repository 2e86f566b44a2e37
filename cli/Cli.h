#pragma once

#include "api/Items.h"
#include "api/Workspace.h"
#include "http/Result.h"
#include "profiles/Session.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QSettings;
class QTextStream;

namespace pbi {
class Clock;
class ProfileStore;
class RequestLog;
class SecretStore;
} // namespace pbi

namespace pbi::cli {

/// Everything pbictl talks to, built by main() (and by tests with their own streams).
struct CliContext {
    QTextStream* out = nullptr;
    QTextStream* err = nullptr;
    std::function<QByteArray()> readStdin;
    std::function<QString(const char*)> environment;
    bool progressOnStderr = false; ///< stderr is a terminal: show live progress lines
    QSettings* settings = nullptr;
    pbi::SecretStore* secrets = nullptr;
    const pbi::Clock* clock = nullptr;
    QNetworkAccessManager* network = nullptr;
    pbi::RequestLog* log = nullptr;
    std::function<pbi::Result<pbi::SandboxEndpoint>()> startSandbox;
};

/// pbictl: parses the command line, runs one command on the core, prints a table (or JSON
/// with --json), and finishes with a documented exit code. Never prints a secret; prints a
/// token only for `token get`, whose purpose that is.
class Cli : public QObject {
    Q_OBJECT
public:
    explicit Cli(CliContext context, QObject* parent = nullptr);
    ~Cli() override;

    /// Starts the command; finished() follows once, never synchronously.
    void start(const QStringList& arguments);

    static QString helpText();

Q_SIGNALS:
    void finished(int exitCode);

private:
    struct Options;
    void finish(int code);
    void fail(const pbi::Error& error);
    void usage(const QString& message);
    bool resolveProfile();
    void withSession(std::function<void()> then);

    void cmdProfiles();
    void cmdWorkspaces();
    void cmdWhoAmI();
    void cmdTokenDecode();
    void cmdTokenGet();
    void cmdSnapshotSave();
    void cmdSnapshotDiff();

    // refresh … (RefreshCommands.cpp)
    void cmdRefresh();
    void refreshHistory(const pbi::Workspace& w, const pbi::Dataset& d, int top);
    void refreshTrigger(const pbi::Workspace& w, const pbi::Dataset& d, const QStringList& options);
    void refreshCancel(const pbi::Workspace& w, const pbi::Dataset& d, const QString& requestId);
    void refreshSchedule(const pbi::Workspace& w, const pbi::Dataset& d, const QStringList& options);
    void refreshMonitor(const QStringList& options);
    /// Finds a workspace and a model in it by id or (case-insensitive) name; usage error when
    /// none or several match.
    void resolveModel(const QString& workspace, const QString& model,
                      std::function<void(const pbi::Workspace&, const pbi::Dataset&)> then);
    bool isServicePrincipal() const;
    /// Finds a workspace the identity can see by id or (case-insensitive) name; not found is
    /// exit 5, several of that name exit 2 with their ids.
    void withWorkspace(const QString& nameOrId, std::function<void(const pbi::Workspace&)> then);

    // embed … (EmbedCommands.cpp)
    void cmdEmbed();

    // probe, items, show, workspaces --admin (ItemCommands.cpp)
    void cmdProbe();
    void cmdItems();
    void cmdShow();
    void adminWorkspaces(const QString& filter);

    // readiness (ReadinessCommands.cpp)
    void cmdReadiness();

    CliContext m_ctx;
    std::unique_ptr<Options> m_options;
    std::unique_ptr<pbi::ProfileStore> m_profiles;
    std::shared_ptr<pbi::Session> m_session;
    std::unique_ptr<QObject> m_job; ///< a long-running command's worker (inventory)
    bool m_finished = false;
};

} // namespace pbi::cli
