// pbictl embed token …: the embed-token tester on the command line — the pre-flight verdict,
// then the service's answer, the expiry, and the call as cURL.

#include "Cli.h"

#include "CliOptions.h"
#include "ExitCodes.h"

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/TokenProvider.h"
#include "embed/EmbedPreflight.h"
#include "http/RequestLog.h"

#include <nlohmann/json.hpp>

#include <QTextStream>

namespace pbi::cli {

namespace {

std::string s(const QString& v)
{
    return v.toStdString();
}

struct EmbedArgs {
    QString workspace;
    QString item;
    bool model = false;
    bool dryRun = false;
    bool sendAnyway = false;
    bool curl = false;
    bool showToken = false;
    GenerateTokenRequest request;
};

} // namespace

void Cli::cmdEmbed()
{
    const QStringList& a = m_options->args;
    if (a.value(0) != QLatin1String("token"))
        return usage(QStringLiteral("'embed' needs 'token WS ITEM'."));
    if (a.size() < 3 || a[1].startsWith(QLatin1String("--")) || a[2].startsWith(QLatin1String("--")))
        return usage(QStringLiteral("'embed token' needs a workspace and a report (or --model and a model)."));
    EmbedArgs e;
    e.workspace = a[1];
    e.item = a[2];
    for (int i = 3; i < a.size(); ++i) {
        const QString& o = a[i];
        bool ok = true;
        if (o == QLatin1String("--model")) {
            e.model = true;
        } else if (o == QLatin1String("--dry-run")) {
            e.dryRun = true;
        } else if (o == QLatin1String("--send-anyway")) {
            e.sendAnyway = true;
        } else if (o == QLatin1String("--curl")) {
            e.curl = true;
        } else if (o == QLatin1String("--show-token")) {
            e.showToken = true;
        } else if (o == QLatin1String("--identity") && i + 1 < a.size()) {
            const QString v = a[++i];
            EffectiveIdentity id;
            id.username = v.section(QLatin1Char(':'), 0, 0);
            const QString roles = v.section(QLatin1Char(':'), 1);
            if (!roles.isEmpty())
                id.roles = roles.split(QLatin1Char(','), Qt::SkipEmptyParts);
            e.request.identities.push_back(id);
        } else if (o == QLatin1String("--lifetime") && i + 1 < a.size()) {
            e.request.lifetimeInMinutes = a[++i].toInt(&ok);
        } else if (o == QLatin1String("--access") && i + 1 < a.size()) {
            e.request.accessLevel = a[++i];
        } else {
            return usage(QStringLiteral("embed token: unknown option or missing value: '%1'.").arg(o));
        }
        if (!ok)
            return usage(QStringLiteral("embed token: '%1' needs a number.").arg(o));
    }

    withSession([this, e] {
        auto* client = m_session->client.get();
        withWorkspace(e.workspace, [=, this](const Workspace& found) {
            const std::optional<Workspace> w = found;
            client->listDatasets(w->id, this, [=, this](Result<std::vector<Dataset>> ds) {
                if (!ds)
                    return fail(ds.error());
                client->listReports(w->id, this, [=, this](Result<std::vector<Report>> rs) {
                    if (!rs)
                        return fail(rs.error());
                    // The item and the model whose RLS rules apply.
                    QString itemId;
                    QString modelId;
                    QString itemName;
                    if (e.model) {
                        for (const Dataset& d : ds.value())
                            if (d.id.compare(e.item, Qt::CaseInsensitive) == 0 || d.name.compare(e.item, Qt::CaseInsensitive) == 0) {
                                itemId = modelId = d.id;
                                itemName = d.name;
                            }
                    } else {
                        for (const Report& r : rs.value())
                            if (r.id.compare(e.item, Qt::CaseInsensitive) == 0 || r.name.compare(e.item, Qt::CaseInsensitive) == 0) {
                                itemId = r.id;
                                itemName = r.name;
                                modelId = r.datasetId.value_or(QString());
                            }
                    }
                    if (itemId.isEmpty()) {
                        *m_ctx.err << "pbictl: workspace '" << w->name << "' has no "
                                   << (e.model ? "semantic model" : "report") << " called or with the id '" << e.item
                                   << "'.\n";
                        return finish(ExitNotFound);
                    }
                    GenerateTokenRequest req = e.request;
                    embed::PreflightInput in;
                    in.servicePrincipal = isServicePrincipal();
                    in.premium = w->isOnDedicatedCapacity;
                    in.accessLevel = req.accessLevel;
                    in.reportCount = e.model ? 0 : 1;
                    for (const Dataset& d : ds.value())
                        if (d.id == modelId)
                            in.models.push_back({d.id, d.name, d.isEffectiveIdentityRequired,
                                                 d.isEffectiveIdentityRolesRequired, {}});
                    // Identities apply to the item's model unless the user said otherwise.
                    for (EffectiveIdentity& id : req.identities)
                        if (id.datasets.isEmpty() && !modelId.isEmpty())
                            id.datasets = {modelId};
                    in.identities = req.identities;
                    in.lifetimeInMinutes = req.lifetimeInMinutes;
                    m_session->credential->requestToken(this, [=, this](Result<AccessToken> token) mutable {
                        if (!token)
                            return fail(token.error());
                        in.accessTokenExpiry = token.value().expiresAt;
                        in.now = m_ctx.clock->now();
                        const auto findings = embed::preflight(in);
                        nlohmann::json jFindings = nlohmann::json::array();
                        for (const auto& f : findings)
                            jFindings.push_back({{"severity", s(embed::severityName(f.severity))},
                                                 {"field", s(f.field)},
                                                 {"message", s(f.message)},
                                                 {"fix", s(f.fix)}});
                        if (!m_options->json) {
                            *m_ctx.out << "Pre-flight for " << (e.model ? "model '" : "report '") << itemName << "' in '"
                                       << w->name << "':\n";
                            if (findings.empty())
                                *m_ctx.out << "  nothing the service would refuse.\n";
                            for (const auto& f : findings) {
                                *m_ctx.out << "  " << embed::severityName(f.severity) << ": " << f.message << '\n';
                                if (!f.fix.isEmpty())
                                    *m_ctx.out << "    Fix: " << f.fix << '\n';
                            }
                        }
                        const bool refused = embed::hasErrors(findings);
                        if (e.dryRun || (refused && !e.sendAnyway)) {
                            if (m_options->json)
                                *m_ctx.out << QString::fromStdString(
                                                  nlohmann::json{{"preflight", jFindings}, {"sent", false}}.dump(2))
                                           << '\n';
                            else if (refused && !e.dryRun)
                                *m_ctx.out << "Not sent: the service would refuse it (--send-anyway sends it all the same).\n";
                            return finish(refused ? ExitUsage : ExitOk);
                        }
                        auto done = [=, this](Result<EmbedToken> r) {
                            if (!r) {
                                if (m_options->json)
                                    *m_ctx.out << QString::fromStdString(
                                                      nlohmann::json{{"preflight", jFindings}, {"sent", true}}.dump(2))
                                               << '\n';
                                return fail(r.error());
                            }
                            const EmbedToken& t = r.value();
                            const qint64 minutes = m_ctx.clock->now().secsTo(t.expiration) / 60;
                            QString curl;
                            if (e.curl && m_ctx.log && !m_ctx.log->entries().empty())
                                curl = m_ctx.log->entries().back().toCurl();
                            if (m_options->json) {
                                nlohmann::json j = {{"preflight", jFindings},
                                                    {"sent", true},
                                                    {"tokenId", s(t.tokenId)},
                                                    {"expiration", s(t.expiration.toString(Qt::ISODate))},
                                                    {"minutesLeft", minutes}};
                                if (e.showToken)
                                    j["token"] = s(t.token);
                                if (!curl.isEmpty())
                                    j["curl"] = s(curl);
                                *m_ctx.out << QString::fromStdString(j.dump(2)) << '\n';
                                return finish(ExitOk);
                            }
                            *m_ctx.out << "Embed token issued.\n"
                                       << "  Token id:   " << t.tokenId << '\n'
                                       << "  Expires:    " << t.expiration.toString(Qt::ISODate) << " (in " << minutes
                                       << " min)\n"
                                       << "  Token:      "
                                       << (e.showToken ? t.token : t.token.left(12) + QStringLiteral("… (--show-token prints it)"))
                                       << '\n';
                            if (!curl.isEmpty())
                                *m_ctx.out << "\n" << curl << '\n';
                            finish(ExitOk);
                        };
                        if (e.model)
                            client->generateDatasetToken(w->id, itemId, req, this, done);
                        else
                            client->generateReportToken(w->id, itemId, req, this, done);
                    });
                });
            });
        });
    });
}

} // namespace pbi::cli
