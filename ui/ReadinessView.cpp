#include "ReadinessView.h"

#include "DialogSeam.h"
#include "ErrorBanner.h"
#include "ReadinessModel.h"

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "profiles/SecretStore.h"
#include "readiness/ReadinessEvaluator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

namespace pbi::ui {

using namespace pbi::readiness;

namespace {

pbi::Error problem(const QString& sentence)
{
    pbi::Error e;
    e.kind = ErrorKind::Refused;
    e.sentence = sentence;
    return e;
}

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

QColor verdictColor(Verdict v)
{
    switch (v) {
    case Verdict::Ready: return ReadinessModel::statusColor(Status::Pass);
    case Verdict::ReadyWithWarnings: return ReadinessModel::statusColor(Status::Warn);
    case Verdict::NotReady: return ReadinessModel::statusColor(Status::Fail);
    case Verdict::Incomplete: return ReadinessModel::statusColor(Status::NeedsAttestation);
    }
    return {};
}

} // namespace

// ---- AttestDialog --------------------------------------------------------------------------------

AttestDialog::AttestDialog(const ReadinessCheck& check, const QString& name, const pbi::Clock* clock, QWidget* parent)
    : QDialog(parent)
    , m_checkId(check.id)
    , m_clock(clock)
    , m_status(new QComboBox(this))
    , m_name(new QLineEdit(this))
    , m_comment(new QPlainTextEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("attestDialog"));
    setWindowTitle(tr("Attest: %1").arg(check.title));
    auto* intro = new QLabel(this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    intro->setText(tr("<b>%1</b><br><code>%2</code><br><br>%3")
                       .arg(esc(check.title), esc(check.id),
                            esc(check.attestation.isEmpty() ? check.howDecided : tr("Confirm: %1").arg(check.attestation))));
    m_status->setObjectName(QStringLiteral("attestStatus"));
    m_status->addItem(statusName(Status::Pass), int(Status::Pass));
    m_status->addItem(statusName(Status::Fail), int(Status::Fail));
    m_status->addItem(statusName(Status::NotApplicable), int(Status::NotApplicable));
    m_name->setObjectName(QStringLiteral("attestName"));
    m_name->setText(name);
    m_name->setPlaceholderText(tr("Who attests (your name)"));
    m_name->setMaxLength(kMaxAttestationName);
    m_comment->setObjectName(QStringLiteral("attestComment"));
    m_comment->setPlaceholderText(tr("What you checked, or why it fails or does not apply (never a secret or a token)"));
    m_comment->setTabChangesFocus(true);
    m_problem->setObjectName(QStringLiteral("attestProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    auto* form = new QFormLayout;
    form->addRow(tr("&Status:"), m_status);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Comment:"), m_comment);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (problem().isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_status, &QComboBox::currentIndexChanged, this, &AttestDialog::revalidate);
    connect(m_name, &QLineEdit::textChanged, this, &AttestDialog::revalidate);
    connect(m_comment, &QPlainTextEdit::textChanged, this, &AttestDialog::revalidate);
    resize(520, 360);
    revalidate();
}

Attestation AttestDialog::attestation() const
{
    return Attestation{m_checkId, Status(m_status->currentData().toInt()), m_name->text().trimmed(),
                       m_clock->now().toUTC(), m_comment->toPlainText().trimmed()};
}

QString AttestDialog::problem() const
{
    return validateAttestation(attestation());
}

QPushButton* AttestDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void AttestDialog::revalidate()
{
    const QString p = problem();
    m_problem->setText(p);
    m_problem->setVisible(!p.isEmpty());
    okButton()->setEnabled(p.isEmpty());
}

// ---- ReadinessView ---------------------------------------------------------------------------------

ReadinessView::ReadinessView(const pbi::Clock* clock, QWidget* parent)
    : QWidget(parent)
    , m_clock(clock)
    , m_model(new ReadinessModel(this))
    , m_verdict(new QLabel(this))
    , m_subject(new QLabel(this))
    , m_workspaces(new QLineEdit(this))
    , m_naming(new QLineEdit(this))
    , m_probe(new QCheckBox(tr("Permission &probe"), this))
    , m_descriptions(new QCheckBox(tr("&Descriptions"), this))
    , m_evaluate(new QPushButton(tr("E&valuate"), this))
    , m_cancel(new QPushButton(tr("&Cancel"), this))
    , m_attest(new QPushButton(tr("&Attest…"), this))
    , m_load(new QPushButton(tr("&Load review…"), this))
    , m_save(new QPushButton(tr("&Save review…"), this))
    , m_export(new QPushButton(tr("E&xport…"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_error(new ErrorBanner(this))
    , m_tree(new QTreeView(this))
    , m_details(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("readinessView"));
    m_report.results = unevaluatedResults();
    m_verdict->setObjectName(QStringLiteral("readinessVerdict"));
    m_verdict->setWordWrap(true);
    m_subject->setObjectName(QStringLiteral("readinessSubject"));
    m_subject->setWordWrap(true);
    m_workspaces->setObjectName(QStringLiteral("readinessWorkspaces"));
    m_workspaces->setPlaceholderText(tr("All workspaces the identity can see — or names or ids, separated by ;"));
    m_workspaces->setClearButtonEnabled(true);
    m_naming->setObjectName(QStringLiteral("readinessNaming"));
    m_naming->setText(ReviewOptions::defaultNamingPattern());
    m_naming->setToolTip(tr("The regular expression every workspace name should match"));
    m_probe->setObjectName(QStringLiteral("readinessProbe"));
    m_probe->setChecked(true);
    m_probe->setToolTip(tr("Try a dozen read-only calls (four of them admin APIs) to see what the identity may do"));
    m_descriptions->setChecked(true);
    m_descriptions->setToolTip(tr("Warn about reports and semantic models without a description"));
    m_evaluate->setObjectName(QStringLiteral("readinessEvaluate"));
    m_cancel->setObjectName(QStringLiteral("readinessCancel"));
    m_attest->setObjectName(QStringLiteral("readinessAttest"));
    m_load->setObjectName(QStringLiteral("readinessLoad"));
    m_save->setObjectName(QStringLiteral("readinessSave"));
    m_export->setObjectName(QStringLiteral("readinessExport"));
    m_progress->setObjectName(QStringLiteral("readinessProgress"));
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(false);
    m_status->setObjectName(QStringLiteral("readinessStatus"));

    m_tree->setObjectName(QStringLiteral("readinessTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setIconSize(QSize(16, 16));
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ReadinessModel::CheckColumn, QHeaderView::Interactive);
    m_tree->header()->setSectionResizeMode(ReadinessModel::EvidenceColumn, QHeaderView::Stretch);
    m_tree->header()->resizeSection(ReadinessModel::CheckColumn, 440);
    m_tree->header()->resizeSection(ReadinessModel::StatusColumn, 150);
    m_tree->header()->resizeSection(ReadinessModel::AttestationColumn, 230);
    m_tree->expandAll();
    m_details->setObjectName(QStringLiteral("readinessDetails"));
    m_details->setOpenLinks(false);

    auto* options = new QHBoxLayout;
    auto* workspacesLabel = new QLabel(tr("&Workspaces:"), this);
    workspacesLabel->setBuddy(m_workspaces);
    options->addWidget(workspacesLabel);
    options->addWidget(m_workspaces, 3);
    auto* namingLabel = new QLabel(tr("&Naming:"), this);
    namingLabel->setBuddy(m_naming);
    options->addWidget(namingLabel);
    options->addWidget(m_naming, 2);
    options->addWidget(m_probe);
    options->addWidget(m_descriptions);

    auto* actions = new QHBoxLayout;
    actions->addWidget(m_evaluate);
    actions->addWidget(m_cancel);
    actions->addWidget(m_progress);
    actions->addWidget(m_status, 1);
    actions->addWidget(m_attest);
    actions->addWidget(m_load);
    actions->addWidget(m_save);
    actions->addWidget(m_export);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_verdict);
    layout->addWidget(m_subject);
    layout->addLayout(options);
    layout->addLayout(actions);
    layout->addWidget(m_error);
    layout->addWidget(splitter, 1);

    connect(m_evaluate, &QPushButton::clicked, this, [this] { evaluate(); });
    connect(m_cancel, &QPushButton::clicked, this, &ReadinessView::cancel);
    connect(m_attest, &QPushButton::clicked, this, &ReadinessView::attestSelected);
    connect(m_tree, &QTreeView::doubleClicked, this, [this](const QModelIndex& i) {
        if (!i.data(ReadinessModel::CheckIdRole).toString().isEmpty() && m_attest->isEnabled())
            attestSelected();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        showDetails();
        updateControls();
    });
    connect(m_naming, &QLineEdit::textChanged, this, [this] {
        const bool ok = QRegularExpression(m_naming->text()).isValid() && !m_naming->text().trimmed().isEmpty();
        m_naming->setStyleSheet(ok ? QString() : QStringLiteral("QLineEdit { border: 1px solid #c62828; }"));
        updateControls();
    });
    connect(m_load, &QPushButton::clicked, this, [this] {
        if (m_dirty && !dialogs()->confirm(this, tr("Load review"),
                                           tr("The attestations recorded since the review was last saved will be "
                                              "replaced by the file's. Load anyway?"),
                                           tr("Load")))
            return;
        const QString path = dialogs()->openFileName(this, tr("Load readiness review"), tr("Readiness reviews (*.json)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!loadReview(path, &error))
            m_error->showError(tr("Could not load the review"), problem(error));
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString suggested = m_reviewPath.isEmpty() ? QStringLiteral("readiness-review.json") : m_reviewPath;
        const QString path = dialogs()->saveFileName(this, tr("Save readiness review"), suggested, tr("Readiness reviews (*.json)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveReview(path, &error))
            m_error->showError(tr("Could not save the review"), problem(error));
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = dialogs()->saveFileName(this, tr("Export readiness review"), QStringLiteral("readiness.md"),
                                                     tr("Markdown report (*.md);;CSV (*.csv);;JSON (*.json)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!exportReport(path, &error))
            m_error->showError(tr("Could not export the review"), problem(error));
        else
            m_status->setText(tr("Exported to %1").arg(QFileInfo(path).fileName()));
    });
    showReport();
    updateControls();
}

ReadinessView::~ReadinessView()
{
    if (m_evaluator)
        m_evaluator->disconnect(this);
}

DialogSeam* ReadinessView::dialogs()
{
    if (m_dialogs)
        return m_dialogs;
    if (!m_ownDialogs)
        m_ownDialogs = std::make_unique<WidgetDialogs>();
    return m_ownDialogs.get();
}

void ReadinessView::setConnection(pbi::PowerBiClient* client, const pbi::ConnectionProfile& profile,
                                  pbi::SecretStore* secrets)
{
    if (m_evaluator) {
        m_evaluator->disconnect(this);
        m_evaluator->cancel();
        m_evaluator->deleteLater();
        m_evaluator = nullptr;
    }
    m_client = client;
    m_profile = profile;
    m_secrets = secrets;
    // A new integration: its own results; the attestations typed so far stay until replaced.
    m_report = ReadinessReport{};
    m_report.results = unevaluatedResults();
    m_report.integration = IntegrationSummary::from(profile, nullptr);
    m_progress->setValue(0);
    m_status->setText(client ? tr("Not evaluated yet.") : tr("Not connected."));
    m_error->clear();
    if (client) {
        m_evaluator = new ReadinessEvaluator(client, profile, secrets, m_clock, this);
        connect(m_evaluator, &ReadinessEvaluator::progress, this, [this](int done, int total, const QString& step) {
            m_progress->setRange(0, std::max(total, 1));
            m_progress->setValue(done);
            m_status->setText(tr("%1 of %2 calls — %3").arg(done).arg(total).arg(step));
        });
        connect(m_evaluator, &ReadinessEvaluator::finished, this, [this] {
            m_report = m_evaluator->report();
            m_progress->setRange(0, 1);
            m_progress->setValue(0);
            QString text = tr("Evaluated %1 on %2 workspace(s).")
                               .arg(m_report.evaluatedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                               .arg(m_report.integration.workspaces.size());
            if (!m_evaluator->evidence().unmatchedWorkspaces.isEmpty())
                text += tr(" Not visible to the identity: %1.").arg(m_evaluator->evidence().unmatchedWorkspaces.join(QStringLiteral(", ")));
            m_status->setText(text);
            showReport();
            updateControls();
            Q_EMIT evaluationFinished();
        });
        connect(m_evaluator, &ReadinessEvaluator::cancelled, this, [this] {
            m_status->setText(tr("Cancelled; the previous results are kept."));
            m_progress->setValue(0);
            updateControls();
        });
    }
    reapplyAttestations();
    showReport();
    updateControls();
}

ReviewOptions ReadinessView::optionsFromForm() const
{
    ReviewOptions o;
    for (const QString& part : m_workspaces->text().split(QRegularExpression(QStringLiteral("[;\\n]")), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            o.workspaces << part.trimmed();
    o.namingPattern = m_naming->text().trimmed();
    o.runProbe = m_probe->isChecked();
    o.checkDescriptions = m_descriptions->isChecked();
    return o;
}

bool ReadinessView::evaluate()
{
    if (!m_evaluator) {
        m_error->showError(tr("Cannot evaluate"), problem(tr("Not connected: choose a connection first.")));
        return false;
    }
    m_error->clear();
    m_evaluator->setOptions(optionsFromForm());
    m_evaluator->setAttestations(m_attestations);
    const QString why = m_evaluator->start();
    if (!why.isEmpty()) {
        m_error->showError(tr("Cannot evaluate"), problem(why));
        return false;
    }
    m_progress->setRange(0, 0);
    m_status->setText(tr("Signing in…"));
    updateControls();
    return true;
}

void ReadinessView::cancel()
{
    if (m_evaluator)
        m_evaluator->cancel();
}

bool ReadinessView::isEvaluating() const
{
    return m_evaluator && m_evaluator->isRunning();
}

QString ReadinessView::selectedCheckId() const
{
    return m_tree->currentIndex().data(ReadinessModel::CheckIdRole).toString();
}

void ReadinessView::selectCheck(const QString& checkId)
{
    const QModelIndex i = m_model->indexOf(checkId);
    if (i.isValid())
        m_tree->setCurrentIndex(i);
}

void ReadinessView::attestSelected()
{
    const ReadinessCheck* check = findCheck(selectedCheckId());
    if (!check || check->decision == Decision::Live)
        return;
    if (m_attestDialog)
        m_attestDialog->close();
    auto* dialog = new AttestDialog(*check, m_lastName, m_clock, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_attestDialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        QString error;
        if (!recordAttestation(dialog->attestation(), &error))
            m_error->showError(tr("Could not record the attestation"), problem(error));
    });
    dialog->open();
}

bool ReadinessView::recordAttestation(const Attestation& attestation, QString* error)
{
    const QString why = validateAttestation(attestation);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    ReviewFile::record(m_attestations, attestation);
    m_lastName = attestation.by;
    m_dirty = true;
    reapplyAttestations();
    showReport();
    updateControls();
    Q_EMIT attestationsChanged();
    return true;
}

void ReadinessView::reapplyAttestations()
{
    m_report.attestations = m_attestations;
    applyAttestations(m_report.results, m_attestations, m_clock->now(), optionsFromForm().staleAfterDays);
    if (m_evaluator)
        m_evaluator->setAttestations(m_attestations);
}

bool ReadinessView::loadReview(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    auto loaded = ReviewFile::fromJson(f.readAll());
    if (!loaded) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), loaded.error().sentence);
        return false;
    }
    m_attestations = loaded.value().attestations;
    m_reviewPath = path;
    m_dirty = false;
    reapplyAttestations();
    showReport();
    updateControls();
    QStringList notes = loaded.value().warnings;
    const QString mismatch = ReviewFile::mismatch(loaded.value(), m_report.integration);
    if (!mismatch.isEmpty())
        notes.prepend(mismatch);
    if (!notes.isEmpty())
        dialogs()->inform(this, tr("Load review"), notes.join(QLatin1Char('\n')));
    m_status->setText(tr("Loaded %n attestation(s) from %1.", nullptr, int(m_attestations.size())).arg(QFileInfo(path).fileName()));
    Q_EMIT attestationsChanged();
    return true;
}

bool ReadinessView::saveReview(const QString& path, QString* error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(ReviewFile::toJson(m_report.integration, m_attestations, m_clock->now())) < 0 ||
        !f.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    m_reviewPath = path;
    m_dirty = false;
    m_status->setText(tr("Saved %n attestation(s) to %1.", nullptr, int(m_attestations.size())).arg(QFileInfo(path).fileName()));
    return true;
}

bool ReadinessView::exportReport(const QString& path, QString* error)
{
    ReadinessReport r = m_report;
    r.attestations = m_attestations;
    if (r.namingPattern.isEmpty())
        r.namingPattern = optionsFromForm().namingPattern;
    return ReadinessExport::write(r, path, error);
}

void ReadinessView::showReport()
{
    m_model->setResults(m_report.results);
    const StatusCounts c = countStatuses(m_report.results);
    const bool evaluated = m_report.evaluatedAt.isValid();
    const Verdict v = m_report.verdict();
    const QColor color = evaluated ? verdictColor(v) : QColor(0x61, 0x61, 0x61);
    m_verdict->setText(evaluated ? tr("<b>%1</b> &nbsp; %2").arg(esc(verdictName(v)), esc(c.summary()))
                                 : tr("<b>Not evaluated yet</b> &nbsp; press Evaluate to review the integration"));
    m_verdict->setStyleSheet(QStringLiteral("#readinessVerdict { background: %1; color: white; padding: 6px 10px; "
                                            "font-size: 14px; border-radius: 3px; }")
                                 .arg(color.name()));
    const IntegrationSummary& i = m_report.integration;
    if (!m_client) {
        m_subject->setText(tr("Not connected."));
    } else {
        QString who = i.idtyp == QLatin1String("user") ? tr("a person") : tr("app %1").arg(i.clientId.isEmpty() ? i.appid : i.clientId);
        m_subject->setText(tr("Integration: <b>%1</b> — signs in as %2 (%3) · environment %4")
                               .arg(esc(i.connection), esc(who), esc(i.credential), esc(i.environment)));
    }
    showDetails();
}

void ReadinessView::showDetails()
{
    const QString id = selectedCheckId();
    const ReadinessCheck* def = findCheck(id);
    if (!def) {
        m_details->setHtml(tr("<p>Select a check to see its evidence, why it matters and how to fix it.</p>"));
        return;
    }
    const CheckResult* r = m_model->result(id);
    const Status s = r ? r->status : Status::NotEvaluated;
    QString html = QStringLiteral("<h3 style='margin:0'>%1</h3><p style='color:#616161'><code>%2</code> · %3 · %4</p>")
                       .arg(esc(def->title), esc(def->id), esc(areaName(def->area)), esc(decisionName(def->decision)));
    html += QStringLiteral("<p><b style='color:%1'>%2</b>%3</p>")
                .arg(ReadinessModel::statusColor(s).name(), esc(statusName(s)),
                     r && r->attestationApplied ? esc(tr(" (by attestation; live: %1)").arg(statusName(r->liveStatus))) : QString());
    if (r && !r->error.isEmpty())
        html += QStringLiteral("<p><b>Could not evaluate:</b> %1</p>").arg(esc(r->error));
    if (r && !r->evidence.isEmpty()) {
        html += QStringLiteral("<p><b>Evidence</b></p><ul>");
        for (const QString& e : r->evidence)
            html += QStringLiteral("<li>%1</li>").arg(esc(e));
        html += QStringLiteral("</ul>");
    }
    if (r && r->attestation) {
        const Attestation& a = *r->attestation;
        html += QStringLiteral("<p><b>Attestation:</b> %1 by %2 on %3%4%5</p>")
                    .arg(esc(statusName(a.status)), esc(a.by), esc(a.at.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))),
                         a.comment.isEmpty() ? QString() : QStringLiteral(" — ") + esc(a.comment),
                         r->attestationStale ? esc(tr(" (stale: older than the review's limit, not counted)")) : QString());
    }
    html += QStringLiteral("<p><b>Why it matters.</b> %1</p><p><b>How it is decided.</b> %2</p><p><b>Fix.</b> %3</p>")
                .arg(esc(def->why), esc(def->howDecided), esc(def->fix));
    if (!def->attestation.isEmpty())
        html += QStringLiteral("<p><b>A person attests:</b> %1</p>").arg(esc(def->attestation));
    m_details->setHtml(html);
}

void ReadinessView::updateControls()
{
    const bool running = isEvaluating();
    const bool namingOk = QRegularExpression(m_naming->text()).isValid() && !m_naming->text().trimmed().isEmpty();
    m_evaluate->setEnabled(m_evaluator && !running && namingOk);
    m_evaluate->setToolTip(namingOk ? QString() : tr("The naming convention is not a valid regular expression"));
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    const ReadinessCheck* check = findCheck(selectedCheckId());
    m_attest->setEnabled(check && check->decision != Decision::Live);
    m_attest->setToolTip(!check ? tr("Select a check first")
                         : check->decision == Decision::Live ? tr("This check is decided from live evidence only")
                                                             : tr("Record a person's word on this check"));
    m_save->setEnabled(!m_attestations.empty());
    m_export->setEnabled(true);
}

} // namespace pbi::ui
