#include "Cli.h"

#include "CliOptions.h"
#include "ExitCodes.h"
#include "TableWriter.h"

#include "api/PowerBiClient.h"
#include "auth/JwtInspector.h"
#include "auth/TokenProvider.h"
#include "http/Transport.h"
#include "inventory/InventoryCollector.h"
#include "inventory/Snapshot.h"
#include "profiles/ConnectionCheck.h"
#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>

namespace pbi::cli {

namespace {

std::string s(const QString& v)
{
    return v.toStdString();
}

const char* kCommands[] = {"profiles", "workspaces", "whoami", "token", "snapshot", "refresh", "embed", "probe", "items", "show", "readiness"};

} // namespace


Cli::Cli(CliContext context, QObject* parent)
    : QObject(parent)
    , m_ctx(std::move(context))
    , m_options(std::make_unique<Options>())
{
}

Cli::~Cli() = default;

QString Cli::helpText()
{
    return QStringLiteral(
        "Usage: pbictl [global options] <command> [arguments]\n"
        "\n"
        "The PBI Console command line: the same core, connections and keychain as the window.\n"
        "\n"
        "Global options:\n"
        "  --profile NAME|ID   the saved connection to use (default: $PBICTL_PROFILE, else the\n"
        "                      one the window used last, else the sandbox tenant)\n"
        "  --sandbox           use the built-in sandbox tenant (started in-process)\n"
        "  --secret-stdin      read the client secret / pass phrase / password from standard\n"
        "                      input instead of the keychain ($PBI_CLIENT_SECRET works too)\n"
        "  --json              machine-readable output on standard output\n"
        "  -h, --help          this text\n"
        "\n"
        "Commands:\n"
        "  profiles                      list the saved connections\n"
        "  workspaces [--filter TEXT] [--admin|--member]\n"
        "                                list the workspaces the identity can see (admin: the whole\n"
        "                                tenant, paged; the default follows the connection's scope)\n"
        "  items WS [--kind reports|models|dashboards|dataflows|members]\n"
        "                                list what a workspace holds\n"
        "  show WS ITEM                  one item's properties (ITEM: a name or id of any kind)\n"
        "  probe [--no-admin]            which calls the identity may make, with the fix for each\n"
        "                                refusal\n"
        "  whoami                        sign in and say who the token says you are\n"
        "  token decode [TOKEN|-]        decode a token (from the argument or standard input)\n"
        "  token get                     print an access token for the connection\n"
        "  snapshot save FILE            save the inventory (workspaces and their items) to FILE\n"
        "  snapshot diff OLD NEW         what was added, removed or changed between two snapshots\n"
        "  refresh history WS MODEL [--top N]\n"
        "                                a model's refreshes, failures decoded (WS and MODEL: name or id)\n"
        "  refresh trigger WS MODEL [options] [--wait] [--yes]\n"
        "                                start a refresh; plain: --notify NoNotification|MailOnFailure|\n"
        "                                MailOnCompletion; enhanced: --type T --commit-mode M\n"
        "                                --max-parallelism N --retry-count N --timeout hh:mm:ss\n"
        "                                --object TABLE[/PARTITION] (repeatable) --no-refresh-policy\n"
        "                                --effective-date YYYY-MM-DD; --wait follows it to the end\n"
        "                                (exit 1 if it fails); production connections need --yes\n"
        "  refresh cancel WS MODEL REQUEST_ID\n"
        "                                cancel a running refresh (the requestId, not the numeric id)\n"
        "  refresh schedule WS MODEL [--days Mon,Tue,...] [--times 07:00,19:30] [--time-zone ID]\n"
        "                   [--notify NoNotification|MailOnFailure] [--enable|--disable] [--yes]\n"
        "                   [--take-over]\n"
        "                                show the schedule, or change what is given (only the model's\n"
        "                                owner may: --take-over makes the identity the owner first)\n"
        "  refresh history|trigger|cancel|schedule WS --dataflow NAME|ID [options]\n"
        "                                the same for a dataflow, as a user (service principals are\n"
        "                                refused): history [--top N]; trigger [--notify NoNotification|\n"
        "                                MailOnFailure] [--process-type default|processFull] [--wait]\n"
        "                                [--poll S] [--yes]; cancel TRANSACTION_ID; schedule sets only\n"
        "                                (the API cannot read a dataflow's schedule)\n"
        "  refresh monitor [--failed] [--running] [--hours N] [--filter TEXT] [--depth N]\n"
        "                                recent refreshes across every workspace in scope (admin\n"
        "                                connections read the admin refreshables)\n"
        "  embed token WS ITEM [--model] [--identity USER[:ROLE,ROLE...]]... [--lifetime MIN]\n"
        "              [--access View|Edit] [--dry-run] [--send-anyway] [--curl] [--show-token]\n"
        "                                check and generate an embed token for a report (or, with\n"
        "                                --model, a semantic model); --dry-run only checks; the\n"
        "                                token itself is shown only with --show-token\n"
        "  readiness [--workspace NAME|ID]... [--attestations FILE] [--export FILE.md|.csv|.json]...\n"
        "            [--fail-on fail|warn|never] [--naming REGEX] [--service-account NAME]...\n"
        "            [--stale-days N] [--no-probe] [--no-descriptions]\n"
        "                                the production-readiness checklist of the connection's\n"
        "                                integration (default: every workspace it can see); exit 1\n"
        "                                when not ready (--fail-on fail: a failure, or checks still\n"
        "                                needing an attestation; warn: also warnings; never: 0)\n"
        "  readiness --attestations FILE --attest CHECK=pass|fail|na --by NAME [--comment TEXT]\n"
        "                                record a person's attestation in the review FILE\n"
        "  readiness --list              the checks, how each is decided (docs/readiness.md)\n"
        "\n"
        "Exit codes:\n"
        "  0 ok  1 failure  2 usage  3 sign-in (auth)  4 permission  5 not found\n"
        "  6 throttled  7 network or timeout\n");
}

void Cli::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_ctx.out->flush();
    m_ctx.err->flush();
    // Never synchronously: the caller connects finished() after start().
    QTimer::singleShot(0, this, [this, code] { Q_EMIT finished(code); });
}

void Cli::fail(const pbi::Error& error)
{
    *m_ctx.err << "pbictl: " << error.details() << '\n';
    finish(exitCodeFor(error));
}

void Cli::usage(const QString& message)
{
    *m_ctx.err << "pbictl: " << message << "\nTry 'pbictl --help'.\n";
    finish(ExitUsage);
}

void Cli::start(const QStringList& arguments)
{
    // Global options come before the command; everything after the command is its own.
    int i = 1;
    for (; i < arguments.size(); ++i) {
        const QString& a = arguments[i];
        if (!a.startsWith(QLatin1Char('-')))
            break;
        if (a == QLatin1String("-h") || a == QLatin1String("--help")) {
            *m_ctx.out << helpText();
            return finish(ExitOk);
        } else if (a == QLatin1String("--json")) {
            m_options->json = true;
        } else if (a == QLatin1String("--sandbox")) {
            m_options->sandbox = true;
        } else if (a == QLatin1String("--secret-stdin")) {
            m_options->secretStdin = true;
        } else if (a == QLatin1String("--profile")) {
            if (i + 1 >= arguments.size())
                return usage(QStringLiteral("--profile needs a connection name or id."));
            m_options->profile = arguments[++i];
        } else if (a.startsWith(QLatin1String("--profile="))) {
            m_options->profile = a.mid(10);
        } else {
            return usage(QStringLiteral("unknown option '%1'.").arg(a));
        }
    }
    if (i >= arguments.size())
        return usage(QStringLiteral("no command given."));
    m_options->command = arguments[i];
    m_options->args = arguments.mid(i + 1);
    if (m_options->sandbox && !m_options->profile.isEmpty())
        return usage(QStringLiteral("--sandbox and --profile exclude each other."));

    m_profiles = std::make_unique<ProfileStore>(m_ctx.settings, m_ctx.secrets);
    const QString& c = m_options->command;
    if (c == QLatin1String("profiles"))
        return cmdProfiles();
    if (c == QLatin1String("workspaces"))
        return withSession([this] { cmdWorkspaces(); });
    if (c == QLatin1String("whoami"))
        return withSession([this] { cmdWhoAmI(); });
    if (c == QLatin1String("token")) {
        const QString sub = m_options->args.value(0);
        if (sub == QLatin1String("decode"))
            return cmdTokenDecode();
        if (sub == QLatin1String("get"))
            return withSession([this] { cmdTokenGet(); });
        return usage(QStringLiteral("'token' needs 'decode' or 'get'."));
    }
    if (c == QLatin1String("snapshot")) {
        const QString sub = m_options->args.value(0);
        if (sub == QLatin1String("save"))
            return withSession([this] { cmdSnapshotSave(); });
        if (sub == QLatin1String("diff"))
            return cmdSnapshotDiff();
        return usage(QStringLiteral("'snapshot' needs 'save FILE' or 'diff OLD NEW'."));
    }
    if (c == QLatin1String("refresh"))
        return cmdRefresh();
    if (c == QLatin1String("embed"))
        return cmdEmbed();
    if (c == QLatin1String("probe"))
        return withSession([this] { cmdProbe(); });
    if (c == QLatin1String("items"))
        return withSession([this] { cmdItems(); });
    if (c == QLatin1String("show"))
        return withSession([this] { cmdShow(); });
    if (c == QLatin1String("readiness"))
        return cmdReadiness();
    QStringList known;
    for (const char* k : kCommands)
        known << QLatin1String(k);
    usage(QStringLiteral("unknown command '%1' (commands: %2).").arg(c, known.join(QStringLiteral(", "))));
}

bool Cli::resolveProfile()
{
    QString wanted = m_options->profile;
    if (wanted.isEmpty() && !m_options->sandbox && m_ctx.environment)
        wanted = m_ctx.environment("PBICTL_PROFILE");
    if (m_options->sandbox || (wanted.isEmpty() && m_profiles->lastProfileId().isEmpty()) ||
        wanted == QLatin1String("sandbox")) {
        m_options->resolved = ProfileStore::sandboxProfile();
        return true;
    }
    if (wanted.isEmpty())
        wanted = m_profiles->lastProfileId();
    for (const auto& p : m_profiles->profiles()) {
        if (p.id == wanted || p.displayName.compare(wanted, Qt::CaseInsensitive) == 0) {
            m_options->resolved = p;
            return true;
        }
    }
    if (wanted == m_profiles->lastProfileId() && m_options->profile.isEmpty()) {
        m_options->resolved = ProfileStore::sandboxProfile(); // the last one was deleted
        return true;
    }
    usage(QStringLiteral("no saved connection is called '%1' (see 'pbictl profiles').").arg(wanted));
    return false;
}

void Cli::withSession(std::function<void()> then)
{
    if (!resolveProfile())
        return;
    const ConnectionProfile p = m_options->resolved;
    auto open = [this, p, then](const QString& secret, const QString& refreshToken) {
        std::optional<SandboxEndpoint> sandbox;
        if (p.builtIn) {
            auto started = m_ctx.startSandbox();
            if (!started)
                return fail(started.error());
            sandbox = started.value();
        }
        auto session = openSession(p, CredentialSecrets{secret, refreshToken},
                                   std::make_unique<Transport>(m_ctx.network, m_ctx.clock, m_ctx.log),
                                   m_ctx.clock, sandbox);
        if (!session)
            return fail(session.error());
        m_session = session.value();
        then();
    };
    const auto kind = typedSecretKind(p.credentialKind);
    if (p.builtIn || !kind)
        return open({}, {});
    QString secret;
    if (m_options->secretStdin)
        secret = QString::fromUtf8(m_ctx.readStdin()).trimmed();
    else if (m_ctx.environment)
        secret = m_ctx.environment("PBI_CLIENT_SECRET");
    if (!secret.isEmpty())
        return open(secret, {});
    m_profiles->readSecret(p.id, *kind, this, [this, open](Result<std::optional<QString>> r) {
        if (!r)
            return fail(r.error());
        open(r.value().value_or(QString()), {});
    });
}

void Cli::cmdProfiles()
{
    const auto profiles = m_profiles->profiles();
    const QString last = m_profiles->lastProfileId();
    if (m_options->json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : profiles)
            list.push_back({{"id", s(p.id)},
                            {"name", s(p.displayName)},
                            {"environment", s(p.environmentName())},
                            {"tenant", s(p.tenant)},
                            {"clientId", s(p.clientId)},
                            {"signIn", s(credentialKindName(p.credentialKind))},
                            {"scope", p.scope == ApiScope::Admin ? "admin" : "member"},
                            {"lastUsed", p.id == last}});
        *m_ctx.out << QString::fromStdString(list.dump(2)) << '\n';
        return finish(ExitOk);
    }
    TableWriter table({QStringLiteral("Name"), QStringLiteral("Environment"), QStringLiteral("Tenant"),
                       QStringLiteral("Sign-in"), QStringLiteral("Scope"), QStringLiteral("Id")});
    table.addRow({QStringLiteral("sandbox"), QStringLiteral("Sandbox"), QStringLiteral("(built in)"),
                  QStringLiteral("Service principal (client secret)"), QStringLiteral("member"),
                  QStringLiteral("sandbox")});
    for (const auto& p : profiles)
        table.addRow({p.displayName + (p.id == last ? QStringLiteral(" *") : QString()), p.environmentName(),
                      p.tenant, credentialKindName(p.credentialKind),
                      p.scope == ApiScope::Admin ? QStringLiteral("admin") : QStringLiteral("member"), p.id});
    table.write(*m_ctx.out);
    finish(ExitOk);
}

void Cli::cmdWorkspaces()
{
    QString filter;
    bool admin = m_options->resolved.scope == ApiScope::Admin;
    const QStringList& a = m_options->args;
    for (int i = 0; i < a.size(); ++i) {
        if (a[i] == QLatin1String("--filter") && i + 1 < a.size())
            filter = a[++i];
        else if (a[i] == QLatin1String("--admin"))
            admin = true;
        else if (a[i] == QLatin1String("--member"))
            admin = false;
        else
            return usage(QStringLiteral("workspaces: unexpected argument '%1'.").arg(a[i]));
    }
    if (admin)
        return adminWorkspaces(filter);
    m_session->client->listWorkspaces(this, [this, filter](Result<std::vector<Workspace>> r) {
        if (!r)
            return fail(r.error());
        std::vector<Workspace> list;
        for (auto& w : r.value())
            if (filter.isEmpty() || w.name.contains(filter, Qt::CaseInsensitive) ||
                w.id.contains(filter, Qt::CaseInsensitive))
                list.push_back(std::move(w));
        std::sort(list.begin(), list.end(), [](const Workspace& x, const Workspace& y) {
            return x.name.compare(y.name, Qt::CaseInsensitive) < 0;
        });
        if (m_options->json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& w : list) {
                nlohmann::json j = {{"id", s(w.id)},
                                    {"name", s(w.name)},
                                    {"isReadOnly", w.isReadOnly},
                                    {"isOnDedicatedCapacity", w.isOnDedicatedCapacity}};
                if (w.capacityId)
                    j["capacityId"] = s(*w.capacityId);
                out.push_back(std::move(j));
            }
            *m_ctx.out << QString::fromStdString(out.dump(2)) << '\n';
            return finish(ExitOk);
        }
        TableWriter table({QStringLiteral("Name"), QStringLiteral("Capacity"), QStringLiteral("Access"),
                           QStringLiteral("Id")});
        for (const auto& w : list)
            table.addRow({w.name, w.isOnDedicatedCapacity ? QStringLiteral("dedicated") : QStringLiteral("shared"),
                          w.isReadOnly ? QStringLiteral("read-only") : QStringLiteral("read/write"), w.id});
        table.write(*m_ctx.out);
        *m_ctx.err << list.size() << (list.size() == 1 ? " workspace\n" : " workspaces\n");
        finish(ExitOk);
    });
}

void Cli::cmdWhoAmI()
{
    runConnectionCheck(m_session->client.get(), m_ctx.clock, this, [this](Result<ConnectionCheckResult> r) {
        if (!r)
            return fail(r.error());
        const ConnectionCheckResult& c = r.value();
        if (m_options->json) {
            nlohmann::json scopes = nlohmann::json::array();
            for (const QString& sc : c.scopesOrRoles)
                scopes.push_back(s(sc));
            const nlohmann::json j = {{"connection", s(m_options->resolved.displayName)},
                                      {"identity", s(c.identity)},
                                      {"identityKind", s(c.identityKind)},
                                      {"tenantId", s(c.tenantId)},
                                      {"audience", s(c.audience)},
                                      {"scopesOrRoles", scopes},
                                      {"expiresAt", s(c.expiresAt.toUTC().toString(Qt::ISODate))},
                                      {"workspaceCount", c.workspaceCount}};
            *m_ctx.out << QString::fromStdString(j.dump(2)) << '\n';
            return finish(ExitOk);
        }
        QTextStream& o = *m_ctx.out;
        o << "Connection:  " << m_options->resolved.displayName << '\n'
          << "Identity:    " << c.identity << " — " << c.identityKind << '\n'
          << "Tenant:      " << c.tenantId << '\n'
          << "Audience:    " << c.audience << '\n'
          << "Scopes:      " << (c.scopesOrRoles.isEmpty() ? QStringLiteral("(none: rights come from workspace membership)")
                                                           : c.scopesOrRoles.join(QLatin1Char(' ')))
          << '\n'
          << "Token:       " << c.expirySentence << '\n'
          << "Workspaces:  " << c.workspaceCount << '\n';
        finish(ExitOk);
    });
}

void Cli::cmdTokenDecode()
{
    QString token = m_options->args.value(1);
    if (m_options->args.size() > 2)
        return usage(QStringLiteral("token decode takes one token."));
    if (token.isEmpty() || token == QLatin1String("-"))
        token = QString::fromUtf8(m_ctx.readStdin()).trimmed();
    if (token.isEmpty())
        return usage(QStringLiteral("token decode needs a token (as an argument, or on standard input with '-')."));
    auto decoded = JwtInspector::decode(token);
    if (!decoded) {
        *m_ctx.err << "pbictl: " << decoded.error().details() << '\n';
        return finish(ExitUsage);
    }
    const DecodedJwt& d = decoded.value();
    if (m_options->json) {
        auto list = [](const QList<JwtClaim>& claims) {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& c : claims) {
                nlohmann::json value = nlohmann::json::parse(c.raw.toStdString(), nullptr, false);
                out[s(c.name)] = value.is_discarded() ? nlohmann::json(s(c.raw)) : value;
            }
            return out;
        };
        nlohmann::json j = {{"header", list(d.header)}, {"claims", list(d.claims)},
                            {"expiry", s(d.expirySentence(*m_ctx.clock))}};
        *m_ctx.out << QString::fromStdString(j.dump(2)) << '\n';
        return finish(ExitOk);
    }
    TableWriter header({QStringLiteral("Header"), QStringLiteral("Value"), QStringLiteral("Meaning")});
    for (const auto& c : d.header)
        header.addRow({c.name, c.display, c.explanation});
    header.write(*m_ctx.out, 70);
    *m_ctx.out << '\n';
    TableWriter claims({QStringLiteral("Claim"), QStringLiteral("Value"), QStringLiteral("Meaning")});
    for (const auto& c : d.claims)
        claims.addRow({c.name, c.display, c.explanation});
    claims.write(*m_ctx.out, 70);
    *m_ctx.out << '\n' << d.expirySentence(*m_ctx.clock) << '\n'
               << "The signature was not checked: decoding shows what a token says, not that it is genuine.\n";
    finish(ExitOk);
}

void Cli::cmdTokenGet()
{
    m_session->credential->requestToken(this, [this](Result<AccessToken> r) {
        if (!r)
            return fail(r.error());
        if (m_options->json) {
            const nlohmann::json j = {{"accessToken", s(r.value().value)},
                                      {"expiresAt", s(r.value().expiresAt.toUTC().toString(Qt::ISODate))}};
            *m_ctx.out << QString::fromStdString(j.dump(2)) << '\n';
        } else {
            *m_ctx.out << r.value().value << '\n';
        }
        finish(ExitOk);
    });
}

void Cli::cmdSnapshotSave()
{
    const QString file = m_options->args.value(1);
    if (file.isEmpty() || m_options->args.size() > 2)
        return usage(QStringLiteral("snapshot save takes one file name."));
    auto* collector = new InventoryCollector(m_session->client.get(), m_ctx.clock);
    m_job.reset(collector);
    collector->setConnectionName(m_options->resolved.displayName);
    if (m_ctx.progressOnStderr) {
        connect(collector, &InventoryCollector::progress, this, [this](int done, int total) {
            *m_ctx.err << "\rworkspaces: " << done << " of " << total;
            m_ctx.err->flush();
        });
    }
    connect(collector, &InventoryCollector::failed, this, [this](const pbi::Error& e) {
        if (m_ctx.progressOnStderr)
            *m_ctx.err << '\n';
        fail(e);
    });
    connect(collector, &InventoryCollector::finished, this, [this, collector, file] {
        if (m_ctx.progressOnStderr)
            *m_ctx.err << '\n';
        // Written whole or not at all: a half-written snapshot would diff as deletions.
        QSaveFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(Snapshot::toJson(collector->snapshot())) < 0 || !out.commit()) {
            *m_ctx.err << "pbictl: cannot write " << file << ": " << out.errorString() << '\n';
            return finish(ExitFailure);
        }
        std::size_t items = 0;
        for (const auto& w : collector->snapshot().workspaces)
            items += w.reports.size() + w.datasets.size() + w.dashboards.size() + w.dataflows.size();
        if (m_options->json) {
            const nlohmann::json j = {{"file", s(file)},
                                      {"workspaces", collector->snapshot().workspaces.size()},
                                      {"items", items}};
            *m_ctx.out << QString::fromStdString(j.dump(2)) << '\n';
        } else {
            *m_ctx.out << "Saved " << collector->snapshot().workspaces.size() << " workspaces and " << items
                       << " items to " << file << '\n';
        }
        finish(ExitOk);
    });
    collector->start();
}

void Cli::cmdSnapshotDiff()
{
    if (m_options->args.size() != 3)
        return usage(QStringLiteral("snapshot diff takes two files: OLD NEW."));
    InventorySnapshot snaps[2];
    for (int i = 0; i < 2; ++i) {
        const QString name = m_options->args[i + 1];
        QFile f(name);
        if (!f.open(QIODevice::ReadOnly)) {
            *m_ctx.err << "pbictl: cannot read " << name << ": " << f.errorString() << '\n';
            return finish(ExitUsage);
        }
        auto snap = Snapshot::fromJson(f.readAll());
        if (!snap) {
            *m_ctx.err << "pbictl: " << name << ": " << snap.error().sentence << '\n';
            return finish(ExitUsage);
        }
        snaps[i] = std::move(snap).value();
    }
    const auto changes = Snapshot::diff(snaps[0], snaps[1]);
    if (m_options->json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& c : changes) {
            nlohmann::json details = nlohmann::json::array();
            for (const QString& d : c.details)
                details.push_back(s(d));
            list.push_back({{"change", s(Snapshot::changeKindName(c.kind))}, {"kind", s(c.itemKind)},
                            {"id", s(c.id)}, {"name", s(c.name)}, {"workspace", s(c.workspace)},
                            {"details", details}});
        }
        *m_ctx.out << QString::fromStdString(list.dump(2)) << '\n';
        return finish(ExitOk);
    }
    if (changes.empty()) {
        *m_ctx.out << "No differences.\n";
        return finish(ExitOk);
    }
    TableWriter table({QStringLiteral("Change"), QStringLiteral("Kind"), QStringLiteral("Workspace"),
                       QStringLiteral("Name"), QStringLiteral("What changed")});
    for (const auto& c : changes)
        table.addRow({Snapshot::changeKindName(c.kind), c.itemKind, c.workspace, c.name,
                      c.details.join(QStringLiteral("; "))});
    table.write(*m_ctx.out, 80);
    *m_ctx.err << changes.size() << (changes.size() == 1 ? " difference\n" : " differences\n");
    finish(ExitOk);
}

} // namespace pbi::cli
