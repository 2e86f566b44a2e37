#include "profiles/SecretStore.h"

#include "Logging.h"

#include <qt6keychain/keychain.h>

#include <QPointer>
#include <QTimer>

namespace pbi {

namespace {

Error keychainError(QKeychain::Error code, const QString& detail, const QString& action)
{
    Error e;
    e.kind = ErrorKind::Keychain;
    e.code = QStringLiteral("keychain-%1").arg(int(code));
    e.message = detail;
    switch (code) {
    case QKeychain::NoBackendAvailable:
        e.sentence = QStringLiteral("No system keychain is available, so the secret could not be %1.").arg(action);
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        e.sentence = QStringLiteral("The system keychain refused access, so the secret could not be %1.").arg(action);
        e.hint = QStringLiteral("Unlock the keychain (log in to the desktop session again) and retry.");
        break;
    default:
        e.sentence = QStringLiteral("The system keychain failed, so the secret could not be %1.").arg(action);
        break;
    }
    // On Linux QtKeychain reports a missing or unreachable Secret Service as OtherError with
    // D-Bus's or libsecret's words ("The name org.freedesktop.secrets was not provided…",
    // "Could not connect: …", "Cannot autolaunch D-Bus…"): say what that means and what to do.
    if (code == QKeychain::NoBackendAvailable || code == QKeychain::OtherError) {
        e.sentence = QStringLiteral("No system keychain (Secret Service) could be reached, so the secret could not be %1.").arg(action);
        e.hint = QStringLiteral("Install and start a Secret Service such as gnome-keyring "
                                "(apt install gnome-keyring) or KWallet, and log in to a desktop "
                                "session. Nothing was written to disk; you can type the secret "
                                "for this session only.");
    }
    return e;
}

template <typename Fn>
void later(QObject* self, QObject* context, Fn fn)
{
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, self, [guard, fn = std::move(fn)]() mutable {
        if (guard)
            fn();
    });
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, QObject* parent)
    : SecretStore(parent)
    , m_service(std::move(service))
{
}

QString KeychainSecretStore::description() const
{
    return QStringLiteral("the system keychain");
}

void KeychainSecretStore::read(const QString& key, QObject* context, ReadCallback callback)
{
    // The job deletes itself when done; it is never deleted while running, even if the
    // context dies first (the connection then just drops).
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, context,
            [callback = std::move(callback)](QKeychain::Job* j) {
                auto* rj = static_cast<QKeychain::ReadPasswordJob*>(j);
                if (j->error() == QKeychain::NoError)
                    return callback(std::optional<QString>(rj->textData()));
                if (j->error() == QKeychain::EntryNotFound)
                    return callback(std::optional<QString>());
                qCWarning(lcPbiAuth) << "keychain read failed:" << j->error() << j->errorString();
                callback(keychainError(j->error(), j->errorString(), QStringLiteral("read")));
            });
    job->start();
}

void KeychainSecretStore::write(const QString& key, const QString& secret, QObject* context,
                                WriteCallback callback)
{
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, context,
            [callback = std::move(callback)](QKeychain::Job* j) {
                if (j->error() == QKeychain::NoError)
                    return callback(true);
                qCWarning(lcPbiAuth) << "keychain write failed:" << j->error() << j->errorString();
                callback(keychainError(j->error(), j->errorString(), QStringLiteral("saved")));
            });
    job->start();
}

void KeychainSecretStore::remove(const QString& key, QObject* context, WriteCallback callback)
{
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, context,
            [callback = std::move(callback)](QKeychain::Job* j) {
                if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound)
                    return callback(true);
                qCWarning(lcPbiAuth) << "keychain delete failed:" << j->error() << j->errorString();
                callback(keychainError(j->error(), j->errorString(), QStringLiteral("deleted")));
            });
    job->start();
}

QString MemorySecretStore::description() const
{
    return QStringLiteral("memory (this session only)");
}

void MemorySecretStore::read(const QString& key, QObject* context, ReadCallback callback)
{
    std::optional<QString> value;
    if (auto it = m_secrets.constFind(key); it != m_secrets.constEnd())
        value = *it;
    later(this, context, [callback = std::move(callback), value] { callback(value); });
}

void MemorySecretStore::write(const QString& key, const QString& secret, QObject* context,
                              WriteCallback callback)
{
    m_secrets.insert(key, secret);
    later(this, context, [callback = std::move(callback)] { callback(true); });
}

void MemorySecretStore::remove(const QString& key, QObject* context, WriteCallback callback)
{
    m_secrets.remove(key);
    later(this, context, [callback = std::move(callback)] { callback(true); });
}

} // namespace pbi
