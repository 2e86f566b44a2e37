#pragma once

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "auth/Cloud.h"
#include "http/RequestLog.h"
#include "http/Transport.h"
#include "profiles/ConnectionProfile.h"

#include "Sandbox.h"
#include "TestPrinters.h"

#include <QNetworkAccessManager>
#include <QUrl>

#include <memory>
#include <tuple>
#include <utility>

/// A demo sandbox tenant on a free loopback port, plus the core's infrastructure to talk to it.
class SandboxFixture {
public:
    explicit SandboxFixture(pbi::sandbox::SandboxOptions options = {});
    ~SandboxFixture();

    pbi::sandbox::Sandbox& sandbox() { return *m_sandbox; }
    QUrl base() const;
    QUrl url(const QString& path) const;
    pbi::Cloud cloud() const;
    QString tenantId() const;
    QString clientId() const;
    QString clientSecret() const;
    /// An unsaved connection that reaches this sandbox like a real tenant would: a custom
    /// cloud with the sandbox as authority and API base, and the demo app's ids.
    pbi::ConnectionProfile profile(const QString& name) const;
    /// The demo app's service principal (client secret) and a Power BI client signed in as it,
    /// through this fixture's transport: what most core tests start from.
    std::pair<std::unique_ptr<pbi::ClientSecretCredential>, std::unique_ptr<pbi::PowerBiClient>>
    servicePrincipal();
    /// The ids of a workspace the client sees and of one of its semantic models, found by name
    /// through the client; empty strings when either is missing (the test checks).
    static std::pair<QString, QString> findModel(pbi::PowerBiClient& client, const QString& workspace,
                                                 const QString& model);

    pbi::SystemClock clock;
    QNetworkAccessManager network;
    pbi::RequestLog log;
    pbi::Transport transport;

private:
    std::unique_ptr<pbi::sandbox::Sandbox> m_sandbox;
};
