#include "profiles/ProfileStore.h"

#include "http/ErrorDecoder.h"
#include "profiles/ProfileValidator.h"
#include "profiles/SecretStore.h"

#include <nlohmann/json.hpp>

#include <QPointer>
#include <QSettings>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace pbi {

namespace {

constexpr char kGroup[] = "profiles";
constexpr char kExportFormat[] = "pbi-console-profiles";


QString envKey(Environment e)
{
    switch (e) {
    case Environment::Development: return QStringLiteral("development");
    case Environment::Test: return QStringLiteral("test");
    case Environment::Production: return QStringLiteral("production");
    case Environment::Custom: return QStringLiteral("custom");
    }
    return {};
}

std::optional<Environment> envFromKey(const QString& k)
{
    for (auto e : {Environment::Development, Environment::Test, Environment::Production, Environment::Custom})
        if (envKey(e) == k)
            return e;
    return std::nullopt;
}

QString credKey(CredentialKind k)
{
    switch (k) {
    case CredentialKind::ClientSecret: return QStringLiteral("client-secret");
    case CredentialKind::Certificate: return QStringLiteral("certificate");
    case CredentialKind::DeviceCode: return QStringLiteral("device-code");
    case CredentialKind::Interactive: return QStringLiteral("interactive");
    case CredentialKind::UsernamePassword: return QStringLiteral("username-password");
    }
    return {};
}

std::optional<CredentialKind> credFromKey(const QString& k)
{
    for (auto c : {CredentialKind::ClientSecret, CredentialKind::Certificate, CredentialKind::DeviceCode,
                   CredentialKind::Interactive, CredentialKind::UsernamePassword})
        if (credKey(c) == k)
            return c;
    return std::nullopt;
}

QString scopeKey(ApiScope s)
{
    return s == ApiScope::Admin ? QStringLiteral("admin") : QStringLiteral("member");
}

Error invalid(const QString& sentence)
{
    Error e;
    e.kind = ErrorKind::Parse;
    e.sentence = sentence;
    return e;
}

/// The export/import mapping: the one place that knows the file's field names.
nlohmann::json toJson(const ConnectionProfile& p)
{
    auto s = [](const QString& v) { return v.toStdString(); };
    nlohmann::json j = {
        {"displayName", s(p.displayName)},
        {"environment", s(envKey(p.environment))},
        {"cloud", s(cloudKey(p.cloud))},
        {"tenant", s(p.tenant)},
        {"clientId", s(p.clientId)},
        {"credentialKind", s(credKey(p.credentialKind))},
        {"scope", s(scopeKey(p.scope))},
    };
    auto opt = [&](const char* name, const QString& v) {
        if (!v.isEmpty())
            j[name] = s(v);
    };
    opt("customEnvironmentName", p.customEnvironmentName);
    opt("color", p.color);
    opt("customAuthority", p.customAuthority);
    opt("customApiBase", p.customApiBase);
    opt("customResource", p.customResource);
    opt("caCertificatePath", p.caCertificatePath);
    opt("certificatePath", p.certificatePath);
    opt("certificateThumbprint", p.certificateThumbprint);
    opt("userName", p.userName);
    opt("notes", p.notes);
    return j;
}

ConnectionProfile fromJson(const nlohmann::json& j, const QString& path)
{
    auto str = [&](const char* name, bool required) -> QString {
        auto it = j.find(name);
        if (it == j.end() || it->is_null()) {
            if (required)
                throw invalid(QStringLiteral("%1.%2 is missing.").arg(path, QLatin1String(name)));
            return {};
        }
        if (!it->is_string())
            throw invalid(QStringLiteral("%1.%2 is not a string.").arg(path, QLatin1String(name)));
        return QString::fromStdString(it->get<std::string>());
    };
    ConnectionProfile p;
    p.displayName = str("displayName", true);
    const QString env = str("environment", true);
    const auto e = envFromKey(env);
    if (!e)
        throw invalid(QStringLiteral("%1.environment \"%2\" is not one of development, test, production, custom.").arg(path, env));
    p.environment = *e;
    const QString cloud = str("cloud", true);
    const auto c = cloudFromKey(cloud);
    if (!c || *c == Cloud::Id::Sandbox)
        throw invalid(QStringLiteral("%1.cloud \"%2\" is not a known cloud.").arg(path, cloud));
    p.cloud = *c;
    p.tenant = str("tenant", true);
    p.clientId = str("clientId", true);
    const QString kind = str("credentialKind", true);
    const auto k = credFromKey(kind);
    if (!k)
        throw invalid(QStringLiteral("%1.credentialKind \"%2\" is not known.").arg(path, kind));
    p.credentialKind = *k;
    const QString scope = str("scope", false);
    if (!scope.isEmpty() && scope != QLatin1String("member") && scope != QLatin1String("admin"))
        throw invalid(QStringLiteral("%1.scope \"%2\" is not member or admin.").arg(path, scope));
    p.scope = scope == QLatin1String("admin") ? ApiScope::Admin : ApiScope::Member;
    p.customEnvironmentName = str("customEnvironmentName", false);
    p.color = str("color", false);
    p.customAuthority = str("customAuthority", false);
    p.customApiBase = str("customApiBase", false);
    p.customResource = str("customResource", false);
    p.caCertificatePath = str("caCertificatePath", false);
    p.certificatePath = str("certificatePath", false);
    p.certificateThumbprint = str("certificateThumbprint", false);
    p.userName = str("userName", false);
    p.notes = str("notes", false);
    return p;
}

} // namespace

ProfileStore::ProfileStore(QSettings* settings, SecretStore* secrets, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_secrets(secrets)
{
}

QString ProfileStore::secretKey(const QString& id, SecretKind kind)
{
    return id + QLatin1Char('/') + secretKindKey(kind);
}

ConnectionProfile ProfileStore::sandboxProfile()
{
    ConnectionProfile p;
    p.id = QStringLiteral("sandbox");
    p.displayName = QStringLiteral("Sandbox tenant");
    p.environment = Environment::Custom;
    p.customEnvironmentName = QStringLiteral("Sandbox");
    p.color = QStringLiteral("#1b6e6a");
    p.cloud = Cloud::Id::Sandbox;
    p.credentialKind = CredentialKind::ClientSecret;
    p.notes = QStringLiteral("The built-in local emulator of Entra ID and the Power BI REST API. No real data.");
    p.builtIn = true;
    return p;
}

std::vector<ConnectionProfile> ProfileStore::profiles() const
{
    std::vector<ConnectionProfile> out;
    m_settings->beginGroup(QLatin1String(kGroup));
    const QStringList ids = m_settings->childGroups();
    m_settings->endGroup();
    for (const QString& id : ids)
        if (auto p = profile(id))
            out.push_back(std::move(*p));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.displayName.compare(b.displayName, Qt::CaseInsensitive) < 0;
    });
    return out;
}

std::optional<ConnectionProfile> ProfileStore::profile(const QString& id) const
{
    if (id.isEmpty() || id.contains(QLatin1Char('/')))
        return std::nullopt;
    m_settings->beginGroup(QLatin1String(kGroup) + QLatin1Char('/') + id);
    const bool exists = m_settings->contains(QStringLiteral("displayName"));
    ConnectionProfile p;
    if (exists) {
        auto v = [&](const char* key) { return m_settings->value(QLatin1String(key)).toString(); };
        p.id = id;
        p.displayName = v("displayName");
        p.environment = envFromKey(v("environment")).value_or(Environment::Development);
        p.customEnvironmentName = v("customEnvironmentName");
        p.color = v("color");
        p.cloud = cloudFromKey(v("cloud")).value_or(Cloud::Id::Public);
        p.customAuthority = v("customAuthority");
        p.customApiBase = v("customApiBase");
        p.customResource = v("customResource");
        p.caCertificatePath = v("caCertificatePath");
        p.tenant = v("tenant");
        p.clientId = v("clientId");
        p.credentialKind = credFromKey(v("credentialKind")).value_or(CredentialKind::ClientSecret);
        p.certificatePath = v("certificatePath");
        p.certificateThumbprint = v("certificateThumbprint");
        p.certificateExpiry = m_settings->value(QStringLiteral("certificateExpiry")).toDateTime();
        p.userName = v("userName");
        p.scope = v("scope") == QLatin1String("admin") ? ApiScope::Admin : ApiScope::Member;
        p.notes = v("notes");
    }
    m_settings->endGroup();
    if (!exists)
        return std::nullopt;
    return p;
}

void ProfileStore::write(const ConnectionProfile& p)
{
    m_settings->beginGroup(QLatin1String(kGroup) + QLatin1Char('/') + p.id);
    m_settings->remove(QString()); // clear the group: no stale keys
    m_settings->setValue(QStringLiteral("displayName"), p.displayName);
    m_settings->setValue(QStringLiteral("environment"), envKey(p.environment));
    m_settings->setValue(QStringLiteral("customEnvironmentName"), p.customEnvironmentName);
    m_settings->setValue(QStringLiteral("color"), p.color);
    m_settings->setValue(QStringLiteral("cloud"), cloudKey(p.cloud));
    m_settings->setValue(QStringLiteral("customAuthority"), p.customAuthority);
    m_settings->setValue(QStringLiteral("customApiBase"), p.customApiBase);
    m_settings->setValue(QStringLiteral("customResource"), p.customResource);
    m_settings->setValue(QStringLiteral("caCertificatePath"), p.caCertificatePath);
    m_settings->setValue(QStringLiteral("tenant"), p.tenant.trimmed());
    m_settings->setValue(QStringLiteral("clientId"), p.clientId.trimmed());
    m_settings->setValue(QStringLiteral("credentialKind"), credKey(p.credentialKind));
    m_settings->setValue(QStringLiteral("certificatePath"), p.certificatePath);
    m_settings->setValue(QStringLiteral("certificateThumbprint"), p.certificateThumbprint);
    m_settings->setValue(QStringLiteral("certificateExpiry"), p.certificateExpiry);
    m_settings->setValue(QStringLiteral("userName"), p.userName.trimmed());
    m_settings->setValue(QStringLiteral("scope"), scopeKey(p.scope));
    m_settings->setValue(QStringLiteral("notes"), p.notes);
    m_settings->endGroup();
    m_settings->sync();
}

QString ProfileStore::uniqueName(const QString& wanted, const QString& exceptId) const
{
    QStringList taken;
    for (const auto& p : profiles())
        if (p.id != exceptId)
            taken << p.displayName.toLower();
    QString name = wanted.trimmed();
    for (int n = 2; taken.contains(name.toLower()); ++n)
        name = QStringLiteral("%1 (%2)").arg(wanted.trimmed()).arg(n);
    return name;
}

Result<ConnectionProfile> ProfileStore::save(ConnectionProfile p)
{
    if (p.builtIn)
        return invalid(QStringLiteral("The sandbox profile is built in and cannot be changed."));
    const auto problems = ProfileValidator::validate(p);
    if (!problems.isEmpty()) {
        Error e = invalid(problems.first().message);
        e.code = problems.first().field;
        return e;
    }
    if (p.id.isEmpty())
        p.id = ConnectionProfile::newId();
    for (const auto& other : profiles()) {
        if (other.id != p.id && other.displayName.compare(p.displayName.trimmed(), Qt::CaseInsensitive) == 0) {
            Error e = invalid(QStringLiteral("Another connection is already called \"%1\".").arg(other.displayName));
            e.code = QStringLiteral("displayName");
            return e;
        }
    }
    p.displayName = p.displayName.trimmed();
    write(p);
    Q_EMIT profilesChanged();
    return p;
}

std::optional<ConnectionProfile> ProfileStore::duplicate(const QString& id)
{
    auto p = profile(id);
    if (!p)
        return std::nullopt;
    p->id = ConnectionProfile::newId();
    p->displayName = uniqueName(p->displayName + QStringLiteral(" (copy)"), QString());
    write(*p);
    Q_EMIT profilesChanged();
    return p;
}

void ProfileStore::remove(const QString& id, QObject* context, Done done)
{
    if (!profile(id)) {
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [guard, done = std::move(done), id] {
            if (guard)
                done(invalid(QStringLiteral("There is no connection with id %1.").arg(id)));
        });
        return;
    }
    m_settings->remove(QLatin1String(kGroup) + QLatin1Char('/') + id);
    if (lastProfileId() == id)
        setLastProfileId(QString());
    m_settings->sync();
    for (auto kind : allSecretKinds())
        m_sessionSecrets.remove(secretKey(id, kind));
    Q_EMIT profilesChanged();

    // Delete every kind of entry, whatever the profile's current kind: an earlier kind may
    // have left one. Report the first failure once all have answered.
    struct State {
        int pending = int(allSecretKinds().size());
        std::optional<Error> firstError;
        Done done;
    };
    auto state = std::make_shared<State>();
    state->done = std::move(done);
    for (auto kind : allSecretKinds()) {
        m_secrets->remove(secretKey(id, kind), context, [state](Result<bool> r) {
            if (!r && !state->firstError)
                state->firstError = r.error();
            if (--state->pending == 0) {
                if (state->firstError)
                    state->done(*state->firstError);
                else
                    state->done(true);
            }
        });
    }
}

QString ProfileStore::lastProfileId() const
{
    return m_settings->value(QStringLiteral("lastProfile")).toString();
}

void ProfileStore::setLastProfileId(const QString& id)
{
    m_settings->setValue(QStringLiteral("lastProfile"), id);
}

void ProfileStore::readSecret(const QString& id, SecretKind kind, QObject* context,
                              SecretCallback callback)
{
    const QString key = secretKey(id, kind);
    if (auto it = m_sessionSecrets.constFind(key); it != m_sessionSecrets.constEnd()) {
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [guard, callback = std::move(callback), value = *it] {
            if (guard)
                callback(std::optional<QString>(value));
        });
        return;
    }
    m_secrets->read(key, context, std::move(callback));
}

void ProfileStore::writeSecret(const QString& id, SecretKind kind, const QString& secret,
                               QObject* context, Done done)
{
    m_secrets->write(secretKey(id, kind), secret, context, std::move(done));
}

void ProfileStore::useSessionSecret(const QString& id, SecretKind kind, const QString& secret)
{
    m_sessionSecrets.insert(secretKey(id, kind), secret);
}

bool ProfileStore::hasSessionSecret(const QString& id, SecretKind kind) const
{
    return m_sessionSecrets.contains(secretKey(id, kind));
}

QByteArray ProfileStore::exportProfiles(const QStringList& ids) const
{
    nlohmann::json list = nlohmann::json::array();
    for (const QString& id : ids)
        if (auto p = profile(id))
            list.push_back(toJson(*p));
    const nlohmann::json doc = {{"format", kExportFormat}, {"version", 1}, {"profiles", list}};
    return QByteArray::fromStdString(doc.dump(2)) + '\n';
}

Result<std::vector<ConnectionProfile>> ProfileStore::importProfiles(const QByteArray& data)
{
    const auto doc = nlohmann::json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return invalid(QStringLiteral("The file is not a PBI Console profile export (not JSON)."));
    if (doc.value("format", std::string()) != kExportFormat)
        return invalid(QStringLiteral("The file is not a PBI Console profile export (no \"format\": \"%1\").").arg(QLatin1String(kExportFormat)));
    if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"].get<int>() != 1)
        return invalid(QStringLiteral("The export's version is not supported (this console reads version 1)."));
    if (!doc.contains("profiles") || !doc["profiles"].is_array())
        return invalid(QStringLiteral("The export has no \"profiles\" list."));

    std::vector<ConnectionProfile> parsed;
    try {
        int i = 0;
        for (const auto& item : doc["profiles"]) {
            const QString path = QStringLiteral("profiles[%1]").arg(i++);
            if (!item.is_object())
                throw invalid(QStringLiteral("%1 is not an object.").arg(path));
            ConnectionProfile p = fromJson(item, path);
            const auto problems = ProfileValidator::validate(p);
            // Certificate paths from another machine may not exist here: import them anyway.
            for (const auto& problem : problems)
                if (problem.field != QLatin1String("certificatePath") &&
                    problem.field != QLatin1String("caCertificatePath"))
                    throw invalid(QStringLiteral("%1 (%2): %3").arg(path, p.displayName, problem.message));
            parsed.push_back(std::move(p));
        }
    } catch (const Error& e) {
        return e;
    }
    for (auto& p : parsed) {
        p.id = ConnectionProfile::newId();
        p.displayName = uniqueName(p.displayName, QString());
        write(p);
    }
    if (!parsed.empty())
        Q_EMIT profilesChanged();
    return parsed;
}

} // namespace pbi
