#include "ConnectionDialog.h"

#include "DialogSeam.h"
#include "ErrorBanner.h"

#include "auth/ClientCertificate.h"
#include "profiles/CredentialFactory.h"
#include "profiles/ProfileStore.h"
#include "profiles/ProfileValidator.h"
#include "profiles/SecretStore.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace pbi::ui {

namespace {

constexpr int kIdRole = Qt::UserRole + 1;

QString secretLabel(CredentialKind kind)
{
    switch (kind) {
    case CredentialKind::ClientSecret: return QObject::tr("Client secret");
    case CredentialKind::Certificate: return QObject::tr("Pass phrase");
    case CredentialKind::UsernamePassword: return QObject::tr("Password");
    default: return QObject::tr("Secret");
    }
}

} // namespace

ConnectionDialog::ConnectionDialog(pbi::ProfileStore* store, DialogSeam* dialogs, Tester tester,
                                   QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_dialogs(dialogs)
    , m_tester(std::move(tester))
{
    setWindowTitle(tr("Connections"));
    setObjectName(QStringLiteral("connectionDialog"));
    buildUi();
    reloadList(m_store->lastProfileId().isEmpty() ? QStringLiteral("sandbox") : m_store->lastProfileId());
    connect(m_store, &ProfileStore::profilesChanged, this, [this] {
        if (!m_saving)
            reloadList(m_currentId);
    });
}

void ConnectionDialog::buildUi()
{
    resize(980, 640);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_new = new QPushButton(tr("&New"), this);
    m_duplicate = new QPushButton(tr("D&uplicate"), this);
    m_delete = new QPushButton(tr("&Delete"), this);
    m_import = new QPushButton(tr("&Import…"), this);
    m_export = new QPushButton(tr("E&xport…"), this);
    for (auto* b : {m_new, m_duplicate, m_delete, m_import, m_export})
        b->setAutoDefault(false);
    m_new->setObjectName(QStringLiteral("newButton"));
    m_duplicate->setObjectName(QStringLiteral("duplicateButton"));
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    m_import->setObjectName(QStringLiteral("importButton"));
    m_export->setObjectName(QStringLiteral("exportButton"));

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_list, 1);
    auto* row1 = new QHBoxLayout;
    row1->addWidget(m_new);
    row1->addWidget(m_duplicate);
    row1->addWidget(m_delete);
    auto* row2 = new QHBoxLayout;
    row2->addWidget(m_import);
    row2->addWidget(m_export);
    leftLayout->addLayout(row1);
    leftLayout->addLayout(row2);

    auto* right = new QWidget(this);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);

    // Each field sits above its own problem line, so the reason shows beside the value.
    auto addRow = [this](const QString& label, const QString& field, QWidget* input,
                         QWidget* extra = nullptr) {
        auto* box = new QWidget(this);
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        if (extra) {
            auto* h = new QHBoxLayout;
            h->addWidget(input, 1);
            h->addWidget(extra);
            v->addLayout(h);
        } else {
            v->addWidget(input);
        }
        auto* problem = new QLabel(box);
        problem->setObjectName(field + QStringLiteral("Problem"));
        problem->setWordWrap(true);
        problem->setStyleSheet(QStringLiteral("color: #c62828;"));
        problem->hide();
        v->addWidget(problem);
        m_problems.insert(field, problem);
        m_rows.insert(field, box);
        m_form->addRow(label, box);
        if (auto* l = qobject_cast<QLabel*>(m_form->labelForField(box)))
            l->setBuddy(input);
    };

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    addRow(tr("&Name"), QStringLiteral("displayName"), m_name);

    m_environment = new QComboBox(this);
    m_environment->setObjectName(QStringLiteral("environmentCombo"));
    m_environment->addItem(tr("Development"), int(Environment::Development));
    m_environment->addItem(tr("Test"), int(Environment::Test));
    m_environment->addItem(tr("Production"), int(Environment::Production));
    m_environment->addItem(tr("Custom…"), int(Environment::Custom));
    addRow(tr("&Environment"), QStringLiteral("environment"), m_environment);
    m_customEnvironment = new QLineEdit(this);
    m_customEnvironment->setObjectName(QStringLiteral("customEnvironmentEdit"));
    m_customEnvironment->setPlaceholderText(tr("e.g. Staging"));
    addRow(tr("Environment name"), QStringLiteral("customEnvironmentName"), m_customEnvironment);
    m_color = new QLineEdit(this);
    m_color->setObjectName(QStringLiteral("colorEdit"));
    m_color->setPlaceholderText(tr("#rrggbb — empty: the environment's colour"));
    addRow(tr("Colo&ur"), QStringLiteral("color"), m_color);

    m_cloud = new QComboBox(this);
    m_cloud->setObjectName(QStringLiteral("cloudCombo"));
    for (const Cloud& c : Cloud::builtIn())
        m_cloud->addItem(c.displayName, int(c.id));
    m_cloud->addItem(tr("Custom…"), int(Cloud::Id::Custom));
    addRow(tr("C&loud"), QStringLiteral("cloud"), m_cloud);
    m_authority = new QLineEdit(this);
    m_authority->setObjectName(QStringLiteral("authorityEdit"));
    m_authority->setPlaceholderText(QStringLiteral("https://login.microsoftonline.com"));
    addRow(tr("Authority"), QStringLiteral("customAuthority"), m_authority);
    m_apiBase = new QLineEdit(this);
    m_apiBase->setObjectName(QStringLiteral("apiBaseEdit"));
    m_apiBase->setPlaceholderText(QStringLiteral("https://api.powerbi.com"));
    addRow(tr("API base"), QStringLiteral("customApiBase"), m_apiBase);
    m_resource = new QLineEdit(this);
    m_resource->setObjectName(QStringLiteral("resourceEdit"));
    m_resource->setPlaceholderText(QStringLiteral("https://analysis.windows.net/powerbi/api"));
    addRow(tr("Resource"), QStringLiteral("customResource"), m_resource);
    m_caFile = new QLineEdit(this);
    m_caFile->setObjectName(QStringLiteral("caFileEdit"));
    m_caFile->setPlaceholderText(tr("Optional: a CA certificate (PEM) to trust too, e.g. a sandbox's"));
    m_browseCa = new QPushButton(tr("Browse…"), this);
    m_browseCa->setAutoDefault(false);
    addRow(tr("CA certificate"), QStringLiteral("caCertificatePath"), m_caFile, m_browseCa);

    m_tenant = new QLineEdit(this);
    m_tenant->setObjectName(QStringLiteral("tenantEdit"));
    m_tenant->setPlaceholderText(tr("Tenant id (GUID) or domain, e.g. contoso.onmicrosoft.com"));
    addRow(tr("&Tenant"), QStringLiteral("tenant"), m_tenant);
    m_clientId = new QLineEdit(this);
    m_clientId->setObjectName(QStringLiteral("clientIdEdit"));
    m_clientId->setPlaceholderText(tr("Application (client) id of the app registration"));
    addRow(tr("Client &id"), QStringLiteral("clientId"), m_clientId);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("kindCombo"));
    for (auto k : {CredentialKind::ClientSecret, CredentialKind::Certificate, CredentialKind::DeviceCode,
                   CredentialKind::Interactive, CredentialKind::UsernamePassword})
        m_kind->addItem(credentialKindName(k), int(k));
    addRow(tr("&Sign in as"), QStringLiteral("credentialKind"), m_kind);

    m_certificate = new QLineEdit(this);
    m_certificate->setObjectName(QStringLiteral("certificateEdit"));
    m_certificate->setPlaceholderText(tr("PEM with its private key, or PKCS#12 (.pfx/.p12)"));
    m_browse = new QPushButton(tr("Browse…"), this);
    m_browse->setAutoDefault(false);
    addRow(tr("Certificate"), QStringLiteral("certificatePath"), m_certificate, m_browse);
    m_certificateInfo = new QLabel(this);
    m_certificateInfo->setObjectName(QStringLiteral("certificateInfo"));
    m_certificateInfo->setWordWrap(true);
    m_certificateInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rows.value(QStringLiteral("certificatePath"))->layout()->addWidget(m_certificateInfo);

    m_userName = new QLineEdit(this);
    m_userName->setObjectName(QStringLiteral("userNameEdit"));
    m_userName->setPlaceholderText(QStringLiteral("user@contoso.com"));
    addRow(tr("&User name"), QStringLiteral("userName"), m_userName);

    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("secretEdit"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secretStatus = new QLabel(this);
    m_secretStatus->setObjectName(QStringLiteral("secretStatus"));
    m_secretStatus->setWordWrap(true);
    m_sessionOnly = new QPushButton(tr("Use for this session only"), this);
    m_sessionOnly->setObjectName(QStringLiteral("sessionOnlyButton"));
    m_sessionOnly->setAutoDefault(false);
    m_sessionOnly->hide();
    auto* secretBox = new QWidget(this);
    auto* sv = new QVBoxLayout(secretBox);
    sv->setContentsMargins(0, 0, 0, 0);
    sv->setSpacing(2);
    sv->addWidget(m_secret);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_secretStatus, 1);
    statusRow->addWidget(m_sessionOnly);
    sv->addLayout(statusRow);
    m_rows.insert(QStringLiteral("secret"), secretBox);
    m_form->addRow(tr("Client secret"), secretBox);
    if (auto* l = qobject_cast<QLabel*>(m_form->labelForField(secretBox)))
        l->setBuddy(m_secret);

    m_member = new QRadioButton(tr("Member: what the identity belongs to"), this);
    m_admin = new QRadioButton(tr("Admin: the whole tenant (admin APIs)"), this);
    m_member->setObjectName(QStringLiteral("memberScope"));
    m_admin->setObjectName(QStringLiteral("adminScope"));
    auto* scopeGroup = new QButtonGroup(this);
    scopeGroup->addButton(m_member);
    scopeGroup->addButton(m_admin);
    auto* scopeBox = new QWidget(this);
    auto* sh = new QHBoxLayout(scopeBox);
    sh->setContentsMargins(0, 0, 0, 0);
    sh->addWidget(m_member);
    sh->addWidget(m_admin);
    sh->addStretch();
    m_form->addRow(tr("Scope"), scopeBox);

    m_notes = new QPlainTextEdit(this);
    m_notes->setObjectName(QStringLiteral("notesEdit"));
    m_notes->setMaximumHeight(60);
    m_form->addRow(tr("Notes"), m_notes);

    m_error = new ErrorBanner(this);
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testResult->hide();

    m_test = new QPushButton(tr("&Test connection"), this);
    m_test->setObjectName(QStringLiteral("testButton"));
    m_save = new QPushButton(tr("Sa&ve"), this);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_connect = new QPushButton(tr("&Connect"), this);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setDefault(true);
    auto* close = new QPushButton(tr("Close"), this);
    close->setAutoDefault(false);
    m_test->setAutoDefault(false);
    m_save->setAutoDefault(false);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_test);
    buttons->addStretch();
    buttons->addWidget(m_save);
    buttons->addWidget(m_connect);
    buttons->addWidget(close);

    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(m_form);
    rightLayout->addWidget(m_error);
    rightLayout->addWidget(m_testResult);
    rightLayout->addStretch();
    rightLayout->addLayout(buttons);

    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({260, 720});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    for (QLineEdit* e : {m_name, m_customEnvironment, m_color, m_authority, m_apiBase, m_resource, m_caFile,
                         m_tenant, m_clientId, m_certificate, m_userName})
        connect(e, &QLineEdit::textChanged, this, &ConnectionDialog::revalidate);
    for (QComboBox* c : {m_environment, m_cloud, m_kind})
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            updateVisibility();
            revalidate();
        });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ConnectionDialog::refreshSecretStatus);
    connect(m_secret, &QLineEdit::textChanged, this, [this] {
        if (CredentialKind(m_kind->currentData().toInt()) == CredentialKind::Certificate)
            revalidate();
    });
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (!item || m_loading)
            return;
        const QString id = item->data(kIdRole).toString();
        if (id == QLatin1String("sandbox"))
            loadProfile(ProfileStore::sandboxProfile());
        else if (auto p = m_store->profile(id))
            loadProfile(*p);
    });
    connect(m_new, &QPushButton::clicked, this, &ConnectionDialog::newProfile);
    connect(m_duplicate, &QPushButton::clicked, this, &ConnectionDialog::duplicateCurrent);
    connect(m_delete, &QPushButton::clicked, this, &ConnectionDialog::deleteCurrent);
    connect(m_import, &QPushButton::clicked, this, &ConnectionDialog::importProfiles);
    connect(m_export, &QPushButton::clicked, this, &ConnectionDialog::exportProfiles);
    connect(m_browse, &QPushButton::clicked, this, &ConnectionDialog::chooseCertificate);
    connect(m_browseCa, &QPushButton::clicked, this, &ConnectionDialog::chooseCaFile);
    connect(m_test, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(m_save, &QPushButton::clicked, this, [this] { saveCurrent(); });
    connect(m_connect, &QPushButton::clicked, this, [this] {
        if (m_currentId == QLatin1String("sandbox"))
            return Q_EMIT connectRequested(m_currentId);
        saveCurrent([this](bool ok) {
            if (ok)
                Q_EMIT connectRequested(m_currentId);
        });
    });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_error, &ErrorBanner::retryRequested, this, &ConnectionDialog::testConnection);
    connect(m_sessionOnly, &QPushButton::clicked, this, [this] {
        const auto kind = typedSecretKind(formProfile().credentialKind);
        if (!kind || m_currentId.isEmpty() || m_secret->text().isEmpty())
            return;
        m_store->useSessionSecret(m_currentId, *kind, m_secret->text());
        m_secret->clear();
        m_sessionOnly->hide();
        m_error->clear();
        refreshSecretStatus();
    });
}

void ConnectionDialog::reloadList(const QString& selectId)
{
    m_loading = true;
    m_list->clear();
    const auto sandbox = ProfileStore::sandboxProfile();
    auto* s = new QListWidgetItem(sandbox.displayName, m_list);
    s->setData(kIdRole, sandbox.id);
    s->setToolTip(sandbox.notes);
    for (const auto& p : m_store->profiles()) {
        auto* item = new QListWidgetItem(p.displayName + QStringLiteral("  —  ") + p.environmentName(), m_list);
        item->setData(kIdRole, p.id);
        item->setForeground(QColor(p.effectiveColor()));
        item->setToolTip(QStringLiteral("%1 · %2").arg(credentialKindName(p.credentialKind), p.tenant));
    }
    m_loading = false;
    selectProfile(selectId);
}

void ConnectionDialog::selectProfile(const QString& id)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(kIdRole).toString() == id) {
            if (m_list->currentRow() == i) {
                if (id == QLatin1String("sandbox"))
                    loadProfile(ProfileStore::sandboxProfile());
                else if (auto p = m_store->profile(id))
                    loadProfile(*p);
            } else {
                m_list->setCurrentRow(i);
            }
            return;
        }
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

QString ConnectionDialog::currentProfileId() const
{
    return m_currentId;
}

void ConnectionDialog::loadProfile(const ConnectionProfile& p)
{
    m_loading = true;
    m_currentId = p.id;
    m_name->setText(p.displayName);
    m_environment->setCurrentIndex(m_environment->findData(int(p.environment)));
    m_customEnvironment->setText(p.customEnvironmentName);
    m_color->setText(p.color);
    const int cloudIndex = m_cloud->findData(int(p.cloud));
    m_cloud->setCurrentIndex(cloudIndex < 0 ? 0 : cloudIndex);
    m_authority->setText(p.customAuthority);
    m_apiBase->setText(p.customApiBase);
    m_resource->setText(p.customResource);
    m_caFile->setText(p.caCertificatePath);
    m_tenant->setText(p.tenant);
    m_clientId->setText(p.clientId);
    m_kind->setCurrentIndex(m_kind->findData(int(p.credentialKind)));
    m_certificate->setText(p.certificatePath);
    m_userName->setText(p.userName);
    m_member->setChecked(p.scope == ApiScope::Member);
    m_admin->setChecked(p.scope == ApiScope::Admin);
    m_notes->setPlainText(p.notes);
    m_secret->clear();
    m_sessionOnly->hide();
    m_error->clear();
    m_testResult->hide();
    m_loading = false;

    // The sandbox profile is built in: shown, testable and connectable, never edited.
    const bool editable = !p.builtIn;
    for (QWidget* w : std::initializer_list<QWidget*>{m_name, m_environment, m_customEnvironment, m_color, m_cloud,
                                                      m_authority, m_apiBase, m_resource, m_caFile, m_browseCa,
                                                      m_tenant, m_clientId,
                                                      m_kind, m_certificate, m_browse, m_userName, m_secret,
                                                      m_member, m_admin, m_notes})
        w->setEnabled(editable);
    m_duplicate->setEnabled(editable);
    m_delete->setEnabled(editable);
    m_save->setEnabled(editable);
    updateVisibility();
    revalidate();
    refreshSecretStatus();
}

ConnectionProfile ConnectionDialog::formProfile() const
{
    if (m_currentId == QLatin1String("sandbox"))
        return ProfileStore::sandboxProfile();
    ConnectionProfile p;
    p.id = m_currentId;
    p.displayName = m_name->text();
    p.environment = Environment(m_environment->currentData().toInt());
    p.customEnvironmentName = m_customEnvironment->text().trimmed();
    p.color = m_color->text().trimmed();
    p.cloud = Cloud::Id(m_cloud->currentData().toInt());
    p.customAuthority = m_authority->text().trimmed();
    p.customApiBase = m_apiBase->text().trimmed();
    p.customResource = m_resource->text().trimmed();
    p.caCertificatePath = p.cloud == Cloud::Id::Custom ? m_caFile->text().trimmed() : QString();
    p.tenant = m_tenant->text().trimmed();
    p.clientId = m_clientId->text().trimmed();
    p.credentialKind = CredentialKind(m_kind->currentData().toInt());
    p.certificatePath = m_certificate->text().trimmed();
    p.userName = m_userName->text().trimmed();
    p.scope = m_admin->isChecked() ? ApiScope::Admin : ApiScope::Member;
    p.notes = m_notes->toPlainText();
    if (auto existing = m_store->profile(p.id)) {
        p.certificateThumbprint = existing->certificateThumbprint;
        p.certificateExpiry = existing->certificateExpiry;
    }
    if (p.credentialKind == CredentialKind::Certificate && !p.certificatePath.isEmpty()) {
        if (auto loaded = ClientCertificate::load(p.certificatePath, m_secret->text())) {
            p.certificateThumbprint = loaded.value().info().thumbprint;
            p.certificateExpiry = loaded.value().info().notAfter;
        }
    }
    return p;
}

void ConnectionDialog::updateVisibility()
{
    const auto kind = CredentialKind(m_kind->currentData().toInt());
    const bool custom = Cloud::Id(m_cloud->currentData().toInt()) == Cloud::Id::Custom;
    const bool sandbox = m_currentId == QLatin1String("sandbox");
    m_form->setRowVisible(m_rows.value(QStringLiteral("customEnvironmentName")),
                          Environment(m_environment->currentData().toInt()) == Environment::Custom && !sandbox);
    for (const char* f : {"customAuthority", "customApiBase", "customResource", "caCertificatePath"})
        m_form->setRowVisible(m_rows.value(QLatin1String(f)), custom && !sandbox);
    m_form->setRowVisible(m_rows.value(QStringLiteral("certificatePath")), kind == CredentialKind::Certificate);
    // A user name is required for the password grant and an optional login hint for the browser.
    m_form->setRowVisible(m_rows.value(QStringLiteral("userName")),
                          kind == CredentialKind::UsernamePassword || kind == CredentialKind::Interactive);
    const bool typed = typedSecretKind(kind).has_value() && !sandbox;
    m_form->setRowVisible(m_rows.value(QStringLiteral("secret")), typed);
    if (auto* label = qobject_cast<QLabel*>(m_form->labelForField(m_rows.value(QStringLiteral("secret")))))
        label->setText(secretLabel(kind));
    for (const char* f : {"cloud", "tenant", "clientId", "credentialKind", "environment", "color"})
        m_form->setRowVisible(m_rows.value(QLatin1String(f)), !sandbox);
}

void ConnectionDialog::setProblem(const QString& field, const QString& message)
{
    QLabel* label = m_problems.value(field);
    if (!label)
        return;
    label->setText(message);
    label->setVisible(!message.isEmpty());
}

void ConnectionDialog::revalidate()
{
    if (m_loading)
        return;
    for (QLabel* l : std::as_const(m_problems)) {
        l->clear();
        l->hide();
    }
    const ConnectionProfile p = formProfile();
    for (const auto& problem : ProfileValidator::validate(p))
        setProblem(problem.field, problem.message);
    inspectCertificate();
    // Swatch the colour field so the user sees the band's colour before saving.
    const QString colour = ProfileValidator::color(p.color).isEmpty() ? p.effectiveColor() : QString();
    m_color->setStyleSheet(colour.isEmpty() ? QString()
                                            : QStringLiteral("QLineEdit { border-left: 14px solid %1; }").arg(colour));
    const bool ok = !hasProblems();
    m_save->setEnabled(ok && !p.builtIn);
    m_connect->setEnabled(ok);
    m_test->setEnabled(ok);
}

bool ConnectionDialog::hasProblems() const
{
    for (QLabel* l : m_problems)
        if (!l->text().isEmpty())
            return true;
    return false;
}

void ConnectionDialog::inspectCertificate()
{
    m_certificateInfo->clear();
    const ConnectionProfile p = formProfile();
    if (p.credentialKind != CredentialKind::Certificate || p.builtIn ||
        !ProfileValidator::certificatePath(p.certificatePath).isEmpty())
        return;
    auto loaded = ClientCertificate::load(p.certificatePath, m_secret->text());
    if (!loaded) {
        const QString why = loaded.error().sentence;
        // An encrypted file cannot be checked before its pass phrase is typed: say so, calmly.
        if (m_secret->text().isEmpty() && why.contains(QLatin1String("pass phrase is needed")))
            m_certificateInfo->setText(tr("Type the pass phrase to check the certificate."));
        else
            setProblem(QStringLiteral("certificatePath"), why);
        return;
    }
    const CertificateInfo& info = loaded.value().info();
    QString text = tr("%1 · thumbprint %2 · valid until %3")
                       .arg(info.subject, info.thumbprint,
                            info.notAfter.toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    const QString problem = info.validityProblem(QDateTime::currentDateTimeUtc());
    if (!problem.isEmpty())
        setProblem(QStringLiteral("certificatePath"), problem);
    m_certificateInfo->setText(text);
}

void ConnectionDialog::refreshSecretStatus()
{
    const ConnectionProfile p = formProfile();
    const auto kind = typedSecretKind(p.credentialKind);
    if (!kind || p.builtIn) {
        m_secretStatus->clear();
        return;
    }
    if (m_currentId.isEmpty()) {
        m_secretStatus->setText(tr("Saved to %1 when you save the connection; never to a file.").arg(m_store->secretStore()->description()));
        return;
    }
    if (m_store->hasSessionSecret(m_currentId, *kind)) {
        m_secretStatus->setText(tr("Kept in memory for this session only."));
        return;
    }
    m_secretStatus->setText(tr("Checking %1…").arg(m_store->secretStore()->description()));
    const QString id = m_currentId;
    m_store->readSecret(id, *kind, this, [this, id](Result<std::optional<QString>> r) {
        if (id != m_currentId)
            return; // another profile is shown by now
        if (!r)
            m_secretStatus->setText(tr("Cannot read the keychain: %1").arg(r.error().sentence));
        else if (r.value())
            m_secretStatus->setText(tr("Stored in %1. Type a new one to replace it.").arg(m_store->secretStore()->description()));
        else
            m_secretStatus->setText(tr("Not stored yet: type it and save."));
    });
}

void ConnectionDialog::storeSecret(const QString& id, std::optional<SecretKind> kind,
                                   const QString& secret, std::function<void(bool)> then)
{
    if (!kind || secret.isEmpty()) {
        then(true);
        return;
    }
    m_store->writeSecret(id, *kind, secret, this, [this, id, secret, then = std::move(then)](Result<bool> r) {
        if (!r) {
            // Nothing is written anywhere else; keep what was typed and offer the session-only way.
            if (id == m_currentId && m_secret->text().isEmpty())
                m_secret->setText(secret);
            m_error->showError(tr("The connection was saved, but its secret was not."), r.error());
            m_sessionOnly->show();
            Q_EMIT operationFinished(false);
            then(false);
            return;
        }
        refreshSecretStatus();
        then(true);
    });
}

void ConnectionDialog::saveCurrent(std::function<void(bool)> then)
{
    m_error->clear();
    const ConnectionProfile form = formProfile();
    const auto kind = typedSecretKind(form.credentialKind);
    const QString secret = m_secret->text();
    m_saving = true;
    auto saved = m_store->save(form);
    m_saving = false;
    if (!saved) {
        setProblem(saved.error().code, saved.error().sentence);
        m_error->showError(tr("The connection was not saved."), saved.error());
        Q_EMIT operationFinished(false);
        if (then)
            then(false);
        return;
    }
    m_currentId = saved.value().id;
    m_store->setLastProfileId(m_currentId);
    reloadList(m_currentId); // shows the saved profile (the secret field empties)
    storeSecret(m_currentId, kind, secret, [this, then = std::move(then)](bool ok) {
        if (ok)
            Q_EMIT operationFinished(true);
        if (then)
            then(ok);
    });
}

void ConnectionDialog::newProfile()
{
    ConnectionProfile p;
    p.displayName = tr("New connection");
    m_list->clearSelection();
    m_list->setCurrentRow(-1);
    loadProfile(p);
    m_currentId.clear();
    m_name->setFocus();
    m_name->selectAll();
}

void ConnectionDialog::duplicateCurrent()
{
    if (auto copy = m_store->duplicate(m_currentId))
        selectProfile(copy->id);
}

void ConnectionDialog::deleteCurrent()
{
    const auto p = m_store->profile(m_currentId);
    if (!p)
        return;
    if (!m_dialogs->confirm(this, tr("Delete connection"),
                            tr("Delete \"%1\" and its secrets in the system keychain? This cannot be undone.").arg(p->displayName),
                            tr("Delete")))
        return;
    m_store->remove(p->id, this, [this](Result<bool> r) {
        if (!r) {
            m_error->showError(tr("The connection was deleted, but a keychain entry could not be removed."), r.error());
            Q_EMIT operationFinished(false);
            return;
        }
        Q_EMIT operationFinished(true);
    });
    selectProfile(QStringLiteral("sandbox"));
}

void ConnectionDialog::importProfiles()
{
    const QString path = m_dialogs->openFileName(this, tr("Import connections"), tr("Connection exports (*.json)"));
    if (path.isEmpty())
        return;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        Error e;
        e.kind = ErrorKind::Refused;
        e.sentence = tr("%1 cannot be read: %2").arg(path, f.errorString());
        m_error->showError(tr("Nothing was imported."), e);
        return;
    }
    auto imported = m_store->importProfiles(f.readAll());
    if (!imported) {
        m_error->showError(tr("Nothing was imported."), imported.error());
        Q_EMIT operationFinished(false);
        return;
    }
    m_dialogs->inform(this, tr("Import connections"),
                      tr("%n connection(s) imported. Type their secrets before connecting: exports never carry secrets.",
                         nullptr, int(imported.value().size())));
    if (!imported.value().empty())
        selectProfile(imported.value().front().id);
    Q_EMIT operationFinished(true);
}

void ConnectionDialog::exportProfiles()
{
    QStringList ids;
    for (const auto& p : m_store->profiles())
        ids << p.id;
    if (ids.isEmpty()) {
        m_dialogs->inform(this, tr("Export connections"), tr("There are no saved connections to export yet."));
        return;
    }
    const QString path = m_dialogs->saveFileName(this, tr("Export connections"),
                                                 QStringLiteral("pbi-console-connections.json"),
                                                 tr("Connection exports (*.json)"));
    if (path.isEmpty())
        return;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(m_store->exportProfiles(ids)) < 0) {
        Error e;
        e.kind = ErrorKind::Refused;
        e.sentence = tr("%1 cannot be written: %2").arg(path, f.errorString());
        m_error->showError(tr("Nothing was exported."), e);
        Q_EMIT operationFinished(false);
        return;
    }
    Q_EMIT operationFinished(true);
}

void ConnectionDialog::chooseCertificate()
{
    const QString path = m_dialogs->openFileName(this, tr("Choose the certificate"),
                                                 tr("Certificates (*.pem *.crt *.pfx *.p12);;All files (*)"));
    if (!path.isEmpty())
        m_certificate->setText(path);
}

void ConnectionDialog::chooseCaFile()
{
    const QString path = m_dialogs->openFileName(this, tr("Choose the CA certificate to trust"),
                                                 tr("Certificates (*.pem *.crt *.cer);;All files (*)"));
    if (!path.isEmpty())
        m_caFile->setText(path);
}

void ConnectionDialog::testConnection()
{
    m_error->clear();
    m_testResult->setText(tr("Signing in and listing workspaces…"));
    m_testResult->show();
    m_test->setEnabled(false);
    const ConnectionProfile p = formProfile();
    auto run = [this, p](const QString& secret) {
        m_tester(p, secret, this, [this](Result<ConnectionCheckResult> r) {
            m_test->setEnabled(!hasProblems());
            if (!r) {
                m_testResult->hide();
                m_error->showError(tr("The connection test failed."), r.error());
                Q_EMIT operationFinished(false);
                return;
            }
            const ConnectionCheckResult& c = r.value();
            QString html = tr("<b>Connected.</b> Signed in as <b>%1</b> to tenant <code>%2</code>.<br>")
                               .arg(c.identity.toHtmlEscaped(), c.tenantId.toHtmlEscaped());
            if (!c.identityKind.isEmpty())
                html += tr("Identity: %1.<br>").arg(c.identityKind.toHtmlEscaped());
            html += c.scopesOrRoles.isEmpty()
                        ? tr("The token carries no scopes or roles: rights come from workspace membership and tenant settings.<br>")
                        : tr("Scopes / roles: %1<br>").arg(c.scopesOrRoles.join(QStringLiteral(", ")).toHtmlEscaped());
            html += c.expirySentence.toHtmlEscaped() + QStringLiteral("<br>");
            html += c.workspaceCount == 0
                        ? tr("The identity sees <b>no workspace</b>: add it to a workspace, or check the tenant settings.")
                        : c.workspaceCount == 1
                              ? tr("Sees 1 workspace: “%1”.").arg(c.firstWorkspace.toHtmlEscaped())
                              : tr("Sees %1 workspaces, e.g. “%2”.").arg(c.workspaceCount).arg(c.firstWorkspace.toHtmlEscaped());
            m_testResult->setText(html);
            Q_EMIT operationFinished(true);
        });
    };
    const auto kind = typedSecretKind(p.credentialKind);
    if (!kind || p.builtIn || !m_secret->text().isEmpty() || m_currentId.isEmpty()) {
        run(m_secret->text());
        return;
    }
    m_store->readSecret(m_currentId, *kind, this, [run](Result<std::optional<QString>> r) {
        run(r && r.value() ? *r.value() : QString());
    });
}

} // namespace pbi::ui
