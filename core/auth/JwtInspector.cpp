#include "auth/JwtInspector.h"

#include "Clock.h"

#include <nlohmann/json.hpp>

#include <QHash>

#include <cstdlib>

using ordered_json = nlohmann::ordered_json;

namespace pbi {

namespace {

// Sources: Entra ID's access-token claims reference and optional-claims reference
// (reference/api-digest.md §10), the JOSE RFCs 7515/7519 for the header.
const QHash<QString, QString>& claimExplanations() {
    static const QHash<QString, QString> table{
        {QStringLiteral("aud"),
         QStringLiteral(
             "Audience: the resource the token is for; Power BI accepts only its own resource URI "
             "(https://analysis.windows.net/powerbi/api in the public cloud).")},
        {QStringLiteral("iss"),
         QStringLiteral(
             "Issuer: the security token service that issued the token, with the tenant id in its "
             "path (sts.windows.net for v1.0 tokens, login.microsoftonline.com/…/v2.0 for v2.0).")},
        {QStringLiteral("tid"),
         QStringLiteral("Tenant id: the Entra ID tenant the identity signed in to.")},
        {QStringLiteral("oid"),
         QStringLiteral("Object id: the immutable id of the user or service principal in this "
                        "tenant; Power BI matches workspace membership against it.")},
        {QStringLiteral("sub"),
         QStringLiteral("Subject: the principal the token asserts, unique per app; for app-only "
                        "tokens it equals the service principal's object id.")},
        {QStringLiteral("appid"),
         QStringLiteral(
             "Application id (v1.0 tokens): the client id of the app that requested the token.")},
        {QStringLiteral("azp"),
         QStringLiteral(
             "Authorized party (v2.0 tokens): the client id of the app that requested the token.")},
        {QStringLiteral("appidacr"),
         QStringLiteral("How the client authenticated (v1.0): 0 = public client (no secret), 1 = "
                        "client secret, 2 = certificate.")},
        {QStringLiteral("azpacr"),
         QStringLiteral("How the client authenticated (v2.0): 0 = public client (no secret), 1 = "
                        "client secret, 2 = certificate.")},
        {QStringLiteral("idtyp"),
         QStringLiteral("Identity type: \"app\" for an app-only (service principal) token, "
                        "\"user\" for a delegated one; the most reliable way to tell them apart.")},
        {QStringLiteral("scp"),
         QStringLiteral("Scopes: the delegated permissions the user consented to for this app, "
                        "space-separated; only user tokens carry it.")},
        {QStringLiteral("roles"),
         QStringLiteral("Roles: application permissions (app-only tokens) or app roles assigned to "
                        "the user; Power BI service principals normally have none.")},
        {QStringLiteral("upn"),
         QStringLiteral("User principal name: the user's sign-in name; may change, so it is for "
                        "display, not for identification.")},
        {QStringLiteral("unique_name"),
         QStringLiteral("A human-readable name of the user (v1.0 tokens), usually the UPN; for "
                        "display only.")},
        {QStringLiteral("preferred_username"),
         QStringLiteral("The user's preferred sign-in name (v2.0 tokens); for display only.")},
        {QStringLiteral("name"), QStringLiteral("The user's display name; for display only.")},
        {QStringLiteral("given_name"),
         QStringLiteral("The user's first name, as set in Entra ID.")},
        {QStringLiteral("family_name"),
         QStringLiteral("The user's last name, as set in Entra ID.")},
        {QStringLiteral("email"),
         QStringLiteral(
             "The user's e-mail address, when the account has one; not verified by the tenant.")},
        {QStringLiteral("iat"), QStringLiteral("Issued at: when the token was issued (UTC).")},
        {QStringLiteral("nbf"),
         QStringLiteral("Not before: the token is not valid before this time (UTC).")},
        {QStringLiteral("exp"), QStringLiteral("Expires: the token is refused after this time "
                                               "(UTC); Entra tokens live 60–90 minutes.")},
        {QStringLiteral("ver"),
         QStringLiteral("Token version: \"1.0\" or \"2.0\"; Power BI API tokens are v1.0 unless "
                        "the resource asks for v2.0.")},
        {QStringLiteral("wids"),
         QStringLiteral("Directory role template ids held by the user (e.g. Fabric Administrator), "
                        "when the token carries them.")},
        {QStringLiteral("amr"),
         QStringLiteral("Authentication methods used at sign-in: pwd = password, mfa = "
                        "multi-factor, rsa = key or certificate, ngcmfa/wia/… = other methods.")},
        {QStringLiteral("acr"),
         QStringLiteral("Authentication context class (v1.0): \"0\" means the sign-in did not meet "
                        "ISO/IEC 29115 level requirements, \"1\" means it did.")},
        {QStringLiteral("acrs"),
         QStringLiteral("Conditional Access authentication contexts the sign-in satisfied.")},
        {QStringLiteral("ipaddr"), QStringLiteral("The IP address the user signed in from.")},
        {QStringLiteral("uti"),
         QStringLiteral("Token id Entra ID uses internally to revalidate the token; opaque.")},
        {QStringLiteral("rh"),
         QStringLiteral("Internal claim Entra ID uses to revalidate tokens; opaque, ignore it.")},
        {QStringLiteral("aio"),
         QStringLiteral(
             "Internal claim Entra ID uses to record data for token reuse; opaque, ignore it.")},
        {QStringLiteral("idp"),
         QStringLiteral("Identity provider that authenticated the subject; equals the issuer "
                        "unless the user comes from another tenant or a federated provider.")},
        {QStringLiteral("groups"),
         QStringLiteral("Object ids of the security groups the user belongs to, when the app asks "
                        "for group claims.")},
        {QStringLiteral("hasgroups"),
         QStringLiteral(
             "The user is in too many groups to list in the token; ask Microsoft Graph for them.")},
        {QStringLiteral("puid"),
         QStringLiteral("Internal user id of the Microsoft account system; opaque.")},
        {QStringLiteral("onprem_sid"),
         QStringLiteral("The user's security identifier in the on-premises Active Directory it was "
                        "synchronised from.")},
        {QStringLiteral("sid"),
         QStringLiteral("Session id: the user's sign-in session, used for sign-out.")},
        {QStringLiteral("nonce"),
         QStringLiteral(
             "A value the client sent with the sign-in request and expects back, against replay.")},
        {QStringLiteral("auth_time"),
         QStringLiteral("When the user last entered credentials (UTC).")},
        {QStringLiteral("app_displayname"),
         QStringLiteral("The display name of the app that requested the token.")},
        {QStringLiteral("appidacr_displayname"),
         QStringLiteral("How the client authenticated, as text.")},
        {QStringLiteral("altsecid"),
         QStringLiteral(
             "An alternate id of the user, e.g. from a guest's home identity provider.")},
        {QStringLiteral("xms_tcdt"), QStringLiteral("When the tenant was created (UTC).")},
        {QStringLiteral("xms_pdl"),
         QStringLiteral("The user's preferred data location (multi-geo tenants).")},
        {QStringLiteral("xms_cc"),
         QStringLiteral(
             "Client capabilities the app declared, e.g. cp1 for continuous access evaluation.")},
        {QStringLiteral("tenant_region_scope"), QStringLiteral("The region of the tenant.")},
        {QStringLiteral("deviceid"),
         QStringLiteral("The id of the Entra-registered device the user signed in from.")},
        {QStringLiteral("platf"),
         QStringLiteral("The device platform, for device-based Conditional Access.")},
        {QStringLiteral("cnf"),
         QStringLiteral(
             "Confirmation: the key the token is bound to (proof-of-possession tokens).")},
        {QStringLiteral("at_hash"),
         QStringLiteral("Hash of the access token issued with this ID token.")},
        {QStringLiteral("c_hash"),
         QStringLiteral("Hash of the authorization code issued with this ID token.")},
        {QStringLiteral("login_hint"),
         QStringLiteral("An opaque hint for signing this user in again without a prompt.")},
        {QStringLiteral("jti"),
         QStringLiteral("Token id: a unique value for this token, against replay.")},
    };
    return table;
}

const QHash<QString, QString>& headerExplanations() {
    static const QHash<QString, QString> table{
        {QStringLiteral("typ"), QStringLiteral("Type of the token: \"JWT\".")},
        {QStringLiteral("alg"),
         QStringLiteral("Signature algorithm: Entra ID signs with RS256 (RSA with SHA-256).")},
        {QStringLiteral("kid"),
         QStringLiteral(
             "Key id: which of the issuer's published signing keys (JWKS) signed the token.")},
        {QStringLiteral("x5t"),
         QStringLiteral(
             "Thumbprint (SHA-1, base64url) of the certificate whose key signed the token.")},
        {QStringLiteral("x5c"),
         QStringLiteral("The signing certificate chain, included in the token.")},
        {QStringLiteral("nonce"),
         QStringLiteral("A header nonce means the token is for Microsoft Graph's own validation; "
                        "no other service can verify it.")},
        {QStringLiteral("cty"),
         QStringLiteral("Content type of the payload (used for nested tokens).")},
        {QStringLiteral("zip"),
         QStringLiteral("Compression applied to the payload before encryption.")},
        {QStringLiteral("enc"), QStringLiteral("Content encryption algorithm (encrypted tokens).")},
    };
    return table;
}

QString methodName(const QString& amr) {
    static const QHash<QString, QString> names{
        {QStringLiteral("pwd"), QStringLiteral("password")},
        {QStringLiteral("mfa"), QStringLiteral("multi-factor")},
        {QStringLiteral("rsa"), QStringLiteral("key or certificate")},
        {QStringLiteral("otp"), QStringLiteral("one-time passcode")},
        {QStringLiteral("fed"), QStringLiteral("federated")},
        {QStringLiteral("wia"), QStringLiteral("Windows integrated")},
        {QStringLiteral("ngcmfa"), QStringLiteral("Windows Hello / passkey")},
        {QStringLiteral("kba"), QStringLiteral("knowledge-based")},
        {QStringLiteral("sms"), QStringLiteral("SMS")},
        {QStringLiteral("tel"), QStringLiteral("telephone")},
        {QStringLiteral("face"), QStringLiteral("face recognition")},
        {QStringLiteral("fido"), QStringLiteral("FIDO2 key")},
    };
    const QString n = names.value(amr);
    return n.isEmpty() ? amr : amr + QStringLiteral(" (") + n + QLatin1Char(')');
}

QString roleName(const QString& templateId) {
    // Directory role template ids Power BI users meet most often.
    static const QHash<QString, QString> names{
        {QStringLiteral("a9ea8996-122f-4c74-9520-8edcd192826c"),
         QStringLiteral("Fabric Administrator")},
        {QStringLiteral("62e90394-69f5-4237-9190-012177145e10"),
         QStringLiteral("Global Administrator")},
        {QStringLiteral("11648597-926c-4cf3-9c36-bcebb0ba8dcc"),
         QStringLiteral("Power Platform Administrator")},
        {QStringLiteral("b79fbf4d-3ef9-4689-8143-76b194e85509"),
         QStringLiteral("member (default user role)")},
        {QStringLiteral("f2ef992c-3afb-46b9-b7cf-a126ee74c451"), QStringLiteral("Global Reader")},
    };
    const QString n = names.value(templateId.toLower());
    return n.isEmpty() ? templateId : templateId + QStringLiteral(" (") + n + QLatin1Char(')');
}

bool isTimestampClaim(const QString& name) {
    return name == QLatin1String("iat") || name == QLatin1String("nbf") ||
           name == QLatin1String("exp") || name == QLatin1String("auth_time") ||
           name == QLatin1String("xms_tcdt");
}

QString utc(const QDateTime& t) {
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC");
}

std::optional<qint64> asSeconds(const ordered_json& v) {
    if (v.is_number_integer())
        return v.get<qint64>();
    if (v.is_number_float())
        return qint64(v.get<double>());
    if (v.is_string()) { // some issuers quote numbers
        bool ok = false;
        const qint64 n = QString::fromStdString(v.get<std::string>()).toLongLong(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

QStringList stringItems(const ordered_json& v) {
    QStringList out;
    if (v.is_array()) {
        for (const auto& item : v)
            out << (item.is_string() ? QString::fromStdString(item.get<std::string>())
                                     : QString::fromStdString(item.dump()));
    } else if (v.is_string()) {
        out << QString::fromStdString(v.get<std::string>());
    }
    return out;
}

JwtClaim makeClaim(const std::string& key, const ordered_json& value, bool header) {
    JwtClaim c;
    c.name = QString::fromStdString(key);
    c.raw = QString::fromStdString(value.dump());
    c.explanation =
        header ? JwtInspector::explainHeader(c.name) : JwtInspector::explainClaim(c.name);
    c.display = value.is_string() ? QString::fromStdString(value.get<std::string>()) : c.raw;
    if (header)
        return c;

    if (isTimestampClaim(c.name)) {
        if (const auto secs = asSeconds(value))
            c.display = utc(QDateTime::fromSecsSinceEpoch(*secs, Qt::UTC));
    } else if (c.name == QLatin1String("scp")) {
        if (value.is_string())
            c.values = QString::fromStdString(value.get<std::string>())
                           .split(QLatin1Char(' '), Qt::SkipEmptyParts);
        else
            c.values = stringItems(value);
        c.display = c.values.join(QStringLiteral(", "));
    } else if (c.name == QLatin1String("amr")) {
        c.values = stringItems(value);
        QStringList named;
        for (const QString& m : c.values)
            named << methodName(m);
        c.display = named.join(QStringLiteral(", "));
    } else if (c.name == QLatin1String("wids")) {
        c.values = stringItems(value);
        QStringList named;
        for (const QString& m : c.values)
            named << roleName(m);
        c.display = named.join(QStringLiteral(", "));
    } else if (value.is_array()) {
        c.values = stringItems(value);
        c.display = c.values.join(QStringLiteral(", "));
    } else if (c.name == QLatin1String("appidacr") || c.name == QLatin1String("azpacr")) {
        static const QHash<QString, QString> how{
            {QStringLiteral("0"), QStringLiteral("public client, no secret")},
            {QStringLiteral("1"), QStringLiteral("client secret")},
            {QStringLiteral("2"), QStringLiteral("certificate")}};
        if (how.contains(c.display))
            c.display += QStringLiteral(" (") + how.value(c.display) + QLatin1Char(')');
    } else if (c.name == QLatin1String("idtyp")) {
        if (c.display == QLatin1String("app"))
            c.display += QStringLiteral(" (app-only token)");
        else if (c.display == QLatin1String("user"))
            c.display += QStringLiteral(" (delegated user token)");
    }
    return c;
}

Error decodeError(const QString& sentence, const QString& hint = {}) {
    Error e;
    e.kind = ErrorKind::Parse;
    e.sentence = sentence;
    e.hint = hint;
    return e;
}

const QString kEmbedSentence = QStringLiteral(
    "This looks like a Power BI embed token, not an Entra access token: embed tokens are opaque "
    "(compressed, not a JWT) and have no claims to show.");
const QString kEmbedHint = QStringLiteral(
    "An embed token goes to the Power BI JavaScript client (tokenType Embed); the REST API wants "
    "the Entra access token (a JWT starting with \"eyJ\") in the Authorization header.");

bool decodesToGzip(const QString& text) {
    const auto r = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    return r.decodingStatus == QByteArray::Base64DecodingStatus::Ok && r.decoded.size() > 2 &&
           quint8(r.decoded[0]) == 0x1f && quint8(r.decoded[1]) == 0x8b;
}

std::optional<ordered_json> decodePart(const QString& part, const char* what, Error* error) {
    auto r = QByteArray::fromBase64Encoding(
        part.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (part.isEmpty() || r.decodingStatus != QByteArray::Base64DecodingStatus::Ok) {
        *error = decodeError(
            QStringLiteral("The token's %1 is not valid base64url.").arg(QString::fromLatin1(what)),
            QStringLiteral("Check that the whole token was copied, without line "
                           "breaks or cut-off ends."));
        return std::nullopt;
    }
    auto j = ordered_json::parse(r.decoded.constData(), r.decoded.constData() + r.decoded.size(),
                                 nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        *error = decodeError(QStringLiteral("The token's %1 decodes, but not to a JSON object.")
                                 .arg(QString::fromLatin1(what)));
        return std::nullopt;
    }
    return j;
}

QString span(qint64 secs) {
    secs = std::abs(secs);
    if (secs < 60)
        return QStringLiteral("%1 s").arg(secs);
    if (secs < 3600)
        return QStringLiteral("%1 min").arg(secs / 60);
    if (secs < 48 * 3600)
        return QStringLiteral("%1 h %2 min").arg(secs / 3600).arg((secs % 3600) / 60);
    return QStringLiteral("%1 days").arg(secs / 86400);
}

} // namespace

const JwtClaim* DecodedJwt::claim(const QString& name) const {
    for (const auto& c : claims)
        if (c.name == name)
            return &c;
    return nullptr;
}

const JwtClaim* DecodedJwt::headerField(const QString& name) const {
    for (const auto& c : header)
        if (c.name == name)
            return &c;
    return nullptr;
}

QString DecodedJwt::claimText(const QString& name) const {
    const JwtClaim* c = claim(name);
    return c ? c->display : QString();
}

TokenExpiry DecodedJwt::expiry(const Clock& clock) const {
    const QDateTime now = clock.now();
    if (notBefore && now < *notBefore)
        return TokenExpiry::NotYetValid;
    if (!expiresAt)
        return TokenExpiry::NoExpiry;
    return now < *expiresAt ? TokenExpiry::Valid : TokenExpiry::Expired;
}

QString DecodedJwt::expirySentence(const Clock& clock) const {
    const QDateTime now = clock.now();
    switch (expiry(clock)) {
    case TokenExpiry::NoExpiry:
        return QStringLiteral("The token has no expiry (no exp claim).");
    case TokenExpiry::NotYetValid:
        return QStringLiteral("Not valid yet: becomes valid in %1 (%2).")
            .arg(span(now.secsTo(*notBefore)), utc(*notBefore));
    case TokenExpiry::Valid:
        return QStringLiteral("Expires in %1 (%2).")
            .arg(span(now.secsTo(*expiresAt)), utc(*expiresAt));
    case TokenExpiry::Expired:
        return QStringLiteral("Expired %1 ago (%2).")
            .arg(span(now.secsTo(*expiresAt)), utc(*expiresAt));
    }
    return {};
}

QString DecodedJwt::identityKind() const {
    const QString idtyp =
        claim(QStringLiteral("idtyp")) ? claim(QStringLiteral("idtyp"))->raw : QString();
    if (idtyp == QLatin1String("\"app\""))
        return QStringLiteral("app-only (service principal)");
    if (idtyp == QLatin1String("\"user\"") || claim(QStringLiteral("scp")))
        return QStringLiteral("delegated (user)");
    // Without idtyp, an app token has an appid but no scp (api-digest §10).
    if (claim(QStringLiteral("appid")) || claim(QStringLiteral("azp")))
        return QStringLiteral("app-only (service principal)");
    return {};
}

namespace JwtInspector {

QString explainClaim(const QString& name) {
    return claimExplanations().value(name);
}

QString explainHeader(const QString& name) {
    return headerExplanations().value(name);
}

Result<DecodedJwt> decode(const QString& input) {
    QString token = input.trimmed();
    if (token.startsWith(QStringLiteral("Bearer "), Qt::CaseInsensitive))
        token = token.mid(7).trimmed();
    while (token.size() >= 2 &&
           (token.front() == QLatin1Char('"') || token.front() == QLatin1Char('\'')) &&
           token.back() == token.front())
        token = token.mid(1, token.size() - 2).trimmed();
    if (token.isEmpty())
        return decodeError(QStringLiteral("There is no token to decode."));
    // Real embed tokens are gzip + base64 and so begin "H4sI" (api-digest §4, USERS.md #14).
    if (token.startsWith(QStringLiteral("H4sI")) || decodesToGzip(token))
        return decodeError(kEmbedSentence, kEmbedHint);

    const QStringList parts = token.split(QLatin1Char('.'));
    if (parts.size() == 5)
        return decodeError(QStringLiteral("This is an encrypted token (JWE, five parts): only its "
                                          "intended recipient can read the claims."));
    if (parts.size() != 3) {
        // Opaque text with no dots: most often an embed token or something else entirely.
        if (parts.size() == 1)
            return decodeError(
                QStringLiteral("This is not a JWT (a JWT has three parts separated by dots; this "
                               "has none). If it came from GenerateToken, it is a Power BI embed "
                               "token, not an Entra access token."),
                kEmbedHint);
        return decodeError(QStringLiteral("This is not a JWT: a JWT has three parts separated by "
                                          "dots, this has %1.")
                               .arg(parts.size()));
    }
    Error error;
    const auto header = decodePart(parts[0], "header", &error);
    if (!header)
        return error;
    const auto payload = decodePart(parts[1], "payload", &error);
    if (!payload)
        return error;

    DecodedJwt out;
    out.hasSignature = !parts[2].isEmpty();
    for (const auto& [k, v] : header->items())
        out.header << makeClaim(k, v, true);
    for (const auto& [k, v] : payload->items()) {
        out.claims << makeClaim(k, v, false);
        const QString name = QString::fromStdString(k);
        std::optional<QDateTime>* slot = name == QLatin1String("iat")   ? &out.issuedAt
                                         : name == QLatin1String("nbf") ? &out.notBefore
                                         : name == QLatin1String("exp") ? &out.expiresAt
                                                                        : nullptr;
        if (slot) {
            if (const auto secs = asSeconds(v))
                *slot = QDateTime::fromSecsSinceEpoch(*secs, Qt::UTC);
        }
    }
    return out;
}

} // namespace JwtInspector
} // namespace pbi
