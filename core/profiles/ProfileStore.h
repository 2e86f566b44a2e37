#pragma once

#include "http/Result.h"
#include "profiles/ConnectionProfile.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>
#include <vector>

class QSettings;

namespace pbi {

class SecretStore;

/// Connection profiles in QSettings and their secrets in a SecretStore. Settings never hold a
/// secret; deleting a profile deletes its keychain entries; keys hang off the profile id, so a
/// rename leaves them in place.
class ProfileStore : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(Result<bool>)>;
    using SecretCallback = std::function<void(Result<std::optional<QString>>)>;

    ProfileStore(QSettings* settings, SecretStore* secrets, QObject* parent = nullptr);

    /// Saved profiles, by name. The built-in sandbox profile is not among them.
    std::vector<ConnectionProfile> profiles() const;
    std::optional<ConnectionProfile> profile(const QString& id) const;

    /// Validates and saves (a new id when empty). Refuses duplicates of another profile's name.
    Result<ConnectionProfile> save(ConnectionProfile profile);
    /// A copy under a new id and name; secrets are not copied (type them for the copy).
    std::optional<ConnectionProfile> duplicate(const QString& id);
    /// Removes the profile and every keychain entry it owns.
    void remove(const QString& id, QObject* context, Done done);

    QString lastProfileId() const;
    void setLastProfileId(const QString& id);

    /// The session-only secret if one was given, else the keychain's.
    void readSecret(const QString& id, SecretKind kind, QObject* context, SecretCallback callback);
    void writeSecret(const QString& id, SecretKind kind, const QString& secret, QObject* context,
                     Done done);
    /// For a keychain that is unavailable: keep the secret in memory for this run only.
    void useSessionSecret(const QString& id, SecretKind kind, const QString& secret);
    bool hasSessionSecret(const QString& id, SecretKind kind) const;

    /// Profiles as JSON for sharing: no secrets, no ids of this machine's keychain.
    QByteArray exportProfiles(const QStringList& ids) const;
    /// Adds the profiles in an exported file (new ids; names made unique). Nothing is saved
    /// unless the whole file is valid.
    Result<std::vector<ConnectionProfile>> importProfiles(const QByteArray& json);

    SecretStore* secretStore() const { return m_secrets; }

    static QString secretKey(const QString& id, SecretKind kind);
    /// The ready-made profile for the sandbox tenant.
    static ConnectionProfile sandboxProfile();

Q_SIGNALS:
    void profilesChanged();

private:
    QString uniqueName(const QString& wanted, const QString& exceptId) const;
    void write(const ConnectionProfile& p);

    QSettings* m_settings;
    SecretStore* m_secrets;
    QHash<QString, QString> m_sessionSecrets;
};

} // namespace pbi
