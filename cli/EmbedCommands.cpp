// pbictl embed token …: the embed-token tester on the command line — the pre-flight verdict,
// then the service's answer, the expiry, and the call as cURL.

#include "Cli.h"

#include "CliOptions.h"
#include "ExitCodes.h"

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "embed/EmbedFacts.h"
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
        withWorkspace(e.workspace, [=, this](const Workspace& w) {
            // The same facts and defaults as the window's tester (core/embed/EmbedFacts).
            embed::gatherWorkspaceFacts(client, w, this, [=, this](Result<embed::WorkspaceFacts> got) {
                if (!got)
                    return fail(got.error());
                const embed::WorkspaceFacts& facts = got.value();
                QString itemId;
                QString itemName;
                if (e.model) {
                    for (const Dataset& d : facts.datasets)
                        if (d.id.compare(e.item, Qt::CaseInsensitive) == 0 || d.name.compare(e.item, Qt::CaseInsensitive) == 0) {
                            itemId = d.id;
                            itemName = d.name;
                        }
                } else {
                    for (const Report& r : facts.reports)
                        if (r.id.compare(e.item, Qt::CaseInsensitive) == 0 || r.name.compare(e.item, Qt::CaseInsensitive) == 0) {
                            itemId = r.id;
                            itemName = r.name;
                        }
                }
                if (itemId.isEmpty()) {
                    *m_ctx.err << "pbictl: workspace '" << w.name << "' has no "
                               << (e.model ? "semantic model" : "report") << " called or with the id '" << e.item
                               << "'.\n";
                    return finish(ExitNotFound);
                }
                const embed::ItemKind kind = e.model ? embed::ItemKind::Dataset : embed::ItemKind::Report;
                // Identities apply to the item's model unless the user said otherwise.
                const GenerateTokenRequest req = embed::completed(facts, kind, itemId, e.request);
                embed::PreflightInput in = embed::preflightInput(facts, kind, itemId, req, m_ctx.clock->now());
                if (!facts.servicePrincipal)
                    in.servicePrincipal = isServicePrincipal();
                const auto findings = embed::preflight(in);
                nlohmann::json jFindings = nlohmann::json::array();
                for (const auto& f : findings)
                    jFindings.push_back({{"severity", s(embed::severityName(f.severity))},
                                         {"field", s(f.field)},
                                         {"message", s(f.message)},
                                         {"fix", s(f.fix)}});
                if (!m_options->json) {
                    *m_ctx.out << "Pre-flight for " << (e.model ? "model '" : "report '") << itemName << "' in '"
                               << w.name << "':\n";
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
                        // The service's refusal, with the fix in embed-token terms where the facts explain it.
                        Error refusal = r.error();
                        refusal.hint = embed::refusalFix(refusal, facts);
                        return fail(refusal);
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
                embed::generate(*client, w.id, kind, itemId, req, this, done);
            });
        });
    });
}

} // namespace pbi::cli
