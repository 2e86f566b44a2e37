// pbictl readiness: evaluate the production-readiness checklist of the connection's
// integration, record attestations in a review file, and export the review (docs/readiness.md).

#include "Cli.h"

#include "CliOptions.h"
#include "ExitCodes.h"
#include "TableWriter.h"

#include "Clock.h"
#include "readiness/ReadinessEvaluator.h"
#include "readiness/ReadinessReport.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

namespace pbi::cli {

namespace {

using namespace pbi::readiness;

struct ReadinessArgs {
    ReviewOptions options;
    QString attestationsFile;
    QStringList exports;
    QString failOn = QStringLiteral("fail");
    bool list = false;
    // --attest CHECK=STATUS --by NAME [--comment TEXT]
    QString attest;
    QString by;
    QString comment;
    bool commentGiven = false;
};

/// Reads a review file (or report) for its attestations; a missing file is an empty review
/// when `mayBeMissing`.
Result<ReviewFile::Loaded> readReviewFile(const QString& path, bool mayBeMissing)
{
    QFile f(path);
    if (!f.exists() && mayBeMissing)
        return ReviewFile::Loaded{};
    if (!f.open(QIODevice::ReadOnly)) {
        Error e;
        e.kind = ErrorKind::Refused;
        e.sentence = QStringLiteral("Cannot read %1: %2").arg(path, f.errorString());
        return e;
    }
    auto loaded = ReviewFile::fromJson(f.readAll());
    if (!loaded) {
        Error e = loaded.error();
        e.kind = ErrorKind::Refused; // a bad file on the command line is a usage problem
        e.sentence = QStringLiteral("%1: %2").arg(path, e.sentence);
        return e;
    }
    return loaded;
}

QString statusCell(Status s)
{
    switch (s) {
    case Status::Pass: return QStringLiteral("pass");
    case Status::Warn: return QStringLiteral("WARN");
    case Status::Fail: return QStringLiteral("FAIL");
    case Status::NotApplicable: return QStringLiteral("n/a");
    case Status::NeedsAttestation: return QStringLiteral("attest");
    case Status::Error: return QStringLiteral("ERROR");
    case Status::NotEvaluated: return QStringLiteral("-");
    }
    return {};
}

} // namespace

void Cli::cmdReadiness()
{
    ReadinessArgs a;
    const QStringList& args = m_options->args;
    for (int i = 0; i < args.size(); ++i) {
        const QString& o = args[i];
        const auto value = [&](QString& out) {
            if (i + 1 >= args.size())
                return false;
            out = args[++i];
            return true;
        };
        QString v;
        if (o == QLatin1String("--workspace") && value(v))
            a.options.workspaces << v;
        else if (o == QLatin1String("--attestations") && value(v))
            a.attestationsFile = v;
        else if (o == QLatin1String("--export") && value(v))
            a.exports << v;
        else if (o == QLatin1String("--fail-on") && value(v))
            a.failOn = v;
        else if (o == QLatin1String("--naming") && value(v))
            a.options.namingPattern = v;
        else if (o == QLatin1String("--service-account") && value(v))
            a.options.serviceAccounts << v;
        else if (o == QLatin1String("--stale-days") && value(v)) {
            bool ok = false;
            a.options.staleAfterDays = v.toInt(&ok);
            if (!ok)
                return usage(QStringLiteral("readiness: --stale-days takes a number of days, not '%1'.").arg(v));
        } else if (o == QLatin1String("--attest") && value(v))
            a.attest = v;
        else if (o == QLatin1String("--by") && value(v))
            a.by = v;
        else if (o == QLatin1String("--comment") && value(v)) {
            a.comment = v;
            a.commentGiven = true;
        } else if (o == QLatin1String("--no-probe"))
            a.options.runProbe = false;
        else if (o == QLatin1String("--no-descriptions"))
            a.options.checkDescriptions = false;
        else if (o == QLatin1String("--list"))
            a.list = true;
        else if (o == QLatin1String("--json"))
            m_options->json = true;
        else
            return usage(QStringLiteral("readiness: unexpected argument '%1'%2.")
                             .arg(o, o.startsWith(QLatin1String("--")) ? QStringLiteral(" (or its value is missing)") : QString()));
    }
    if (a.failOn != QLatin1String("fail") && a.failOn != QLatin1String("warn") && a.failOn != QLatin1String("never"))
        return usage(QStringLiteral("readiness: --fail-on takes fail, warn or never, not '%1'.").arg(a.failOn));
    if (const QString problem = a.options.validate(); !problem.isEmpty())
        return usage(QStringLiteral("readiness: ") + problem);
    for (const QString& e : a.exports) {
        const QString ext = QFileInfo(e).suffix().toLower();
        if (ext != QLatin1String("md") && ext != QLatin1String("markdown") && ext != QLatin1String("csv") &&
            ext != QLatin1String("json"))
            return usage(QStringLiteral("readiness: cannot tell the export format of '%1': name it .md, .csv or .json.").arg(e));
    }

    if (a.list) {
        if (m_options->json) {
            nlohmann::json out = nlohmann::json::array();
            for (const ReadinessCheck& c : catalogue())
                out.push_back({{"id", c.id.toStdString()},
                               {"area", areaName(c.area).toStdString()},
                               {"title", c.title.toStdString()},
                               {"decision", decisionKey(c.decision).toStdString()},
                               {"why", c.why.toStdString()},
                               {"howDecided", c.howDecided.toStdString()},
                               {"fix", c.fix.toStdString()},
                               {"attestation", c.attestation.toStdString()}});
            *m_ctx.out << QString::fromStdString(out.dump(2)) << '\n';
            return finish(ExitOk);
        }
        TableWriter table({QStringLiteral("Area"), QStringLiteral("Check"), QStringLiteral("Decided"), QStringLiteral("Title")});
        for (const ReadinessCheck& c : catalogue())
            table.addRow({areaName(c.area), c.id, decisionName(c.decision), c.title});
        table.write(*m_ctx.out, 80);
        return finish(ExitOk);
    }

    if (!a.attest.isEmpty()) {
        // Recording a person's word needs no sign-in: it only writes the review file.
        if (a.attestationsFile.isEmpty())
            return usage(QStringLiteral("readiness: --attest writes into the review file given with --attestations FILE."));
        const QString checkId = a.attest.section(QLatin1Char('='), 0, 0).trimmed();
        const auto status = attestedStatusFromText(a.attest.section(QLatin1Char('='), 1));
        if (!a.attest.contains(QLatin1Char('=')) || !status)
            return usage(QStringLiteral("readiness: --attest takes CHECK=pass|fail|na, not '%1'.").arg(a.attest));
        if (!resolveProfile())
            return;
        auto loaded = readReviewFile(a.attestationsFile, true);
        if (!loaded)
            return fail(loaded.error());
        {
            QFile existing(a.attestationsFile);
            if (existing.open(QIODevice::ReadOnly) && existing.readAll().contains("\"pbi-console-readiness-report\""))
                return usage(QStringLiteral("readiness: %1 is a report export; record attestations in a review file "
                                            "(a new file name, or the review file the report was made with).")
                                 .arg(a.attestationsFile));
        }
        Attestation att{checkId, *status, a.by.trimmed(), m_ctx.clock->now().toUTC(), a.comment.trimmed()};
        if (const QString problem = validateAttestation(att); !problem.isEmpty())
            return usage(QStringLiteral("readiness: ") + problem);
        std::vector<Attestation> list = loaded.value().attestations;
        ReviewFile::record(list, att);
        IntegrationSummary who = IntegrationSummary::from(m_options->resolved, nullptr);
        if (who.clientId.isEmpty())
            who.clientId = loaded.value().clientId;
        QSaveFile out(a.attestationsFile);
        if (!out.open(QIODevice::WriteOnly) || out.write(ReviewFile::toJson(who, list, att.at)) < 0 || !out.commit()) {
            *m_ctx.err << "pbictl: cannot write " << a.attestationsFile << ": " << out.errorString() << '\n';
            return finish(ExitFailure);
        }
        if (m_options->json) {
            const nlohmann::json j = {{"file", a.attestationsFile.toStdString()},
                                      {"check", att.checkId.toStdString()},
                                      {"status", statusKey(att.status).toStdString()},
                                      {"by", att.by.toStdString()},
                                      {"date", att.at.toString(Qt::ISODate).toStdString()},
                                      {"comment", att.comment.toStdString()},
                                      {"attestations", list.size()}};
            *m_ctx.out << QString::fromStdString(j.dump(2)) << '\n';
        } else {
            *m_ctx.out << "Recorded in " << a.attestationsFile << ": " << att.checkId << " = " << statusName(att.status)
                       << " by " << att.by << " on " << att.at.toString(QStringLiteral("yyyy-MM-dd")) << '\n';
        }
        return finish(ExitOk);
    }
    if (!a.by.isEmpty() || a.commentGiven)
        return usage(QStringLiteral("readiness: --by and --comment go with --attest."));

    std::vector<Attestation> attestations;
    ReviewFile::Loaded loaded;
    if (!a.attestationsFile.isEmpty()) {
        auto read = readReviewFile(a.attestationsFile, false);
        if (!read)
            return fail(read.error());
        loaded = read.value();
        attestations = loaded.attestations;
        for (const QString& w : loaded.warnings)
            *m_ctx.err << "pbictl: " << a.attestationsFile << ": " << w << '\n';
    }

    withSession([this, a, attestations, loaded] {
        auto* evaluator = new ReadinessEvaluator(m_session->client.get(), m_options->resolved, m_ctx.secrets, m_ctx.clock);
        m_job.reset(evaluator);
        evaluator->setOptions(a.options);
        evaluator->setAttestations(attestations);
        const QString mismatch = ReviewFile::mismatch(loaded, IntegrationSummary::from(m_options->resolved, nullptr));
        if (!mismatch.isEmpty())
            *m_ctx.err << "pbictl: warning: " << mismatch << '\n';
        if (m_ctx.progressOnStderr)
            connect(evaluator, &ReadinessEvaluator::progress, this, [this](int done, int total, const QString& step) {
                *m_ctx.err << "\rreadiness: " << done << " of " << total << " calls… " << step.left(40)
                           << "                    ";
                m_ctx.err->flush();
            });
        connect(evaluator, &ReadinessEvaluator::finished, this, [this, evaluator, a] {
            if (m_ctx.progressOnStderr)
                *m_ctx.err << '\n';
            const ReadinessReport& report = evaluator->report();
            int exitCode = ExitOk;
            for (const QString& file : a.exports) {
                QString error;
                if (!ReadinessExport::write(report, file, &error)) {
                    *m_ctx.err << "pbictl: " << error << '\n';
                    exitCode = ExitFailure;
                } else {
                    *m_ctx.err << "Exported to " << file << '\n';
                }
            }
            if (m_options->json) {
                *m_ctx.out << QString::fromUtf8(ReadinessExport::toJson(report));
            } else {
                TableWriter table({QStringLiteral("Area"), QStringLiteral("Check"), QStringLiteral("Status"),
                                   QStringLiteral("Evidence")});
                for (const CheckResult& r : report.results) {
                    const ReadinessCheck* c = findCheck(r.checkId);
                    QString evidence = r.status == Status::Error ? r.error : r.evidence.value(0);
                    if (r.attestation && r.attestationApplied)
                        evidence = QStringLiteral("attested by %1 on %2").arg(r.attestation->by, r.attestation->at.toString(QStringLiteral("yyyy-MM-dd")));
                    else if (r.evidence.size() > 1)
                        evidence += QStringLiteral(" (+%1)").arg(r.evidence.size() - 1);
                    table.addRow({areaName(c->area), r.checkId, statusCell(r.status), evidence});
                }
                table.write(*m_ctx.out, 70);
                QTextStream& o = *m_ctx.out;
                o << "\nVerdict: " << verdictName(report.verdict()) << " — " << countStatuses(report.results).summary()
                  << '\n';
                bool header = false;
                for (const CheckResult& r : report.results) {
                    if (r.status != Status::Fail && r.status != Status::Warn && r.status != Status::Error)
                        continue;
                    if (!header)
                        o << "\nTo fix:\n";
                    header = true;
                    const ReadinessCheck* c = findCheck(r.checkId);
                    o << "  [" << statusCell(r.status) << "] " << r.checkId << ": " << c->title << '\n';
                    if (r.status == Status::Error)
                        o << "    Could not evaluate: " << r.error << '\n';
                    for (const QString& e : r.evidence)
                        o << "    - " << e << '\n';
                    if (r.status != Status::Error)
                        o << "    Fix: " << c->fix << '\n';
                }
                header = false;
                for (const CheckResult& r : report.results) {
                    if (r.status != Status::NeedsAttestation)
                        continue;
                    if (!header)
                        o << "\nNeeds a person's attestation (pbictl readiness --attestations FILE --attest CHECK=pass|fail|na "
                             "--by NAME [--comment TEXT]):\n";
                    header = true;
                    o << "  " << r.checkId << ": " << findCheck(r.checkId)->attestation
                      << (r.attestationStale ? QStringLiteral(" (the attestation on file is stale)") : QString()) << '\n';
                }
            }
            *m_ctx.err << report.results.size() << " checks on " << report.integration.workspaces.size()
                       << " workspace(s): " << verdictName(report.verdict()) << '\n';

            if (exitCode == ExitOk) {
                const Evidence& ev = evaluator->evidence();
                std::optional<Error> firstError = ev.token.error ? ev.token.error : ev.workspaceListError;
                for (const WorkspaceEvidence& w : ev.workspaces)
                    for (const auto* e : {&w.members.error, &w.datasets.error, &w.reports.error, &w.dataflows.error})
                        if (!firstError && *e)
                            firstError = *e;
                if (!firstError && ev.secret.error)
                    firstError = ev.secret.error;
                const Verdict v = report.verdict();
                const bool errors = countStatuses(report.results).error > 0;
                if (!ev.unmatchedWorkspaces.isEmpty()) {
                    for (const QString& u : ev.unmatchedWorkspaces)
                        *m_ctx.err << "pbictl: no workspace '" << u << "' is visible to the identity\n";
                    exitCode = ExitNotFound;
                } else if (v == Verdict::NotReady) {
                    exitCode = a.failOn == QLatin1String("never") ? ExitOk : ExitFailure;
                } else if (errors) {
                    exitCode = firstError ? exitCodeFor(*firstError) : ExitFailure;
                    if (exitCode == ExitOk)
                        exitCode = ExitFailure;
                } else if (v == Verdict::Incomplete) {
                    exitCode = a.failOn == QLatin1String("never") ? ExitOk : ExitFailure;
                } else if (v == Verdict::ReadyWithWarnings) {
                    exitCode = a.failOn == QLatin1String("warn") ? ExitFailure : ExitOk;
                }
            }
            finish(exitCode);
        });
        if (const QString problem = evaluator->start(); !problem.isEmpty())
            return usage(QStringLiteral("readiness: ") + problem);
    });
}

} // namespace pbi::cli
