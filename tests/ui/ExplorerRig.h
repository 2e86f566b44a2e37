#pragma once

// What the explorer's window tests share: the main window on a sandbox tenant through the real
// client, at member or admin scope, with file and message questions answered by the test.

#include "SandboxFixture.h"

#include "DialogSeam.h"
#include "MainWindow.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

#include <QSignalSpy>
#include <QStringList>
#include <QTest>
#include <QTreeView>

#include <memory>

/// Answers file questions from queues the test fills, and remembers what it was told.
class QueuedDialogs final : public pbi::ui::DialogSeam {
public:
    QStringList openPaths;
    QStringList savePaths;
    QStringList informed;
    QString openFileName(QWidget*, const QString&, const QString&) override
    {
        return openPaths.isEmpty() ? QString() : openPaths.takeFirst();
    }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override
    {
        return savePaths.isEmpty() ? QString() : savePaths.takeFirst();
    }
    bool confirm(QWidget*, const QString&, const QString&, const QString&) override { return true; }
    void inform(QWidget*, const QString&, const QString& text) override { informed << text; }
};

inline pbi::ui::ConnectionDescription sandboxConnection(bool adminScope)
{
    pbi::ui::ConnectionDescription d;
    d.title =
        adminScope ? QStringLiteral("Sandbox tenant (admin)") : QStringLiteral("Sandbox tenant");
    d.subtitle = QStringLiteral("local emulator");
    d.color = QColor(0x1b, 0x6e, 0x6a);
    d.isSandbox = true;
    d.environmentName = QStringLiteral("Sandbox");
    d.servicePrincipal = true;
    d.adminScope = adminScope;
    return d;
}

/// The sandbox's documented admin throttling off: tests inject the 429s they mean.
inline pbi::sandbox::SandboxOptions explorerSandbox()
{
    pbi::sandbox::SandboxOptions o;
    o.throttleScale = 0;
    o.refreshSchedules = false;
    return o;
}

/// Another app registration of the tenant (client id, secret) instead of the demo app.
struct OtherApp {
    QString clientId;
    QString secret;
};

struct ExplorerRig {
    explicit ExplorerRig(bool adminScope, pbi::sandbox::SandboxOptions options = explorerSandbox(),
                         const OtherApp& app = {})
        : f(options)
        , credential(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                     app.clientId.isEmpty() ? f.clientId() : app.clientId,
                     app.clientId.isEmpty() ? f.clientSecret() : app.secret)
        , client(&f.transport, &credential, f.cloud())
        , window(std::make_unique<pbi::ui::MainWindow>(&client, sandboxConnection(adminScope)))
    {
        window->setRequestLog(&f.log);
        window->setDialogs(&dialogs);
        window->resize(1280, 780);
        window->show();
        // Shortcuts reach an active window only.
        [[maybe_unused]] const bool active = QTest::qWaitForWindowActive(window.get());
    }
    ~ExplorerRig()
    {
        window.reset(); // before the client and the transport it uses
    }
    /// Reloads whatever the window shows and waits for the end; true when it succeeded.
    bool load(int timeoutMs = 20000)
    {
        QSignalSpy done(window.get(), &pbi::ui::MainWindow::loadFinished);
        window->reload();
        return done.wait(timeoutMs) && done.at(0).at(0).toBool();
    }
    /// The first top-level row of the view with this name.
    QModelIndex workspaceRow(const QString& name) const
    {
        auto* m = window->tree()->model();
        for (int i = 0; i < m->rowCount(); ++i)
            if (m->index(i, 0).data().toString() == name)
                return m->index(i, 0);
        return {};
    }

    SandboxFixture f;
    QueuedDialogs dialogs;
    pbi::ClientSecretCredential credential;
    pbi::PowerBiClient client;
    std::unique_ptr<pbi::ui::MainWindow> window;
};
