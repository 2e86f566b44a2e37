#pragma once

// What the refresh UI tests share: a sandbox whose refreshes are quick and whose schedules do
// not fire on their own, a signed-in client, synchronous look-ups of workspaces and models, and
// dialogs answered by the test.

#include "SandboxFixture.h"
#include "WireClient.h"

#include "DialogSeam.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <functional>
#include <optional>

/// Answers the UI's questions the way the test says, and remembers what was asked.
class ScriptedDialogs final : public pbi::ui::DialogSeam {
public:
    QString savePath;
    bool confirmAnswer = true;
    int confirms = 0;
    QString lastConfirmTitle;
    QString lastConfirmText;
    QStringList informed;
    QString openFileName(QWidget*, const QString&, const QString&) override { return {}; }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override
    {
        return savePath;
    }
    bool confirm(QWidget*, const QString& title, const QString& text, const QString&) override
    {
        ++confirms;
        lastConfirmTitle = title;
        lastConfirmText = text;
        return confirmAnswer;
    }
    void inform(QWidget*, const QString&, const QString& text) override { informed << text; }
};

/// A clock the test moves by hand.
class ManualClock final : public pbi::Clock {
public:
    QDateTime t = QDateTime(QDate(2026, 3, 2), QTime(12, 0), Qt::UTC);
    QDateTime now() const override { return t; }
};

/// Refreshes in the sandbox end after a few seconds and show in the history after a moment,
/// like the service's; schedules stay quiet so nothing refreshes behind a test's back.
inline pbi::sandbox::SandboxOptions quickRefreshes(std::int64_t durationMs = 2500)
{
    pbi::sandbox::SandboxOptions o;
    o.refreshSchedules = false;
    o.refreshDurationMs = durationMs;
    o.refreshVisibilityDelayMs = 1500;
    return o;
}

/// Waits (the event loop running) for an asynchronous core call; nullopt on timeout.
template <typename T>
std::optional<pbi::Result<T>>
await(const std::function<void(QObject*, pbi::PowerBiClient::Callback<T>)>& call,
      int timeoutMs = 15000)
{
    std::optional<pbi::Result<T>> out;
    QObject context;
    call(&context, [&out](pbi::Result<T> r) { out.emplace(std::move(r)); });
    QElapsedTimer t;
    t.start();
    while (!out && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return out;
}

struct RefreshRig {
    explicit RefreshRig(pbi::sandbox::SandboxOptions options = quickRefreshes())
        : f(options)
        , credential(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                     f.clientSecret())
        , client(&f.transport, &credential, f.cloud())
    {}

    std::optional<pbi::Workspace> workspace(const QString& name)
    {
        const auto r = await<std::vector<pbi::Workspace>>(
            [this](QObject* c, auto cb) { client.listWorkspaces(c, cb); });
        if (!r || !*r)
            return std::nullopt;
        for (const auto& w : r->value())
            if (w.name == name)
                return w;
        return std::nullopt;
    }

    std::optional<pbi::Dataset> dataset(const QString& groupId, const QString& name)
    {
        const auto r = await<std::vector<pbi::Dataset>>(
            [this, groupId](QObject* c, auto cb) { client.listDatasets(groupId, c, cb); });
        if (!r || !*r)
            return std::nullopt;
        for (const auto& d : r->value())
            if (d.name == name)
                return d;
        return std::nullopt;
    }

    QString token()
    {
        std::optional<pbi::Result<pbi::AccessToken>> out;
        QObject context;
        credential.requestToken(
            &context, [&out](pbi::Result<pbi::AccessToken> r) { out.emplace(std::move(r)); });
        QElapsedTimer t;
        t.start();
        while (!out && t.elapsed() < 15000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        return out && *out ? out->value().value : QString();
    }

    /// POST …/Default.TakeOver: makes the demo app the model's owner (schedules need that).
    int takeOver(const QString& groupId, const QString& datasetId)
    {
        const WireReply r =
            wireSend("POST",
                     f.url(QStringLiteral("/v1.0/myorg/groups/%1/datasets/%2/Default.TakeOver")
                               .arg(groupId, datasetId)),
                     {{"Authorization", "Bearer " + token().toLatin1()}});
        return r.status;
    }

    /// The request log's entries with this method whose path ends with `suffix`.
    int calls(const QByteArray& method, const QString& suffix) const
    {
        int n = 0;
        for (const auto& e : f.log.entries())
            if (e.method == method && e.url.path().endsWith(suffix))
                ++n;
        return n;
    }

    SandboxFixture f;
    pbi::ClientSecretCredential credential;
    pbi::PowerBiClient client;
};
