#include "SandboxFixture.h"

#include "Tenant.h"

#include <QTest>

#include <optional>
#include <stdexcept>

SandboxFixture::SandboxFixture(pbi::sandbox::SandboxOptions options)
    : transport(&network, &clock, &log)
    , m_sandbox(std::make_unique<pbi::sandbox::Sandbox>(pbi::sandbox::makeDemoTenant(), options))
{
    std::string error;
    if (!m_sandbox->start(&error))
        throw std::runtime_error("sandbox did not start: " + error);
}

SandboxFixture::~SandboxFixture()
{
    transport.cancelAll();
    // Close the kept-alive connections first, so the server's workers need not wait them out.
    network.clearConnectionCache();
    m_sandbox->stop();
}

QUrl SandboxFixture::base() const
{
    return QUrl(QString::fromStdString(m_sandbox->baseUrl()));
}

QUrl SandboxFixture::url(const QString& path) const
{
    return QUrl(QString::fromStdString(m_sandbox->baseUrl()) + path);
}

pbi::Cloud SandboxFixture::cloud() const
{
    return pbi::Cloud::sandbox(base());
}

QString SandboxFixture::tenantId() const
{
    return QString::fromLatin1(pbi::sandbox::demo::kTenantId);
}

QString SandboxFixture::clientId() const
{
    return QString::fromLatin1(pbi::sandbox::demo::kAppClientId);
}

QString SandboxFixture::clientSecret() const
{
    return QString::fromLatin1(pbi::sandbox::demo::kAppSecret);
}

pbi::ConnectionProfile SandboxFixture::profile(const QString& name) const
{
    pbi::ConnectionProfile p;
    p.displayName = name;
    p.environment = pbi::Environment::Test;
    p.cloud = pbi::Cloud::Id::Custom;
    p.customAuthority = base().toString();
    p.customApiBase = base().toString();
    p.customResource = QStringLiteral("https://analysis.windows.net/powerbi/api");
    p.tenant = tenantId();
    p.clientId = clientId();
    return p;
}

std::pair<std::unique_ptr<pbi::ClientSecretCredential>, std::unique_ptr<pbi::PowerBiClient>>
SandboxFixture::servicePrincipal()
{
    auto credential = std::make_unique<pbi::ClientSecretCredential>(&transport, &clock, cloud(), tenantId(),
                                                                    clientId(), clientSecret());
    auto client = std::make_unique<pbi::PowerBiClient>(&transport, credential.get(), cloud());
    return {std::move(credential), std::move(client)};
}

std::pair<QString, QString> SandboxFixture::findModel(pbi::PowerBiClient& client, const QString& workspace,
                                                     const QString& model)
{
    QObject context;
    std::optional<pbi::Result<std::vector<pbi::Workspace>>> ws;
    client.listWorkspaces(&context, [&](pbi::Result<std::vector<pbi::Workspace>> r) { ws = std::move(r); });
    if (!QTest::qWaitFor([&] { return ws.has_value(); }, 20000) || !*ws)
        return {};
    QString groupId;
    for (const auto& w : ws->value())
        if (w.name == workspace)
            groupId = w.id;
    if (groupId.isEmpty())
        return {};
    std::optional<pbi::Result<std::vector<pbi::Dataset>>> ds;
    client.listDatasets(groupId, &context, [&](pbi::Result<std::vector<pbi::Dataset>> r) { ds = std::move(r); });
    if (!QTest::qWaitFor([&] { return ds.has_value(); }, 20000) || !*ds)
        return {groupId, {}};
    for (const auto& d : ds->value())
        if (d.name == model)
            return {groupId, d.id};
    return {groupId, {}};
}
