#include "readiness/ReadinessEvaluator.h"

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/JwtInspector.h"
#include "auth/TokenProvider.h"
#include "diagnostics/PermissionProbe.h"
#include "http/RequestLog.h"
#include "http/Transport.h"
#include "profiles/CredentialFactory.h"
#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>

#include <algorithm>

namespace pbi::readiness {

namespace {

Error refused(const QString& sentence, ErrorKind kind = ErrorKind::Refused)
{
    Error e;
    e.kind = kind;
    e.sentence = sentence;
    return e;
}

} // namespace

Result<CertificateFacts> readCertificateFacts(const ConnectionProfile& p)
{
    const QString path = p.certificatePath.trimmed();
    if (path.isEmpty())
        return refused(QStringLiteral("The connection names no certificate file."));
    const QString ext = QFileInfo(path).suffix().toLower();
    CertificateFacts f;
    if (ext == QLatin1String("pfx") || ext == QLatin1String("p12")) {
        // A PKCS#12 file opens only with its pass phrase; the connection recorded what it said
        // when the file was chosen.
        if (!p.certificateExpiry.isValid())
            return refused(QStringLiteral("The certificate is a PKCS#12 file, which needs its pass phrase to open, and "
                                          "the connection recorded no expiry date. Choose the file again in the "
                                          "connection settings."));
        f.notAfter = p.certificateExpiry.toUTC();
        f.thumbprint = p.certificateThumbprint;
        f.source = QStringLiteral("the expiry recorded with the connection");
    } else {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return refused(QStringLiteral("The certificate file %1 cannot be read: %2").arg(path, file.errorString()),
                           ErrorKind::Refused);
        const QByteArray data = file.readAll();
        QList<QSslCertificate> certs = QSslCertificate::fromData(data, QSsl::Pem);
        if (certs.isEmpty())
            certs = QSslCertificate::fromData(data, QSsl::Der);
        if (certs.isEmpty() || certs.first().isNull())
            return refused(QStringLiteral("The file %1 holds no certificate (PEM or DER).").arg(path), ErrorKind::Parse);
        const QSslCertificate& c = certs.first();
        f.subject = c.subjectDisplayName();
        f.thumbprint = QString::fromLatin1(c.digest(QCryptographicHash::Sha1).toHex().toUpper());
        f.notBefore = c.effectiveDate().toUTC();
        f.notAfter = c.expiryDate().toUTC();
        f.source = QStringLiteral("the certificate file");
        // The key file is the secret when it is not protected by a pass phrase.
        if (data.contains("PRIVATE KEY"))
            f.privateKeyReadableByOthers = (file.permissions() & QFileDevice::ReadOther) != 0;
    }
    return f;
}

ReadinessEvaluator::ReadinessEvaluator(PowerBiClient* client, ConnectionProfile profile, SecretStore* secrets,
                                       const Clock* clock, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_profile(std::move(profile))
    , m_secrets(secrets)
    , m_clock(clock)
{
    m_report.results = unevaluatedResults();
    m_report.integration = IntegrationSummary::from(m_profile, nullptr);
    m_report.namingPattern = m_options.namingPattern;
}

ReadinessEvaluator::~ReadinessEvaluator()
{
    stop();
}

void ReadinessEvaluator::setAttestations(std::vector<Attestation> attestations)
{
    m_attestations = std::move(attestations);
    m_report.attestations = m_attestations;
}

void ReadinessEvaluator::reapply()
{
    m_report.attestations = m_attestations;
    applyAttestations(m_report.results, m_attestations, m_clock->now(), m_options.staleAfterDays);
}

void ReadinessEvaluator::cancel()
{
    if (!m_running)
        return;
    stop();
    Q_EMIT cancelled();
}

void ReadinessEvaluator::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_client)
        for (quint64 id : m_calls)
            m_client->transport()->cancel(id);
    m_calls.clear();
    if (m_probe)
        m_probe->cancel();
    m_probe = nullptr;
    m_run.reset(); // drops every pending callback of this run
}

QString ReadinessEvaluator::start()
{
    const QString problem = m_options.validate();
    if (!problem.isEmpty())
        return problem;
    if (!m_client)
        return QStringLiteral("Not connected: choose a connection first.");
    cancel();
    m_running = true;
    m_run = std::make_unique<QObject>();
    m_calls.clear();
    m_evidence = Evidence{};
    m_evidence.profile = m_profile;
    m_outstanding = 0;
    m_done = 0;
    m_total = 2; // the token and the workspace list; more as they become known
    QObject* run = m_run.get();

    if (RequestLog* log = m_client->transport()->log())
        connect(log, &RequestLog::entryAdded, run, [this](const RequestLogEntry& e) {
            if (e.status == 429)
                ++m_evidence.throttledResponses;
        });

    // The token: its claims only; the value itself is dropped here.
    ++m_outstanding;
    m_client->tokenProvider()->requestToken(run, [this](Result<AccessToken> r) {
        if (!r) {
            m_evidence.token.error = r.error();
        } else if (auto decoded = JwtInspector::decode(r.value().value)) {
            m_evidence.token.value = TokenFacts::fromDecoded(decoded.value());
        } else {
            m_evidence.token.error = decoded.error();
        }
        completed(QStringLiteral("access token"));
    });

    // The secret store: presence only.
    const auto kind = typedSecretKind(m_profile.credentialKind);
    if (!m_profile.builtIn && kind) {
        if (!m_secrets) {
            m_evidence.secret.error = refused(QStringLiteral("No secret store was given to this review."), ErrorKind::Keychain);
        } else {
            ++m_outstanding;
            ++m_total;
            const QString description = m_secrets->description();
            m_secrets->read(ProfileStore::secretKey(m_profile.id, *kind), run,
                            [this, description](Result<std::optional<QString>> r) {
                                if (!r)
                                    m_evidence.secret.error = r.error();
                                else
                                    m_evidence.secret.value =
                                        SecretFacts{r.value().has_value() && !r.value()->isEmpty(), description};
                                completed(QStringLiteral("secret store"));
                            });
        }
    }

    if (m_profile.credentialKind == CredentialKind::Certificate) {
        auto facts = readCertificateFacts(m_profile);
        if (facts)
            m_evidence.certificate.value = facts.value();
        else
            m_evidence.certificate.error = facts.error();
    }

    ++m_outstanding;
    m_calls.push_back(m_client->listWorkspaces(run, [this](Result<std::vector<Workspace>> r) {
        if (!r)
            m_evidence.workspaceListError = r.error();
        else
            gatherWorkspaces(r.value());
        completed(QStringLiteral("workspaces"));
    }));

    if (m_options.runProbe)
        startProbe();
    Q_EMIT progress(0, m_total, QStringLiteral("signing in"));
    return {};
}

void ReadinessEvaluator::gatherWorkspaces(const std::vector<Workspace>& visible)
{
    std::vector<Workspace> selected;
    if (m_options.workspaces.isEmpty()) {
        selected = visible;
    } else {
        for (const QString& wanted : m_options.workspaces) {
            const QString w = wanted.trimmed();
            bool found = false;
            for (const Workspace& candidate : visible) {
                if (candidate.id.compare(w, Qt::CaseInsensitive) == 0 || candidate.name.compare(w, Qt::CaseInsensitive) == 0) {
                    found = true;
                    const bool already = std::any_of(selected.begin(), selected.end(),
                                                     [&](const Workspace& s) { return s.id == candidate.id; });
                    if (!already)
                        selected.push_back(candidate);
                }
            }
            if (!found)
                m_evidence.unmatchedWorkspaces << w;
        }
    }
    std::sort(selected.begin(), selected.end(), [](const Workspace& a, const Workspace& b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    for (Workspace& w : selected) {
        WorkspaceEvidence e;
        e.workspace = std::move(w);
        m_evidence.workspaces.push_back(std::move(e));
    }
    for (std::size_t i = 0; i < m_evidence.workspaces.size(); ++i) {
        fetch<GroupUser>(i, QStringLiteral("members"), &WorkspaceEvidence::members, &PowerBiClient::listWorkspaceUsers);
        fetch<Dataset>(i, QStringLiteral("semantic models"), &WorkspaceEvidence::datasets, &PowerBiClient::listDatasets);
        fetch<Report>(i, QStringLiteral("reports"), &WorkspaceEvidence::reports, &PowerBiClient::listReports);
        fetch<Dataflow>(i, QStringLiteral("dataflows"), &WorkspaceEvidence::dataflows, &PowerBiClient::listDataflows);
    }
}

template <typename T>
void ReadinessEvaluator::fetch(std::size_t index, const QString& what,
                               Gathered<std::vector<T>> WorkspaceEvidence::*slot,
                               quint64 (PowerBiClient::*call)(const QString&, QObject*,
                                                              std::function<void(Result<std::vector<T>>)>))
{
    ++m_outstanding;
    ++m_total;
    const QString id = m_evidence.workspaces[index].workspace.id;
    const QString step = QStringLiteral("%1 of '%2'").arg(what, m_evidence.workspaces[index].workspace.name);
    m_calls.push_back((m_client->*call)(id, m_run.get(), [this, index, slot, step](Result<std::vector<T>> r) {
        Gathered<std::vector<T>>& g = m_evidence.workspaces[index].*slot;
        if (r)
            g.value = std::move(r).value();
        else
            g.error = r.error();
        completed(step);
    }));
}

void ReadinessEvaluator::startProbe()
{
    ++m_outstanding;
    ++m_total;
    m_probe = new diagnostics::PermissionProbe(m_client, m_run.get());
    // At member scope the admin calls show whether the identity can reach more than it needs.
    m_probe->setIncludeAdmin(true);
    connect(m_probe, &diagnostics::PermissionProbe::resultAdded, this, [this](int i) {
        if (m_probe)
            Q_EMIT progress(m_done, m_total, QStringLiteral("probe: ") + m_probe->results()[std::size_t(i)].check);
    });
    connect(m_probe, &diagnostics::PermissionProbe::finished, this, [this] {
        if (!m_probe)
            return;
        m_evidence.probe = m_probe->results();
        completed(QStringLiteral("permission probe"));
    });
    m_probe->start();
}

void ReadinessEvaluator::completed(const QString& step)
{
    if (!m_running)
        return;
    ++m_done;
    --m_outstanding;
    Q_EMIT progress(m_done, m_total, step);
    if (m_outstanding == 0)
        finish();
}

void ReadinessEvaluator::finish()
{
    m_running = false;
    m_calls.clear();
    m_evidence.now = m_clock->now();
    ReadinessReport report;
    report.integration = IntegrationSummary::from(m_profile, m_evidence.token.has() ? &*m_evidence.token.value : nullptr);
    for (const WorkspaceEvidence& w : m_evidence.workspaces)
        report.integration.workspaces.push_back({w.workspace.id, w.workspace.name});
    report.evaluatedAt = m_evidence.now;
    report.namingPattern = m_options.namingPattern;
    report.staleAfterDays = m_options.staleAfterDays;
    report.results = evaluate(m_evidence, m_options);
    report.attestations = m_attestations;
    applyAttestations(report.results, m_attestations, m_evidence.now, m_options.staleAfterDays);
    m_report = std::move(report);
    // The probe and the run's context go once their last callback has returned.
    m_probe = nullptr;
    if (QObject* run = m_run.release())
        run->deleteLater();
    Q_EMIT finished();
}

} // namespace pbi::readiness
