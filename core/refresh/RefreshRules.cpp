#include "refresh/RefreshRules.h"

#include <nlohmann/json.hpp>

#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>

namespace pbi::refresh {

namespace {

using nlohmann::json;

const QStringList kDays = {QStringLiteral("Monday"),   QStringLiteral("Tuesday"), QStringLiteral("Wednesday"),
                           QStringLiteral("Thursday"), QStringLiteral("Friday"),  QStringLiteral("Saturday"),
                           QStringLiteral("Sunday")};

/// The service accepts enum values in any case (the docs' examples use "full").
std::optional<QString> canonical(const QString& value, const QStringList& allowed)
{
    for (const QString& a : allowed) {
        if (a.compare(value, Qt::CaseInsensitive) == 0)
            return a;
    }
    return std::nullopt;
}

QString oneOf(const QStringList& allowed)
{
    return allowed.join(QStringLiteral(", "));
}

QString text(const json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

struct KnownFailure {
    const char* codePrefix;
    const char* descriptionContains; ///< nullptr: any
    const char* sentence;
    const char* hint;
};

// Ordered: the first match wins. Codes and texts from the service's refresh history.
const KnownFailure kKnown[] = {
    {"ModelRefreshFailed_CredentialsNotSpecified", nullptr,
     "The data source has no credentials.",
     "Open the semantic model's settings → Data source credentials and sign in, or map the source to "
     "a gateway connection that has credentials."},
    {"DMTS_OAuthTokenRefreshFailedError", nullptr,
     "The data source's stored OAuth credentials expired.",
     "Sign in again under the model's settings → Data source credentials (OAuth sign-ins expire after "
     "90 days without use, or when the password or MFA policy changes)."},
    {"DMTS_DatasourceHasNoCredentialError", nullptr,
     "A data source of the model has no credentials.",
     "Enter the credentials under the model's settings → Data source credentials."},
    {"DM_GWPipeline_Client_GatewayUnreachable", nullptr,
     "The on-premises data gateway could not be reached.",
     "Check that the gateway machine is on and its service running (Manage connections and gateways → "
     "status), or add an online member to the gateway cluster."},
    {"DM_GWPipeline_Gateway_DataSourceAccessError", nullptr,
     "The gateway could not sign in to the data source.",
     "Update the credentials of the gateway connection, and check the source accepts connections from "
     "the gateway machine."},
    {"DM_GWPipeline", nullptr, "The on-premises data gateway failed the refresh.",
     "Check the gateway's status and logs on the gateway machine; the description above is the "
     "gateway's own message."},
    {"ModelRefresh_ShortMessage_ProcessingError", "Timeout",
     "The refresh ran longer than allowed and was stopped.",
     "Shared capacity allows 2 hours per refresh (Premium 5 hours): reduce the data (incremental "
     "refresh, filters), or move the workspace to a Premium capacity."},
    {"ModelRefresh_ShortMessage_ProcessingError", "memory",
     "The refresh ran out of memory on the capacity.",
     "Reduce the model's memory footprint (remove unused columns, lower cardinality), refresh fewer "
     "tables at once (enhanced refresh with lower maxParallelism), or use a larger capacity."},
    {"ModelRefresh_ShortMessage_ProcessingError", nullptr,
     "The model failed while processing data.",
     "Read the description: it is the Analysis Services error. Fix the query or data it names, then "
     "refresh again."},
    {"ModelRefresh_ShortMessage_CredentialsExpired", nullptr,
     "The data source credentials expired.",
     "Sign in again under the model's settings → Data source credentials."},
};

} // namespace

State stateOf(const Refresh& r)
{
    const QString& s = r.status;
    if (s == QLatin1String("Completed"))
        return State::Completed;
    if (s == QLatin1String("Failed"))
        return State::Failed;
    if (s == QLatin1String("Cancelled"))
        return State::Cancelled;
    if (s == QLatin1String("Disabled"))
        return State::Disabled;
    // "Unknown" is what the service says while a refresh runs: no end time means running.
    if (!r.endTime)
        return State::Running;
    return State::Unknown;
}

State stateOf(const RefreshExecution& e)
{
    const QString ext = e.extendedStatus.value_or(QString());
    if (ext == QLatin1String("Cancelled") || e.status == QLatin1String("Cancelled"))
        return State::Cancelled;
    if (ext == QLatin1String("TimedOut") || ext == QLatin1String("Failed") ||
        e.status == QLatin1String("Failed"))
        return State::Failed;
    if (e.status == QLatin1String("Completed") || ext == QLatin1String("Completed"))
        return State::Completed;
    if (e.status == QLatin1String("Disabled") || ext == QLatin1String("Disabled"))
        return State::Disabled;
    if (e.inProgress || !e.endTime)
        return State::Running;
    return State::Unknown;
}

QString stateName(State s)
{
    switch (s) {
    case State::Running: return QStringLiteral("Running");
    case State::Completed: return QStringLiteral("Completed");
    case State::Failed: return QStringLiteral("Failed");
    case State::Cancelled: return QStringLiteral("Cancelled");
    case State::Disabled: return QStringLiteral("Disabled");
    case State::Unknown: break;
    }
    return QStringLiteral("Unknown");
}

bool isFinished(State s)
{
    return s != State::Running;
}

QString typeName(const QString& t)
{
    if (t == QLatin1String("OnDemand"))
        return QStringLiteral("On demand");
    if (t == QLatin1String("ViaApi"))
        return QStringLiteral("API");
    if (t == QLatin1String("ViaEnhancedApi"))
        return QStringLiteral("Enhanced API");
    if (t == QLatin1String("ViaXmlaEndpoint"))
        return QStringLiteral("XMLA endpoint");
    if (t == QLatin1String("OnDemandTraining"))
        return QStringLiteral("On demand (training)");
    return t; // Scheduled, and whatever the service adds later
}

std::optional<qint64> durationMs(const Refresh& r, const QDateTime& now)
{
    if (!r.startTime)
        return std::nullopt;
    const QDateTime end = r.endTime ? *r.endTime : now;
    return std::max<qint64>(0, r.startTime->msecsTo(end));
}

QString formatDuration(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s >= 3600)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (s >= 60)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s >= 1)
        return QStringLiteral("%1 s").arg(s);
    return QStringLiteral("%1 ms").arg(ms);
}

std::optional<Failure> decodeFailure(const std::optional<QString>& serviceExceptionJson)
{
    if (!serviceExceptionJson || serviceExceptionJson->trimmed().isEmpty())
        return std::nullopt;
    Failure f;
    f.raw = *serviceExceptionJson;
    const QByteArray utf8 = serviceExceptionJson->toUtf8();
    const json doc = json::parse(utf8.constData(), utf8.constData() + utf8.size(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        f.wellFormed = false;
        f.sentence = QStringLiteral("The refresh failed; the service's error could not be read as JSON.");
        f.description = f.raw;
        return f;
    }
    f.errorCode = text(doc, "errorCode");
    f.description = text(doc, "errorDescription");
    // Gateway failures nest the whole error: {"error":{"code":…,"pbi.error":{"details":[…]}}}.
    if (f.errorCode.isEmpty()) {
        if (const auto e = doc.find("error"); e != doc.end() && e->is_object()) {
            f.errorCode = text(*e, "code");
            f.description = text(*e, "message");
            if (const auto p = e->find("pbi.error"); p != e->end() && p->is_object()) {
                if (f.errorCode.isEmpty())
                    f.errorCode = text(*p, "code");
                if (const auto d = p->find("details"); d != p->end() && d->is_array()) {
                    QStringList parts;
                    for (const json& item : *d) {
                        if (!item.is_object())
                            continue;
                        const QString name = text(item, "code");
                        QString value;
                        if (const auto det = item.find("detail"); det != item.end() && det->is_object())
                            value = text(*det, "value");
                        if (!value.isEmpty())
                            parts << (name.isEmpty() ? value : name + QStringLiteral(": ") + value);
                    }
                    if (!parts.isEmpty() && f.description.isEmpty())
                        f.description = parts.join(QStringLiteral("; "));
                }
            }
        }
    }
    for (const KnownFailure& k : kKnown) {
        if (!f.errorCode.startsWith(QLatin1String(k.codePrefix)))
            continue;
        if (k.descriptionContains &&
            !f.description.contains(QLatin1String(k.descriptionContains), Qt::CaseInsensitive))
            continue;
        f.sentence = QString::fromUtf8(k.sentence);
        f.hint = QString::fromUtf8(k.hint);
        break;
    }
    if (f.sentence.isEmpty()) {
        f.sentence = f.errorCode.isEmpty()
                         ? QStringLiteral("The refresh failed.")
                         : QStringLiteral("The refresh failed with %1.").arg(f.errorCode);
    }
    return f;
}

std::vector<Problem> validate(const RefreshRequest& r, const Target& target)
{
    std::vector<Problem> out;
    const auto add = [&out](QString field, QString message) {
        out.push_back({std::move(field), std::move(message)});
    };
    const bool enhanced = r.isEnhanced();
    if (r.notifyOption) {
        static const QStringList options = {QStringLiteral("NoNotification"), QStringLiteral("MailOnFailure"),
                                            QStringLiteral("MailOnCompletion")};
        const auto c = canonical(*r.notifyOption, options);
        if (enhanced)
            add(QStringLiteral("notifyOption"),
                QStringLiteral("An enhanced refresh takes no notifyOption: remove it, or remove the "
                               "enhanced options for a plain refresh."));
        else if (!c)
            add(QStringLiteral("notifyOption"),
                QStringLiteral("'%1' is not a notify option; use one of %2.").arg(*r.notifyOption, oneOf(options)));
        else if (target.servicePrincipal && *c != QLatin1String("NoNotification"))
            add(QStringLiteral("notifyOption"),
                QStringLiteral("A service principal has no mailbox: the service accepts only NoNotification."));
    }
    if (!enhanced)
        return out;

    if (target.premium && !*target.premium)
        add(QStringLiteral("type"),
            QStringLiteral("Enhanced refresh needs a Premium, Premium Per User, Embedded or Fabric capacity; "
                           "this workspace is on shared capacity. Use a plain refresh."));
    if (r.type) {
        static const QStringList types = {QStringLiteral("Full"),      QStringLiteral("ClearValues"),
                                          QStringLiteral("Calculate"), QStringLiteral("DataOnly"),
                                          QStringLiteral("Automatic"), QStringLiteral("Defragment")};
        if (r.type->compare(QLatin1String("Add"), Qt::CaseInsensitive) == 0)
            add(QStringLiteral("type"), QStringLiteral("The refresh type Add is not supported by the REST API."));
        else if (!canonical(*r.type, types))
            add(QStringLiteral("type"),
                QStringLiteral("'%1' is not a refresh type; use one of %2.").arg(*r.type, oneOf(types)));
    }
    bool partialBatch = false;
    if (r.commitMode) {
        static const QStringList modes = {QStringLiteral("Transactional"), QStringLiteral("PartialBatch")};
        const auto c = canonical(*r.commitMode, modes);
        if (!c)
            add(QStringLiteral("commitMode"),
                QStringLiteral("'%1' is not a commit mode; use one of %2.").arg(*r.commitMode, oneOf(modes)));
        else
            partialBatch = *c == QLatin1String("PartialBatch");
    }
    if (partialBatch && r.applyRefreshPolicy.value_or(true))
        add(QStringLiteral("applyRefreshPolicy"),
            QStringLiteral("With commit mode PartialBatch the refresh policy cannot be applied: set "
                           "applyRefreshPolicy to false, or use Transactional (the service fails the "
                           "refresh with \"…must have the property 'CommitMode' = 'Transactional'\")."));
    if (r.maxParallelism && *r.maxParallelism < 1)
        add(QStringLiteral("maxParallelism"), QStringLiteral("Max parallelism must be at least 1."));
    if (r.retryCount && *r.retryCount < 0)
        add(QStringLiteral("retryCount"), QStringLiteral("The retry count cannot be negative."));
    if (r.timeout) {
        static const QRegularExpression shape(
            QStringLiteral("^([0-1]?[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"));
        if (!shape.match(*r.timeout).hasMatch())
            add(QStringLiteral("timeout"),
                QStringLiteral("'%1' is not a timeout: use hh:mm:ss, at most 23:59:59 per attempt.").arg(*r.timeout));
        else if (*r.timeout == QLatin1String("00:00:00") || *r.timeout == QLatin1String("0:00:00"))
            add(QStringLiteral("timeout"), QStringLiteral("The timeout must be longer than zero."));
        else if (r.retryCount && *r.retryCount > 0) {
            const QStringList p = r.timeout->split(QLatin1Char(':'));
            const int seconds = p[0].toInt() * 3600 + p[1].toInt() * 60 + p[2].toInt();
            if (qint64(seconds) * (*r.retryCount + 1) > 24 * 3600)
                add(QStringLiteral("timeout"),
                    QStringLiteral("With %1 retries a %2 timeout per attempt exceeds the 24 hours the "
                                   "service allows for the whole request.")
                        .arg(*r.retryCount)
                        .arg(*r.timeout));
        }
    }
    QSet<QString> seen;
    for (std::size_t i = 0; i < r.objects.size(); ++i) {
        const RefreshObject& o = r.objects[i];
        const QString field = QStringLiteral("objects[%1]").arg(i);
        if (o.table.trimmed().isEmpty()) {
            add(field + QStringLiteral(".table"), QStringLiteral("Each object needs a table name."));
            continue;
        }
        const QString key = o.table + QLatin1Char('\x1f') + o.partition;
        if (seen.contains(key))
            add(field, QStringLiteral("'%1' is listed twice.").arg(o.partition.isEmpty() ? o.table : o.table + QLatin1Char('/') + o.partition));
        seen.insert(key);
        if (target.knownObjects.empty())
            continue;
        bool tableKnown = false;
        bool partitionKnown = o.partition.isEmpty();
        for (const RefreshObject& k : target.knownObjects) {
            if (k.table != o.table)
                continue;
            tableKnown = true;
            if (!o.partition.isEmpty() && k.partition == o.partition)
                partitionKnown = true;
        }
        if (!tableKnown)
            add(field + QStringLiteral(".table"), QStringLiteral("The model has no table '%1'.").arg(o.table));
        else if (!partitionKnown)
            add(field + QStringLiteral(".partition"),
                QStringLiteral("Table '%1' has no partition '%2'.").arg(o.table, o.partition));
    }
    return out;
}

std::vector<Problem> validate(const RefreshScheduleUpdate& u, const RefreshSchedule& current, const Target& target)
{
    std::vector<Problem> out;
    const auto add = [&out](QString field, QString message) {
        out.push_back({std::move(field), std::move(message)});
    };
    if (u.isEmpty()) {
        add(QString(), QStringLiteral("Nothing to change."));
        return out;
    }
    if (u.enabled && !*u.enabled && (u.days || u.times || u.localTimeZoneId || u.notifyOption))
        add(QStringLiteral("enabled"),
            QStringLiteral("The service accepts a request that disables the schedule only when it changes "
                           "nothing else: save the other changes first, or disable alone."));
    const bool willBeEnabled = u.enabled.value_or(current.enabled);
    if (u.days) {
        QSet<QString> seen;
        for (int i = 0; i < u.days->size(); ++i) {
            const QString& d = u.days->at(i);
            if (!kDays.contains(d))
                add(QStringLiteral("days[%1]").arg(i),
                    QStringLiteral("'%1' is not a day; use Monday … Sunday.").arg(d));
            else if (seen.contains(d))
                add(QStringLiteral("days[%1]").arg(i), QStringLiteral("%1 is listed twice.").arg(d));
            seen.insert(d);
        }
    }
    const QStringList days = u.days.value_or(current.days);
    if (willBeEnabled && days.isEmpty())
        add(QStringLiteral("days"), QStringLiteral("An enabled schedule needs at least one day."));
    if (u.times) {
        static const QRegularExpression shape(QStringLiteral("^([01][0-9]|2[0-3]):(00|30)$"));
        QSet<QString> seen;
        for (int i = 0; i < u.times->size(); ++i) {
            const QString& t = u.times->at(i);
            if (!shape.match(t).hasMatch())
                add(QStringLiteral("times[%1]").arg(i),
                    QStringLiteral("'%1' is not a schedule time: use hh:mm on the hour or half hour "
                                   "(e.g. 07:00, 18:30).")
                        .arg(t));
            else if (seen.contains(t))
                add(QStringLiteral("times[%1]").arg(i), QStringLiteral("%1 is listed twice.").arg(t));
            seen.insert(t);
        }
    }
    const QStringList times = u.times.value_or(current.times);
    if (target.premium) {
        const int limit = *target.premium ? 48 : 8;
        if (times.size() > limit)
            add(QStringLiteral("times"),
                QStringLiteral("%1 refresh times a day; %2 allows at most %3.")
                    .arg(times.size())
                    .arg(*target.premium ? QStringLiteral("a Premium capacity") : QStringLiteral("shared capacity"))
                    .arg(limit));
    }
    if (u.localTimeZoneId) {
        if (u.localTimeZoneId->isEmpty() ||
            QTimeZone::windowsIdToDefaultIanaId(u.localTimeZoneId->toUtf8()).isEmpty())
            add(QStringLiteral("localTimeZoneId"),
                QStringLiteral("'%1' is not a Windows time zone id (e.g. UTC, W. Europe Standard Time, "
                               "Pacific Standard Time).")
                    .arg(*u.localTimeZoneId));
    }
    if (u.notifyOption) {
        static const QStringList options = {QStringLiteral("NoNotification"), QStringLiteral("MailOnFailure")};
        if (!options.contains(*u.notifyOption))
            add(QStringLiteral("notifyOption"),
                QStringLiteral("'%1' is not a schedule notify option; use one of %2.")
                    .arg(*u.notifyOption, oneOf(options)));
        else if (target.servicePrincipal && *u.notifyOption != QLatin1String("NoNotification"))
            add(QStringLiteral("notifyOption"),
                QStringLiteral("A service principal has no mailbox: the service accepts only NoNotification."));
    } else if (target.servicePrincipal && current.notifyOption &&
               *current.notifyOption != QLatin1String("NoNotification") &&
               !(u.enabled && !*u.enabled)) {
        // The service checks the schedule as it would be after the change: a service principal
        // cannot leave it mailing anyone, even when it changes something else (only a disable
        // request is exempt).
        add(QStringLiteral("notifyOption"),
            QStringLiteral("The schedule notifies by mail (%1), which a service principal cannot keep: "
                           "set the notify option to NoNotification in the same change.")
                .arg(*current.notifyOption));
    }
    return out;
}

QString describe(const std::vector<Problem>& problems)
{
    QStringList lines;
    for (const Problem& p : problems)
        lines << (p.field.isEmpty() ? p.message : p.field + QStringLiteral(": ") + p.message);
    return lines.join(QLatin1Char('\n'));
}

} // namespace pbi::refresh
