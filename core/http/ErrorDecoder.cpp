#include "http/ErrorDecoder.h"

#include "http/RequestLog.h"

#include <nlohmann/json.hpp>

#include <QRegularExpression>

using nlohmann::json;

namespace pbi::ErrorDecoder {

namespace {

QString str(const json& j, const char* key)
{
    auto it = j.find(key);
    if (it != j.end() && it->is_string())
        return QString::fromStdString(it->get<std::string>());
    return {};
}

std::optional<json> parseObject(const QByteArray& body)
{
    if (body.trimmed().isEmpty())
        return std::nullopt;
    json j = json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    return j;
}

// Likely causes for Entra ID's AADSTS codes (reference/api-digest.md §10).
QString entraHint(int aadsts)
{
    switch (aadsts) {
    case 7000215:
        return QStringLiteral("The client secret is wrong. Use the secret's Value (shown once when it "
                              "was created), not its Secret ID, and check it belongs to this app.");
    case 7000222:
        return QStringLiteral("The client secret has expired. Create a new secret for the app "
                              "registration and store it in the connection.");
    case 7000218:
        return QStringLiteral("The request carried neither a client secret nor a certificate assertion.");
    case 700016:
        return QStringLiteral("No app with this client id exists in this tenant. Check the client id "
                              "and the tenant id (and that both are in the same cloud).");
    case 700027:
    case 700024:
        return QStringLiteral("The certificate assertion was refused: check that this certificate is "
                              "uploaded to the app registration and that the clock is right.");
    case 90002:
    case 900023:
        return QStringLiteral("The tenant was not found. Use the tenant id (a GUID) or its verified "
                              "domain, and check the cloud.");
    case 90038:
        return QStringLiteral("The tenant belongs to another national cloud: pick that cloud in the connection.");
    case 65001:
    case 90094:
        return QStringLiteral("The app lacks consent for the requested permissions: an administrator "
                              "must grant consent in Entra ID.");
    case 70011:
    case 700022:
        return QStringLiteral("The scope is wrong: it must be one resource followed by /.default, "
                              "e.g. https://analysis.windows.net/powerbi/api/.default.");
    case 500011:
        return QStringLiteral("The Power BI service principal is missing from the tenant: sign in to "
                              "Power BI once with a user of this tenant, or check the cloud.");
    case 50126:
        return QStringLiteral("The user name or password is wrong.");
    case 50076:
    case 50079:
        return QStringLiteral("The account requires multi-factor authentication: use the device code "
                              "or browser sign-in instead of a password.");
    case 53003:
        return QStringLiteral("Conditional Access blocked the sign-in; ask the tenant's administrator.");
    case 70019:
        return QStringLiteral("The device code expired before anyone approved it; start the sign-in again.");
    default:
        return {};
    }
}

// Likely causes for Power BI error codes (reference/api-digest.md §5).
QString serviceHint(const QString& code, int status, bool appOnlyMessage)
{
    if (appOnlyMessage)
        return QStringLiteral("A service principal called an API or route it may not use (e.g. My "
                              "workspace, apps), or the tenant setting \"Allow service principals to use "
                              "Power BI APIs\" is off for it.");
    if (code == QLatin1String("TokenExpired"))
        return QStringLiteral("The access token expired; sign in again (the console renews tokens "
                              "automatically when it can).");
    if (code == QLatin1String("InvalidToken"))
        return QStringLiteral("The token is not a Power BI token: check the cloud and the scope "
                              "(audience https://analysis.windows.net/powerbi/api).");
    if (code == QLatin1String("GroupNotAccessible"))
        return QStringLiteral("The identity is not a member of this workspace: add it (or its "
                              "security group) to the workspace.");
    if (code == QLatin1String("PowerBINotAuthorizedException"))
        return QStringLiteral("The identity may not make this call: it is not a member of the "
                              "workspace, or, for admin APIs, not a Fabric administrator (a service "
                              "principal must be allowed by the admin-API tenant setting and must NOT "
                              "have admin-consented Power BI permissions).");
    if (code == QLatin1String("PowerBIEntityNotFound") || code == QLatin1String("ItemNotFound"))
        return QStringLiteral("The item does not exist, or the identity has no permission on it (the "
                              "service answers both the same way).");
    if (status == 429)
        return QStringLiteral("The service is throttling these calls; wait until the time it names.");
    return {};
}

/// Hints for refusals the service words but does not code apart (they all come as
/// InvalidRequest): matched on the message, case-insensitively.
QString messageHint(const QString& message)
{
    struct Rule {
        const char* words;
        const char* hint;
    };
    static const Rule rules[] = {
        {"Another refresh request is already executing",
         "One refresh at a time per model: wait for the running one to end, or cancel it if it is an "
         "enhanced refresh."},
        {"refresh requests in last 24 hours exceeded",
         "Shared capacity allows 8 refreshes a day per model, scheduled ones included: wait, or move the "
         "workspace to a Premium capacity."},
        {"only supported for the dataset owner",
         "Only the model's owner may change this: take the model over first (pbictl refresh schedule … "
         "--take-over, or Settings → Take over in the portal); its data-source credentials then need the "
         "new owner's sign-in."},
        {"requires effective identity",
         "The model uses row-level security: add an effective identity (user name, role, model id)."},
        {"requires roles to be included",
         "Add the RLS role(s) the viewer belongs to, to the effective identity."},
        {"shouldn't have effective identity",
         "The model has no row-level security: send no effective identity for it."},
        {"amount of embed token",
         "The free trial embed tokens of shared capacity are used up: assign the workspace to an A, EM, P "
         "or F capacity."},
    };
    for (const Rule& r : rules)
        if (message.contains(QLatin1String(r.words), Qt::CaseInsensitive))
            return QString::fromUtf8(r.hint);
    return {};
}

QString sentenceForStatus(int status)
{
    switch (status) {
    case 400: return QStringLiteral("The service refused the request as invalid.");
    case 401: return QStringLiteral("The service refused the call: the identity is not authorized.");
    case 403: return QStringLiteral("The service refused the access token.");
    case 404: return QStringLiteral("The service did not find the item.");
    case 409: return QStringLiteral("The request conflicts with the item's current state.");
    case 429: return QStringLiteral("The service is throttling requests.");
    case 500: return QStringLiteral("The service failed with an internal error.");
    case 502:
    case 503:
    case 504: return QStringLiteral("The service is temporarily unavailable.");
    default: return QStringLiteral("The service answered with HTTP status %1.").arg(status);
    }
}

} // namespace

Error fromEntra(const HttpResponse& r)
{
    Error e;
    e.kind = ErrorKind::Auth;
    e.httpStatus = r.status;
    e.url = redact::url(r.url);
    e.requestId = r.requestId();
    const auto j = parseObject(r.body);
    if (!j) {
        e.kind = r.status >= 500 ? ErrorKind::Http : ErrorKind::Auth;
        e.sentence = QStringLiteral("Sign-in failed: the identity provider answered HTTP %1 without "
                                    "an error description.")
                         .arg(r.status);
        return e;
    }
    e.code = str(*j, "error");
    QString description = str(*j, "error_description");
    // error_description is "AADSTSnnn: text\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …".
    const qsizetype cut = description.indexOf(QStringLiteral("\r\n"));
    if (cut >= 0)
        description.truncate(cut);
    e.message = description.trimmed();
    int aadsts = 0;
    if (auto codes = j->find("error_codes"); codes != j->end() && codes->is_array() &&
                                              !codes->empty() && (*codes)[0].is_number_integer())
        aadsts = (*codes)[0].get<int>();
    if (aadsts == 0) {
        static const QRegularExpression re(QStringLiteral("^AADSTS(\\d+)"));
        if (auto m = re.match(e.message); m.hasMatch())
            aadsts = m.captured(1).toInt();
    }
    if (aadsts != 0)
        e.detailCode = QStringLiteral("AADSTS%1").arg(aadsts);
    const QString trace = str(*j, "trace_id");
    if (!trace.isEmpty())
        e.requestId = trace;
    e.sentence = e.message.isEmpty() ? QStringLiteral("Sign-in failed (%1).").arg(e.code)
                                     : QStringLiteral("Sign-in failed: ") + e.message;
    e.hint = entraHint(aadsts);
    return e;
}

Error fromService(const HttpResponse& r)
{
    Error e;
    e.httpStatus = r.status;
    e.url = redact::url(r.url);
    e.requestId = r.requestId();
    e.kind = ErrorKind::Http;
    const QString errorInfo = QString::fromLatin1(r.header("X-PowerBI-Error-Info"));
    bool appOnlyMessage = false;

    if (const auto j = parseObject(r.body)) {
        if (auto err = j->find("error"); err != j->end() && err->is_object()) {
            e.code = str(*err, "code");
            e.message = str(*err, "message");
            if (auto pbi = err->find("pbi.error"); pbi != err->end() && pbi->is_object()) {
                if (e.code.isEmpty())
                    e.code = str(*pbi, "code");
                if (auto det = pbi->find("details"); det != pbi->end() && det->is_array()) {
                    for (const auto& d : *det) {
                        if (!d.is_object())
                            continue;
                        auto detail = d.find("detail");
                        if (detail != d.end() && detail->is_object() && e.message.isEmpty())
                            e.message = str(*detail, "value");
                    }
                }
            }
            if (auto det = err->find("details"); e.message.isEmpty() && det != err->end() &&
                                                 det->is_array() && !det->empty() &&
                                                 (*det)[0].is_object())
                e.message = str((*det)[0], "message");
        } else if (QString m = str(*j, "Message"); !m.isEmpty()) {
            e.message = m;
            appOnlyMessage = m.contains(QStringLiteral("not accessible for application"));
        } else if (QString lower = str(*j, "message"); !lower.isEmpty()) {
            e.message = lower;
        }
    }
    if (e.code.isEmpty() && !errorInfo.isEmpty())
        e.code = errorInfo;
    if (!errorInfo.isEmpty() && errorInfo != e.code)
        e.detailCode = errorInfo;
    if (e.message.isEmpty()) {
        const QByteArray details = r.header("X-PowerBI-Error-Details");
        if (!details.isEmpty())
            e.message = QString::fromUtf8(details);
    }

    if (r.status == 429 || (r.status == 503 && !r.header("Retry-After").isEmpty()))
        e.kind = ErrorKind::Throttled;
    else if (r.status == 403 && (e.code == QLatin1String("TokenExpired") ||
                                 e.code == QLatin1String("InvalidToken") || e.code.isEmpty()))
        e.kind = ErrorKind::Auth;
    else if (!e.code.isEmpty() || !e.message.isEmpty())
        e.kind = ErrorKind::Service;

    e.sentence = sentenceForStatus(r.status);
    if (!e.message.isEmpty())
        e.sentence += QLatin1Char(' ') + e.message;
    if (e.kind == ErrorKind::Throttled) {
        e.retryAt = r.retryAt();
        if (e.retryAt.isValid())
            e.sentence += QStringLiteral(" Next try possible at %1 UTC.")
                              .arg(e.retryAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    }
    e.hint = serviceHint(e.detailCode.isEmpty() ? e.code : e.detailCode, r.status, appOnlyMessage);
    if (e.hint.isEmpty())
        e.hint = serviceHint(e.code, r.status, appOnlyMessage);
    if (e.hint.isEmpty())
        e.hint = messageHint(e.message);
    return e;
}

Error parseError(const HttpResponse& r, const QString& what)
{
    Error e;
    e.kind = ErrorKind::Parse;
    e.httpStatus = r.status;
    e.url = redact::url(r.url);
    e.requestId = r.requestId();
    e.sentence = QStringLiteral("The answer from %1 could not be read: %2").arg(r.url.host(), what);
    e.hint = QStringLiteral("The service sent something unexpected; retry, and report the request id "
                            "if it persists.");
    return e;
}

} // namespace pbi::ErrorDecoder
