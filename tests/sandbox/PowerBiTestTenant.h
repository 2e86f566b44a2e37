#pragma once

// Shared by the Power BI sandbox tests: a sandbox over any tenant on a free loopback port,
// app-only tokens from its Entra emulation, and raw GETs against /v1.0/myorg.

#include "WireClient.h"

#include "Sandbox.h"
#include "Tenant.h"

#include <QUrl>
#include <QUrlQuery>

#include <memory>
#include <stdexcept>

class PowerBiTestTenant {
public:
    explicit PowerBiTestTenant(pbi::sandbox::Tenant tenant,
                               pbi::sandbox::SandboxOptions options = {})
        : m_tenant(tenant)
        , m_sandbox(std::make_unique<pbi::sandbox::Sandbox>(std::move(tenant), options)) {
        std::string error;
        if (!m_sandbox->start(&error))
            throw std::runtime_error("sandbox did not start: " + error);
    }

    const pbi::sandbox::Tenant& tenant() const { return m_tenant; }
    pbi::sandbox::Sandbox& sandbox() { return *m_sandbox; }

    /// "Bearer …" for an app registration of the tenant (client credentials, first secret).
    QByteArray appBearer(const pbi::sandbox::AppRegistration& app) {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("client_id"), QString::fromStdString(app.clientId));
        form.addQueryItem(QStringLiteral("client_secret"),
                          QString::fromLatin1(
                              QUrl::toPercentEncoding(QString::fromStdString(app.secrets.at(0)))));
        form.addQueryItem(
            QStringLiteral("scope"),
            QStringLiteral("https%3A%2F%2Fanalysis.windows.net%2Fpowerbi%2Fapi%2F.default"));
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("client_credentials"));
        const WireReply r = wireSend(
            "POST",
            url(QStringLiteral("/%1/oauth2/v2.0/token").arg(QString::fromStdString(m_tenant.id))),
            {qMakePair(QByteArray("Content-Type"),
                       QByteArray("application/x-www-form-urlencoded"))},
            form.toString(QUrl::FullyEncoded).toLatin1());
        if (r.status != 200)
            return {};
        return "Bearer " + QByteArray::fromStdString(r.json()["access_token"].get<std::string>());
    }

    /// "Bearer …" for a user of the tenant: the password grant through the demo's public
    /// client, with the scopes it has consent for. Empty when the grant is refused.
    QByteArray userBearer(const pbi::sandbox::User& user, const QString& clientId) {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("client_id"), clientId);
        form.addQueryItem(QStringLiteral("username"),
                          QString::fromLatin1(QUrl::toPercentEncoding(
                              QString::fromStdString(user.userPrincipalName))));
        form.addQueryItem(QStringLiteral("password"), QString::fromLatin1(QUrl::toPercentEncoding(
                                                          QString::fromStdString(user.password))));
        form.addQueryItem(
            QStringLiteral("scope"),
            QStringLiteral("https%3A%2F%2Fanalysis.windows.net%2Fpowerbi%2Fapi%2F.default"));
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("password"));
        const WireReply r = wireSend(
            "POST",
            url(QStringLiteral("/%1/oauth2/v2.0/token").arg(QString::fromStdString(m_tenant.id))),
            {qMakePair(QByteArray("Content-Type"),
                       QByteArray("application/x-www-form-urlencoded"))},
            form.toString(QUrl::FullyEncoded).toLatin1());
        if (r.status != 200)
            return {};
        return "Bearer " + QByteArray::fromStdString(r.json()["access_token"].get<std::string>());
    }

    QUrl url(const QString& pathAndQuery) const {
        return QUrl(QString::fromStdString(m_sandbox->baseUrl()) + pathAndQuery);
    }

    /// GET /v1.0/myorg + `path` (which may carry a query, e.g. "/admin/groups?$top=10").
    WireReply get(const QByteArray& bearer, const QString& path) const {
        QList<QPair<QByteArray, QByteArray>> h;
        if (!bearer.isEmpty())
            h.append(qMakePair(QByteArray("Authorization"), bearer));
        return wireSend("GET",
                        QUrl(QString::fromStdString(m_sandbox->baseUrl()) +
                                 QStringLiteral("/v1.0/myorg") + path,
                             QUrl::TolerantMode),
                        h);
    }

    const pbi::sandbox::Workspace& workspace(const std::string& name) const {
        for (const auto& w : m_tenant.workspaces)
            if (w.name == name)
                return w;
        throw std::runtime_error("no workspace " + name);
    }

private:
    pbi::sandbox::Tenant m_tenant;
    std::unique_ptr<pbi::sandbox::Sandbox> m_sandbox;
};

inline QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
