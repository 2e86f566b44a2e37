#include "ConnectionController.h"

#include "DialogSeam.h"
#include "MainWindow.h"
#include "ReadinessView.h"

#include "api/PowerBiClient.h"
#include "auth/DelegatedCredential.h"
#include "auth/DeviceCodeCredential.h"
#include "auth/InteractiveCredential.h"
#include "auth/TokenProvider.h"
#include "http/Transport.h"
#include "profiles/CredentialFactory.h"
#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

namespace pbi::ui {

namespace {

ConnectionDescription describe(const ConnectionProfile& p, const std::optional<pbi::SandboxEndpoint>& sandbox)
{
    ConnectionDescription d;
    d.color = QColor(p.effectiveColor());
    d.environmentName = p.environmentName();
    d.isProduction = p.environment == Environment::Production;
    d.adminScope = p.scope == ApiScope::Admin;
    d.servicePrincipal = p.credentialKind == CredentialKind::ClientSecret ||
                         p.credentialKind == CredentialKind::Certificate;
    if (p.builtIn) {
        d.title = QObject::tr("Sandbox tenant");
        d.subtitle = QObject::tr("local emulator at %1 · %2 · no real data")
                         .arg(sandbox ? sandbox->base.toString() : QString(),
                              sandbox ? sandbox->domain : QString());
        d.isSandbox = true;
        return d;
    }
    d.title = p.displayName;
    const auto cloud = p.resolveCloud();
    d.subtitle = QObject::tr("%1 · %2 · tenant %3 · %4 scope")
                     .arg(p.environmentName(), cloud ? cloud->displayName : QObject::tr("custom cloud"),
                          p.tenant, p.scope == ApiScope::Admin ? QObject::tr("admin") : QObject::tr("member"));
    if (p.environment == Environment::Production)
        d.subtitle += QObject::tr(" · PRODUCTION");
    return d;
}

} // namespace

ConnectionController::ConnectionController(pbi::ProfileStore* profiles, TransportFactory makeTransport,
                                           const pbi::Clock* clock, SandboxStarter startSandbox,
                                           MainWindow* window, DialogSeam* dialogs, QObject* parent)
    : QObject(parent)
    , m_profiles(profiles)
    , m_makeTransport(std::move(makeTransport))
    , m_clock(clock)
    , m_startSandbox(std::move(startSandbox))
    , m_window(window)
    , m_dialogs(dialogs)
{
    connect(window, &MainWindow::manageConnectionsRequested, this, &ConnectionController::openManager);
}

ConnectionController::~ConnectionController() = default;

pbi::Result<std::shared_ptr<ConnectionController::Session>>
ConnectionController::makeSession(const ConnectionProfile& p, const QString& secret,
                                  const QString& refreshToken)
{
    if (p.builtIn && !m_sandbox) {
        auto started = m_startSandbox();
        if (!started)
            return started.error();
        m_sandbox = started.value();
    }
    return openSession(p, CredentialSecrets{secret, refreshToken}, m_makeTransport(), m_clock, m_sandbox);
}

void ConnectionController::wireDelegated(const ConnectionProfile& p, Session& session)
{
    auto* delegated = qobject_cast<DelegatedCredential*>(session.credential.get());
    if (!delegated)
        return;
    const QString id = p.id;
    // The refresh token goes to the keychain and nowhere else.
    connect(delegated, &DelegatedCredential::refreshTokenChanged, this, [this, id](const QString& token) {
        auto done = [this](Result<bool> r) {
            if (!r && m_window)
                m_window->showConnectionError(tr("Signed in, but the sign-in could not be remembered."), r.error());
        };
        if (token.isEmpty())
            m_profiles->secretStore()->remove(ProfileStore::secretKey(id, SecretKind::RefreshToken), this, done);
        else
            m_profiles->writeSecret(id, SecretKind::RefreshToken, token, this, done);
    });
    if (auto* browser = qobject_cast<InteractiveCredential*>(delegated)) {
        // The core never opens a browser itself: the UI does, and says so in the status line.
        connect(browser, &InteractiveCredential::authorizationUrlReady, this, [this](const QUrl& url) {
            if (!QDesktopServices::openUrl(url) && m_window) {
                Error e;
                e.kind = ErrorKind::Refused;
                e.sentence = tr("No browser could be opened. Open this address yourself to sign in: %1").arg(url.toString());
                m_window->showConnectionError(tr("Sign in in your browser."), e);
            }
        });
    }
    if (auto* device = qobject_cast<DeviceCodeCredential*>(delegated)) {
        connect(device, &DeviceCodeCredential::deviceCodeReady, this, [this](const DeviceCodePrompt& prompt) {
            auto* box = new QMessageBox(QMessageBox::Information, tr("Sign in with a code"),
                                        tr("<p>Open <a href=\"%1\">%1</a> in a browser, on any device, and enter the code:</p>"
                                           "<p style=\"font-size:20pt; font-family:monospace\"><b>%2</b></p>"
                                           "<p>The code expires at %3. This window closes when the sign-in completes.</p>")
                                            .arg(prompt.verificationUri.toString().toHtmlEscaped(), prompt.userCode.toHtmlEscaped(),
                                                 prompt.expiresAt.toLocalTime().toString(QStringLiteral("HH:mm"))),
                                        QMessageBox::Close, m_window);
            box->setObjectName(QStringLiteral("deviceCodePrompt"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->setTextFormat(Qt::RichText);
            QPushButton* copy = box->addButton(tr("Copy code"), QMessageBox::ActionRole);
            QPushButton* open = box->addButton(tr("Open browser"), QMessageBox::ActionRole);
            copy->disconnect();
            open->disconnect();
            const QString code = prompt.userCode;
            const QUrl url = prompt.verificationUri;
            connect(copy, &QPushButton::clicked, box, [code] { QApplication::clipboard()->setText(code); });
            connect(open, &QPushButton::clicked, box, [url] { QDesktopServices::openUrl(url); });
            connect(this, &ConnectionController::connected, box, &QWidget::close);
            box->open();
        });
    }
}

void ConnectionController::finishConnect(const ConnectionProfile& p, const QString& secret,
                                         const QString& refreshToken)
{
    auto session = makeSession(p, secret, refreshToken);
    if (!m_window)
        return;
    if (!session) {
        m_window->setConnection(nullptr, describe(p, m_sandbox));
        m_window->showConnectionError(tr("Could not connect to \"%1\".").arg(p.displayName), session.error());
        Q_EMIT connected(p.id, false);
        return;
    }
    wireDelegated(p, *session.value());
    // The window lets go of the old client before the old session dies.
    auto old = std::move(m_session);
    m_session = session.value();
    m_currentId = p.id;
    m_profiles->setLastProfileId(p.id);
    m_window->setConnection(m_session->client.get(), describe(p, m_sandbox));
    m_window->readinessView()->setConnection(m_session->client.get(), p, m_profiles->secretStore());
    old.reset();
    Q_EMIT connected(p.id, true);
}

void ConnectionController::connectTo(const QString& profileId)
{
    if (profileId == QLatin1String("sandbox") || profileId.isEmpty()) {
        finishConnect(ProfileStore::sandboxProfile(), {}, {});
        return;
    }
    const auto profile = m_profiles->profile(profileId);
    if (!profile) {
        finishConnect(ProfileStore::sandboxProfile(), {}, {});
        return;
    }
    const ConnectionProfile p = *profile;
    const auto kind = typedSecretKind(p.credentialKind);
    // Read what the credential needs from the keychain, then connect.
    auto readRefresh = [this, p](const QString& secret) {
        if (p.credentialKind == CredentialKind::ClientSecret || p.credentialKind == CredentialKind::Certificate)
            return finishConnect(p, secret, {});
        m_profiles->readSecret(p.id, SecretKind::RefreshToken, this,
                               [this, p, secret](Result<std::optional<QString>> r) {
                                   finishConnect(p, secret, r && r.value() ? *r.value() : QString());
                               });
    };
    if (!kind)
        return readRefresh({});
    m_profiles->readSecret(p.id, *kind, this, [this, p, readRefresh](Result<std::optional<QString>> r) {
        if (!r) {
            if (m_window) {
                m_window->setConnection(nullptr, describe(p, m_sandbox));
                m_window->showConnectionError(tr("Could not read the secret of \"%1\".").arg(p.displayName), r.error());
            }
            Q_EMIT connected(p.id, false);
            return;
        }
        readRefresh(r.value().value_or(QString()));
    });
}

ConnectionDialog::Tester ConnectionController::tester()
{
    return [this](const ConnectionProfile& p, const QString& secret, QObject* context,
                  std::function<void(Result<ConnectionCheckResult>)> done) {
        auto session = makeSession(p, secret, {});
        if (!session) {
            Error e = session.error();
            QTimer::singleShot(0, context, [done, e] { done(e); });
            return;
        }
        std::shared_ptr<Session> keep = session.value();
        runConnectionCheck(keep->client.get(), m_clock, context,
                           [keep, done](Result<ConnectionCheckResult> r) { done(std::move(r)); });
    };
}

void ConnectionController::openManager()
{
    ConnectionDialog dialog(m_profiles, m_dialogs, tester(), m_window);
    dialog.selectProfile(m_currentId.isEmpty() ? QStringLiteral("sandbox") : m_currentId);
    connect(&dialog, &ConnectionDialog::connectRequested, this, [this, &dialog](const QString& id) {
        dialog.accept();
        connectTo(id);
    });
    dialog.exec();
}

} // namespace pbi::ui
