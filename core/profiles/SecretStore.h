#pragma once

#include "http/Result.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace pbi {

/// Where secrets live: the OS keychain in the app, memory in tests that are not about it.
/// Keys are "<profile-id>/<kind>"; every call is asynchronous and delivers on the caller's thread.
class SecretStore : public QObject {
    Q_OBJECT
public:
    using ReadCallback = std::function<void(Result<std::optional<QString>>)>;
    using WriteCallback = std::function<void(Result<bool>)>;

    using QObject::QObject;

    /// An absent entry is a value (std::nullopt), not an error.
    virtual void read(const QString& key, QObject* context, ReadCallback callback) = 0;
    virtual void write(const QString& key, const QString& secret, QObject* context,
                       WriteCallback callback) = 0;
    /// Removing an absent entry succeeds.
    virtual void remove(const QString& key, QObject* context, WriteCallback callback) = 0;
    /// "the system keychain (Secret Service)", "memory (tests)".
    virtual QString description() const = 0;
};

/// The OS keychain through QtKeychain, insecure fallback off: if no keychain service is
/// available the calls fail with a clear Error and nothing is written anywhere else.
class KeychainSecretStore final : public SecretStore {
    Q_OBJECT
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("PBI Console"),
                                 QObject* parent = nullptr);

    void read(const QString& key, QObject* context, ReadCallback callback) override;
    void write(const QString& key, const QString& secret, QObject* context,
               WriteCallback callback) override;
    void remove(const QString& key, QObject* context, WriteCallback callback) override;
    QString description() const override;

private:
    QString m_service;
};

/// Secrets in memory only: for tests, and for "use this secret for this session only".
class MemorySecretStore final : public SecretStore {
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void read(const QString& key, QObject* context, ReadCallback callback) override;
    void write(const QString& key, const QString& secret, QObject* context,
               WriteCallback callback) override;
    void remove(const QString& key, QObject* context, WriteCallback callback) override;
    QString description() const override;

    bool contains(const QString& key) const { return m_secrets.contains(key); }

private:
    QHash<QString, QString> m_secrets;
};

} // namespace pbi
