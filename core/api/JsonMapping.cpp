#include "api/JsonMapping.h"

#include "http/ErrorDecoder.h"

#include <nlohmann/json.hpp>

#include <QRegularExpression>

#include <functional>
#include <set>

namespace pbi::mapping {

namespace {

using nlohmann::json;

/// Thrown inside the mapping only; turned into an Error at the boundary below.
struct FieldError {
    QString what;
};

QString qs(const json& j)
{
    return QString::fromStdString(j.get_ref<const std::string&>());
}

QString at(const QString& path, const char* name)
{
    return path + QLatin1Char('.') + QLatin1String(name);
}

const json* find(const json& obj, const char* name)
{
    auto it = obj.find(name);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

const json& field(const json& obj, const char* name, const QString& path)
{
    const json* v = find(obj, name);
    if (!v)
        throw FieldError{QStringLiteral("required field '%1' is missing").arg(at(path, name))};
    return *v;
}

QString requiredString(const json& obj, const char* name, const QString& path)
{
    const json& v = field(obj, name, path);
    if (!v.is_string())
        throw FieldError{QStringLiteral("field '%1' is not a string").arg(at(path, name))};
    return qs(v);
}

std::optional<QString> optionalString(const json& obj, const char* name, const QString& path)
{
    const json* v = find(obj, name);
    if (!v)
        return std::nullopt;
    if (!v->is_string())
        throw FieldError{QStringLiteral("field '%1' is not a string").arg(at(path, name))};
    return qs(*v);
}

bool requiredBool(const json& obj, const char* name, const QString& path)
{
    const json& v = field(obj, name, path);
    if (!v.is_boolean())
        throw FieldError{QStringLiteral("field '%1' is not a boolean").arg(at(path, name))};
    return v.get<bool>();
}

std::optional<bool> optionalBool(const json& obj, const char* name, const QString& path)
{
    const json* v = find(obj, name);
    if (!v)
        return std::nullopt;
    if (!v->is_boolean())
        throw FieldError{QStringLiteral("field '%1' is not a boolean").arg(at(path, name))};
    return v->get<bool>();
}

bool optionalBool(const json& obj, const char* name, const QString& path, bool fallback)
{
    return optionalBool(obj, name, path).value_or(fallback);
}

std::optional<int> optionalInt(const json& obj, const char* name, const QString& path)
{
    const json* v = find(obj, name);
    if (!v)
        return std::nullopt;
    if (!v->is_number_integer() || v->get<std::int64_t>() < std::numeric_limits<int>::min() ||
        v->get<std::int64_t>() > std::numeric_limits<int>::max())
        throw FieldError{QStringLiteral("field '%1' is not an integer").arg(at(path, name))};
    return int(v->get<std::int64_t>());
}

/// ISO 8601 as the service writes it: up to 7 fractional digits, with or without "Z"
/// (refresh execution details omit it; the service means UTC).
std::optional<QDateTime> optionalDate(const json& obj, const char* name, const QString& path)
{
    const std::optional<QString> text = optionalString(obj, name, path);
    if (!text)
        return std::nullopt;
    static const QRegularExpression shape(QStringLiteral(
        R"(^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$)"));
    const auto m = shape.match(*text);
    if (!m.hasMatch())
        throw FieldError{QStringLiteral("field '%1' is not a date-time: '%2'").arg(at(path, name), text->left(40))};
    QString normal = m.captured(1);
    if (!m.captured(2).isEmpty())
        normal += QLatin1Char('.') + QString(m.captured(2) + QStringLiteral("000")).left(3);
    normal += m.captured(3).isEmpty() ? QStringLiteral("Z") : m.captured(3);
    QDateTime d = QDateTime::fromString(normal, Qt::ISODateWithMs);
    if (!d.isValid())
        throw FieldError{QStringLiteral("field '%1' is not a date-time: '%2'").arg(at(path, name), text->left(40))};
    return d.toUTC();
}

QStringList stringList(const json& obj, const char* name, const QString& path)
{
    const json* v = find(obj, name);
    if (!v)
        return {};
    if (!v->is_array())
        throw FieldError{QStringLiteral("field '%1' is not an array").arg(at(path, name))};
    QStringList out;
    for (std::size_t i = 0; i < v->size(); ++i) {
        if (!(*v)[i].is_string())
            throw FieldError{QStringLiteral("'%1[%2]' is not a string").arg(at(path, name)).arg(i)};
        out << qs((*v)[i]);
    }
    return out;
}

template <typename T>
T from(const json& o, const QString& path);

/// The object as compact text for the "raw JSON" view, leaving out the members named in
/// `skip` (a workspace's expanded item lists: each item keeps its own text). Strings were valid
/// UTF-8 when parsed; replace keeps dump() from throwing should that ever change.
QByteArray compact(const json& o, std::initializer_list<const char*> skip = {})
{
    if (skip.size() == 0)
        return QByteArray::fromStdString(o.dump(-1, ' ', false, json::error_handler_t::replace));
    json copy = json::object();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (std::none_of(skip.begin(), skip.end(), [&](const char* k) { return it.key() == k; }))
            copy.emplace(it.key(), it.value());
    return QByteArray::fromStdString(copy.dump(-1, ' ', false, json::error_handler_t::replace));
}

template <typename T>
std::vector<T> list(const json& obj, const char* name, const QString& path)
{
    const json* v = find(obj, name);
    if (!v)
        return {};
    if (!v->is_array())
        throw FieldError{QStringLiteral("field '%1' is not an array").arg(at(path, name))};
    std::vector<T> out;
    out.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
        const QString item = QStringLiteral("%1[%2]").arg(at(path, name)).arg(i);
        if (!(*v)[i].is_object())
            throw FieldError{QStringLiteral("'%1' is not an object").arg(item)};
        out.push_back(from<T>((*v)[i], item));
    }
    return out;
}

template <>
GroupUser from<GroupUser>(const json& o, const QString& path)
{
    GroupUser u;
    // The spec's own admin examples carry only emailAddress (the field that preceded
    // identifier); accept it as the identifier, and a missing principalType as "None".
    u.emailAddress = optionalString(o, "emailAddress", path);
    const auto identifier = optionalString(o, "identifier", path);
    if (!identifier && !u.emailAddress)
        throw FieldError{QStringLiteral("required field '%1' is missing").arg(at(path, "identifier"))};
    u.identifier = identifier ? *identifier : *u.emailAddress;
    u.principalType = optionalString(o, "principalType", path).value_or(QStringLiteral("None"));
    u.groupUserAccessRight = requiredString(o, "groupUserAccessRight", path);
    u.displayName = optionalString(o, "displayName", path);
    u.graphId = optionalString(o, "graphId", path);
    u.userType = optionalString(o, "userType", path);
    u.rawJson = compact(o);
    return u;
}

template <>
Report from<Report>(const json& o, const QString& path)
{
    Report r;
    r.id = requiredString(o, "id", path);
    r.name = optionalString(o, "name", path).value_or(QString());
    r.datasetId = optionalString(o, "datasetId", path);
    r.appId = optionalString(o, "appId", path);
    r.description = optionalString(o, "description", path);
    r.reportType = optionalString(o, "reportType", path);
    r.format = optionalString(o, "format", path);
    r.webUrl = optionalString(o, "webUrl", path);
    r.embedUrl = optionalString(o, "embedUrl", path);
    r.workspaceId = optionalString(o, "workspaceId", path);
    r.createdBy = optionalString(o, "createdBy", path);
    r.modifiedBy = optionalString(o, "modifiedBy", path);
    r.createdDateTime = optionalDate(o, "createdDateTime", path);
    r.modifiedDateTime = optionalDate(o, "modifiedDateTime", path);
    r.rawJson = compact(o);
    return r;
}

template <>
UpstreamDataflow from<UpstreamDataflow>(const json& o, const QString& path)
{
    return {requiredString(o, "targetDataflowId", path), requiredString(o, "groupId", path)};
}

template <>
Dataset from<Dataset>(const json& o, const QString& path)
{
    Dataset d;
    d.id = requiredString(o, "id", path);
    d.name = optionalString(o, "name", path).value_or(QString());
    d.configuredBy = optionalString(o, "configuredBy", path);
    d.createdDate = optionalDate(o, "createdDate", path);
    d.description = optionalString(o, "description", path);
    d.webUrl = optionalString(o, "webUrl", path);
    // The service spells this one with a capital C (spec and real payloads).
    d.contentProviderType = optionalString(o, "ContentProviderType", path);
    d.targetStorageMode = optionalString(o, "targetStorageMode", path);
    d.isRefreshable = optionalBool(o, "isRefreshable", path, false);
    d.isEffectiveIdentityRequired = optionalBool(o, "isEffectiveIdentityRequired", path, false);
    d.isEffectiveIdentityRolesRequired = optionalBool(o, "isEffectiveIdentityRolesRequired", path, false);
    d.isOnPremGatewayRequired = optionalBool(o, "isOnPremGatewayRequired", path, false);
    d.addRowsAPIEnabled = optionalBool(o, "addRowsAPIEnabled", path, false);
    d.upstreamDataflows = list<UpstreamDataflow>(o, "upstreamDataflows", path);
    d.workspaceId = optionalString(o, "workspaceId", path);
    d.rawJson = compact(o);
    return d;
}

template <>
Tile from<Tile>(const json& o, const QString& path)
{
    Tile t;
    t.id = requiredString(o, "id", path);
    t.title = optionalString(o, "title", path);
    t.reportId = optionalString(o, "reportId", path);
    t.datasetId = optionalString(o, "datasetId", path);
    t.embedUrl = optionalString(o, "embedUrl", path);
    t.rowSpan = optionalInt(o, "rowSpan", path);
    t.colSpan = optionalInt(o, "colSpan", path);
    return t;
}

template <>
Dashboard from<Dashboard>(const json& o, const QString& path)
{
    Dashboard d;
    d.id = requiredString(o, "id", path);
    d.displayName = optionalString(o, "displayName", path).value_or(QString());
    d.isReadOnly = optionalBool(o, "isReadOnly", path, false);
    d.appId = optionalString(o, "appId", path);
    d.webUrl = optionalString(o, "webUrl", path);
    d.embedUrl = optionalString(o, "embedUrl", path);
    d.workspaceId = optionalString(o, "workspaceId", path);
    d.tiles = list<Tile>(o, "tiles", path);
    d.rawJson = compact(o);
    return d;
}

template <>
Dataflow from<Dataflow>(const json& o, const QString& path)
{
    Dataflow d;
    d.id = requiredString(o, "objectId", path); // dataflows are the one item without "id"
    d.name = optionalString(o, "name", path).value_or(QString());
    d.description = optionalString(o, "description", path);
    d.modelUrl = optionalString(o, "modelUrl", path);
    d.configuredBy = optionalString(o, "configuredBy", path);
    d.workspaceId = optionalString(o, "workspaceId", path);
    d.rawJson = compact(o);
    return d;
}

template <>
Workbook from<Workbook>(const json& o, const QString& path)
{
    return {requiredString(o, "name", path), optionalString(o, "datasetId", path)};
}

template <>
Datasource from<Datasource>(const json& o, const QString& path)
{
    Datasource s;
    s.datasourceType = optionalString(o, "datasourceType", path);
    if (const json* d = find(o, "connectionDetails")) {
        const QString p = at(path, "connectionDetails");
        if (!d->is_object())
            throw FieldError{QStringLiteral("field '%1' is not an object").arg(p)};
        auto& c = s.connectionDetails;
        c.server = optionalString(*d, "server", p);
        c.database = optionalString(*d, "database", p);
        c.url = optionalString(*d, "url", p);
        c.path = optionalString(*d, "path", p);
        c.kind = optionalString(*d, "kind", p);
        c.account = optionalString(*d, "account", p);
        c.domain = optionalString(*d, "domain", p);
        c.emailAddress = optionalString(*d, "emailAddress", p);
        c.loginServer = optionalString(*d, "loginServer", p);
        c.classInfo = optionalString(*d, "classInfo", p);
    }
    s.datasourceId = optionalString(o, "datasourceId", path);
    s.gatewayId = optionalString(o, "gatewayId", path);
    s.name = optionalString(o, "name", path);
    s.connectionString = optionalString(o, "connectionString", path);
    return s;
}

template <>
MashupParameter from<MashupParameter>(const json& o, const QString& path)
{
    MashupParameter m;
    m.name = requiredString(o, "name", path);
    m.type = requiredString(o, "type", path);
    m.isRequired = requiredBool(o, "isRequired", path);
    m.currentValue = optionalString(o, "currentValue", path);
    m.suggestedValues = stringList(o, "suggestedValues", path);
    return m;
}

template <>
RefreshAttempt from<RefreshAttempt>(const json& o, const QString& path)
{
    RefreshAttempt a;
    a.attemptId = optionalInt(o, "attemptId", path);
    a.startTime = optionalDate(o, "startTime", path);
    a.endTime = optionalDate(o, "endTime", path);
    a.type = optionalString(o, "type", path);
    a.serviceExceptionJson = optionalString(o, "serviceExceptionJson", path);
    return a;
}

template <>
Refresh from<Refresh>(const json& o, const QString& path)
{
    Refresh r;
    r.requestId = optionalString(o, "requestId", path);
    r.refreshType = optionalString(o, "refreshType", path);
    r.startTime = optionalDate(o, "startTime", path);
    r.endTime = optionalDate(o, "endTime", path);
    r.status = optionalString(o, "status", path).value_or(QStringLiteral("Unknown"));
    r.extendedStatus = optionalString(o, "extendedStatus", path);
    r.serviceExceptionJson = optionalString(o, "serviceExceptionJson", path);
    r.refreshAttempts = list<RefreshAttempt>(o, "refreshAttempts", path);
    return r;
}

template <>
DataflowTransaction from<DataflowTransaction>(const json& o, const QString& path)
{
    DataflowTransaction t;
    t.id = requiredString(o, "id", path);
    t.refreshType = optionalString(o, "refreshType", path);
    t.startTime = optionalDate(o, "startTime", path);
    t.endTime = optionalDate(o, "endTime", path);
    t.status = optionalString(o, "status", path);
    return t;
}

template <>
DataflowCancelResult from<DataflowCancelResult>(const json& o, const QString& path)
{
    DataflowCancelResult r;
    r.transactionId = optionalString(o, "transactionId", path).value_or(QString());
    r.status = requiredString(o, "status", path);
    return r;
}

template <>
RefreshSchedule from<RefreshSchedule>(const json& o, const QString& path)
{
    RefreshSchedule s;
    s.days = stringList(o, "days", path);
    s.times = stringList(o, "times", path);
    s.enabled = optionalBool(o, "enabled", path, false);
    s.localTimeZoneId = optionalString(o, "localTimeZoneId", path);
    s.notifyOption = optionalString(o, "notifyOption", path);
    return s;
}

template <>
RefreshObjectStatus from<RefreshObjectStatus>(const json& o, const QString& path)
{
    RefreshObjectStatus s;
    s.table = optionalString(o, "table", path).value_or(QString());
    s.partition = optionalString(o, "partition", path).value_or(QString());
    s.status = optionalString(o, "status", path).value_or(QString());
    return s;
}

template <>
RefreshMessage from<RefreshMessage>(const json& o, const QString& path)
{
    RefreshMessage m;
    m.code = optionalString(o, "code", path).value_or(QString());
    m.message = optionalString(o, "message", path).value_or(QString());
    m.type = optionalString(o, "type", path).value_or(QString());
    return m;
}

template <>
RefreshExecution from<RefreshExecution>(const json& o, const QString& path)
{
    RefreshExecution e;
    e.startTime = optionalDate(o, "startTime", path);
    e.endTime = optionalDate(o, "endTime", path);
    e.type = optionalString(o, "type", path);
    e.commitMode = optionalString(o, "commitMode", path);
    e.status = optionalString(o, "status", path).value_or(QStringLiteral("Unknown"));
    e.extendedStatus = optionalString(o, "extendedStatus", path);
    e.currentRefreshType = optionalString(o, "currentRefreshType", path);
    e.numberOfAttempts = optionalInt(o, "numberOfAttempts", path);
    e.serviceExceptionJson = optionalString(o, "serviceExceptionJson", path);
    e.objects = list<RefreshObjectStatus>(o, "objects", path);
    e.messages = list<RefreshMessage>(o, "messages", path);
    e.refreshAttempts = list<RefreshAttempt>(o, "refreshAttempts", path);
    return e;
}

std::optional<double> optionalNumber(const json& obj, const char* name, const QString& path)
{
    const json* v = find(obj, name);
    if (!v)
        return std::nullopt;
    if (!v->is_number())
        throw FieldError{QStringLiteral("field '%1' is not a number").arg(at(path, name))};
    return v->get<double>();
}

template <>
Refreshable from<Refreshable>(const json& o, const QString& path)
{
    Refreshable r;
    r.id = requiredString(o, "id", path);
    r.name = optionalString(o, "name", path).value_or(QString());
    r.kind = optionalString(o, "kind", path).value_or(QString());
    r.startTime = optionalDate(o, "startTime", path);
    r.endTime = optionalDate(o, "endTime", path);
    r.refreshCount = optionalInt(o, "refreshCount", path);
    r.refreshFailures = optionalInt(o, "refreshFailures", path);
    r.averageDuration = optionalNumber(o, "averageDuration", path);
    r.medianDuration = optionalNumber(o, "medianDuration", path);
    r.refreshesPerDay = optionalInt(o, "refreshesPerDay", path);
    if (const json* last = find(o, "lastRefresh")) {
        if (!last->is_object())
            throw FieldError{QStringLiteral("field '%1' is not an object").arg(at(path, "lastRefresh"))};
        r.lastRefresh = from<Refresh>(*last, at(path, "lastRefresh"));
    }
    if (const json* schedule = find(o, "refreshSchedule")) {
        if (!schedule->is_object())
            throw FieldError{QStringLiteral("field '%1' is not an object").arg(at(path, "refreshSchedule"))};
        r.refreshSchedule = from<RefreshSchedule>(*schedule, at(path, "refreshSchedule"));
    }
    r.configuredBy = stringList(o, "configuredBy", path);
    if (const json* c = find(o, "capacity"); c && c->is_object()) {
        r.capacityId = optionalString(*c, "id", at(path, "capacity")).value_or(QString());
        r.capacityName = optionalString(*c, "displayName", at(path, "capacity")).value_or(QString());
        r.capacitySku = optionalString(*c, "sku", at(path, "capacity")).value_or(QString());
    }
    if (const json* g = find(o, "group"); g && g->is_object()) {
        r.groupId = optionalString(*g, "id", at(path, "group")).value_or(QString());
        r.groupName = optionalString(*g, "name", at(path, "group")).value_or(QString());
    }
    return r;
}

template <>
Capacity from<Capacity>(const json& o, const QString& path)
{
    Capacity c;
    c.id = requiredString(o, "id", path);
    c.displayName = optionalString(o, "displayName", path).value_or(QString());
    c.admins = stringList(o, "admins", path);
    c.sku = optionalString(o, "sku", path).value_or(QString());
    c.state = requiredString(o, "state", path);
    c.capacityUserAccessRight = requiredString(o, "capacityUserAccessRight", path);
    c.region = optionalString(o, "region", path);
    return c;
}

template <>
Gateway from<Gateway>(const json& o, const QString& path)
{
    Gateway g;
    g.id = requiredString(o, "id", path);
    g.name = optionalString(o, "name", path).value_or(QString());
    g.type = optionalString(o, "type", path);
    g.gatewayAnnotation = optionalString(o, "gatewayAnnotation", path);
    g.gatewayStatus = optionalString(o, "gatewayStatus", path);
    if (const json* k = find(o, "publicKey")) {
        const QString p = at(path, "publicKey");
        if (!k->is_object())
            throw FieldError{QStringLiteral("field '%1' is not an object").arg(p)};
        g.publicKeyExponent = optionalString(*k, "exponent", p);
        g.publicKeyModulus = optionalString(*k, "modulus", p);
    }
    return g;
}

template <>
App from<App>(const json& o, const QString& path)
{
    App a;
    a.id = requiredString(o, "id", path);
    a.name = optionalString(o, "name", path).value_or(QString());
    a.description = optionalString(o, "description", path);
    a.lastUpdate = optionalDate(o, "lastUpdate", path);
    a.publishedBy = optionalString(o, "publishedBy", path);
    a.workspaceId = optionalString(o, "workspaceId", path);
    return a;
}

template <>
PipelineStage from<PipelineStage>(const json& o, const QString& path)
{
    PipelineStage s;
    const std::optional<int> order = optionalInt(o, "order", path);
    if (!order)
        throw FieldError{QStringLiteral("required field '%1' is missing").arg(at(path, "order"))};
    s.order = *order;
    s.workspaceId = optionalString(o, "workspaceId", path);
    s.workspaceName = optionalString(o, "workspaceName", path);
    return s;
}

template <>
Pipeline from<Pipeline>(const json& o, const QString& path)
{
    Pipeline p;
    p.id = requiredString(o, "id", path);
    p.displayName = optionalString(o, "displayName", path).value_or(QString());
    p.description = optionalString(o, "description", path);
    p.stages = list<PipelineStage>(o, "stages", path);
    return p;
}

template <>
Workspace from<Workspace>(const json& o, const QString& path)
{
    Workspace w;
    w.id = requiredString(o, "id", path);
    w.name = optionalString(o, "name", path).value_or(QString());
    w.isReadOnly = optionalBool(o, "isReadOnly", path, false);
    w.isOnDedicatedCapacity = optionalBool(o, "isOnDedicatedCapacity", path, false);
    w.capacityId = optionalString(o, "capacityId", path);
    w.dataflowStorageId = optionalString(o, "dataflowStorageId", path);
    w.defaultDatasetStorageFormat = optionalString(o, "defaultDatasetStorageFormat", path);
    w.type = optionalString(o, "type", path);
    w.state = optionalString(o, "state", path);
    w.description = optionalString(o, "description", path);
    w.pipelineId = optionalString(o, "pipelineId", path);
    w.hasWorkspaceLevelSettings = optionalBool(o, "hasWorkspaceLevelSettings", path);
    w.users = list<GroupUser>(o, "users", path);
    w.reports = list<Report>(o, "reports", path);
    w.dashboards = list<Dashboard>(o, "dashboards", path);
    w.datasets = list<Dataset>(o, "datasets", path);
    w.dataflows = list<Dataflow>(o, "dataflows", path);
    w.workbooks = list<Workbook>(o, "workbooks", path);
    w.rawJson = compact(o, {"users", "reports", "dashboards", "datasets", "dataflows", "workbooks"});
    return w;
}

std::optional<json> parseBody(const HttpResponse& r)
{
    json doc = json::parse(r.body.constData(), r.body.constData() + r.body.size(), nullptr, false);
    if (doc.is_discarded())
        return std::nullopt;
    return doc;
}

} // namespace

template <typename T>
Result<std::vector<T>> parseCollection(const HttpResponse& r)
{
    const auto doc = parseBody(r);
    if (!doc)
        return ErrorDecoder::parseError(r, QStringLiteral("the body is not valid JSON"));
    try {
        if (!doc->is_object())
            throw FieldError{QStringLiteral("the body is not a JSON object")};
        const json& value = field(*doc, "value", QStringLiteral("$"));
        if (!value.is_array())
            throw FieldError{QStringLiteral("field '$.value' is not an array")};
        std::vector<T> out;
        out.reserve(value.size());
        for (std::size_t i = 0; i < value.size(); ++i) {
            const QString path = QStringLiteral("value[%1]").arg(i);
            if (!value[i].is_object())
                throw FieldError{QStringLiteral("'%1' is not an object").arg(path)};
            out.push_back(from<T>(value[i], path));
        }
        return out;
    } catch (const FieldError& e) {
        return ErrorDecoder::parseError(r, e.what);
    }
}

template <typename T>
Result<T> parseObject(const HttpResponse& r)
{
    const auto doc = parseBody(r);
    if (!doc)
        return ErrorDecoder::parseError(r, QStringLiteral("the body is not valid JSON"));
    try {
        if (!doc->is_object())
            throw FieldError{QStringLiteral("the body is not a JSON object")};
        return from<T>(*doc, QStringLiteral("$"));
    } catch (const FieldError& e) {
        return ErrorDecoder::parseError(r, e.what);
    }
}

#define PBI_MAPPING(T)                                                                            \
    template Result<std::vector<T>> parseCollection<T>(const HttpResponse&);                      \
    template Result<T> parseObject<T>(const HttpResponse&);
PBI_MAPPING(Workspace)
PBI_MAPPING(GroupUser)
PBI_MAPPING(Report)
PBI_MAPPING(Dataset)
PBI_MAPPING(Dashboard)
PBI_MAPPING(Tile)
PBI_MAPPING(Dataflow)
PBI_MAPPING(Datasource)
PBI_MAPPING(MashupParameter)
PBI_MAPPING(Refresh)
PBI_MAPPING(RefreshSchedule)
PBI_MAPPING(RefreshExecution)
PBI_MAPPING(Refreshable)
PBI_MAPPING(Capacity)
PBI_MAPPING(Gateway)
PBI_MAPPING(App)
PBI_MAPPING(Pipeline)
PBI_MAPPING(PipelineStage)
PBI_MAPPING(DataflowTransaction)
PBI_MAPPING(DataflowCancelResult)
#undef PBI_MAPPING

Result<std::vector<Workspace>> parseWorkspaces(const HttpResponse& response)
{
    return parseCollection<Workspace>(response);
}

namespace {

template <typename T>
Result<T> parseWith(const HttpResponse& r, const std::function<T(const json&)>& read)
{
    const auto doc = parseBody(r);
    if (!doc)
        return ErrorDecoder::parseError(r, QStringLiteral("the body is not valid JSON"));
    try {
        return read(*doc);
    } catch (const FieldError& e) {
        return ErrorDecoder::parseError(r, e.what);
    }
}

QVariant scalar(const json& v)
{
    if (v.is_string())
        return qs(v);
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_number_integer())
        return QVariant::fromValue<qlonglong>(v.get<std::int64_t>());
    if (v.is_number())
        return v.get<double>();
    return {};
}

} // namespace

Result<QStringList> parseModifiedWorkspaces(const HttpResponse& r)
{
    return parseWith<QStringList>(r, [](const json& doc) {
        if (!doc.is_array())
            throw FieldError{QStringLiteral("the body is not a JSON array")};
        QStringList ids;
        for (std::size_t i = 0; i < doc.size(); ++i) {
            if (!doc[i].is_object())
                throw FieldError{QStringLiteral("'[%1]' is not an object").arg(i)};
            ids << requiredString(doc[i], "id", QStringLiteral("[%1]").arg(i));
        }
        return ids;
    });
}

Result<ScanRequest> parseScanRequest(const HttpResponse& r)
{
    return parseWith<ScanRequest>(r, [](const json& doc) {
        if (!doc.is_object())
            throw FieldError{QStringLiteral("the body is not a JSON object")};
        const QString path = QStringLiteral("$");
        ScanRequest s;
        s.id = requiredString(doc, "id", path);
        s.createdDateTime = optionalDate(doc, "createdDateTime", path);
        s.status = requiredString(doc, "status", path);
        if (const json* e = find(doc, "error"); e && e->is_object()) {
            s.errorCode = optionalString(*e, "code", at(path, "error"));
            s.errorMessage = optionalString(*e, "message", at(path, "error"));
        }
        return s;
    });
}

Result<ScanResult> parseScanResult(const HttpResponse& r)
{
    return parseWith<ScanResult>(r, [](const json& doc) {
        if (!doc.is_object())
            throw FieldError{QStringLiteral("the body is not a JSON object")};
        const QString path = QStringLiteral("$");
        ScanResult out;
        out.workspaces = list<Workspace>(doc, "workspaces", path);
        // Tables of the scanned models (datasetSchema=true).
        if (const json* ws = find(doc, "workspaces"); ws && ws->is_array()) {
            for (std::size_t i = 0; i < ws->size(); ++i) {
                const json* ds = find((*ws)[i], "datasets");
                if (!ds || !ds->is_array())
                    continue;
                for (std::size_t j = 0; j < ds->size(); ++j) {
                    const json& d = (*ds)[j];
                    const QString dpath = QStringLiteral("workspaces[%1].datasets[%2]").arg(i).arg(j);
                    const json* tables = find(d, "tables");
                    if (!tables)
                        continue;
                    if (!tables->is_array())
                        throw FieldError{QStringLiteral("field '%1.tables' is not an array").arg(dpath)};
                    for (std::size_t k = 0; k < tables->size(); ++k) {
                        const json& t = (*tables)[k];
                        const QString tpath = QStringLiteral("%1.tables[%2]").arg(dpath).arg(k);
                        if (!t.is_object())
                            throw FieldError{QStringLiteral("'%1' is not an object").arg(tpath)};
                        ScannedTable st;
                        st.datasetId = requiredString(d, "id", dpath);
                        st.name = requiredString(t, "name", tpath);
                        st.isHidden = optionalBool(t, "isHidden", tpath, false);
                        if (const json* c = find(t, "columns"); c && c->is_array())
                            st.columnCount = int(c->size());
                        if (const json* m = find(t, "measures"); m && m->is_array())
                            st.measureCount = int(m->size());
                        out.tables.push_back(std::move(st));
                    }
                }
            }
        }
        if (const json* d = find(doc, "datasourceInstances"); d && d->is_array())
            out.datasourceInstanceCount = int(d->size());
        if (const json* d = find(doc, "misconfiguredDatasourceInstances"); d && d->is_array())
            out.misconfiguredDatasourceInstanceCount = int(d->size());
        return out;
    });
}

Result<ActivityPage> parseActivityPage(const HttpResponse& r)
{
    return parseWith<ActivityPage>(r, [](const json& doc) {
        if (!doc.is_object())
            throw FieldError{QStringLiteral("the body is not a JSON object")};
        const QString path = QStringLiteral("$");
        ActivityPage page;
        const json& entities = field(doc, "activityEventEntities", path);
        if (!entities.is_array())
            throw FieldError{QStringLiteral("field '$.activityEventEntities' is not an array")};
        page.events.reserve(entities.size());
        for (std::size_t i = 0; i < entities.size(); ++i) {
            const json& e = entities[i];
            const QString epath = QStringLiteral("activityEventEntities[%1]").arg(i);
            if (!e.is_object())
                throw FieldError{QStringLiteral("'%1' is not an object").arg(epath)};
            ActivityEvent ev;
            ev.id = requiredString(e, "Id", epath);
            ev.creationTime = optionalDate(e, "CreationTime", epath);
            ev.activity = optionalString(e, "Activity", epath).value_or(QString());
            ev.operation = optionalString(e, "Operation", epath).value_or(QString());
            ev.userId = optionalString(e, "UserId", epath).value_or(QString());
            ev.userType = e.contains("UserType") && e["UserType"].is_number()
                              ? QString::number(e["UserType"].get<std::int64_t>())
                              : optionalString(e, "UserType", epath).value_or(QString());
            ev.workspaceId = optionalString(e, "WorkspaceId", epath).value_or(QString());
            ev.workspaceName = optionalString(e, "WorkSpaceName", epath).value_or(QString());
            ev.itemName = optionalString(e, "ArtifactName", epath)
                              .value_or(optionalString(e, "ReportName", epath)
                                            .value_or(optionalString(e, "DatasetName", epath).value_or(QString())));
            ev.itemKind = optionalString(e, "ArtifactKind", epath).value_or(QString());
            ev.isSuccess = optionalBool(e, "IsSuccess", epath);
            static const std::set<std::string> typed = {"Id", "CreationTime", "Activity", "Operation",
                                                        "UserId", "UserType", "WorkspaceId", "WorkSpaceName",
                                                        "ArtifactKind", "IsSuccess"};
            for (auto it = e.begin(); it != e.end(); ++it) {
                if (typed.count(it.key()))
                    continue;
                const QVariant v = scalar(it.value());
                if (v.isValid())
                    ev.other.insert(QString::fromStdString(it.key()), v);
            }
            page.events.push_back(std::move(ev));
        }
        if (const json* t = find(doc, "continuationToken"); t && t->is_string())
            page.continuationToken = qs(*t);
        if (const json* u = find(doc, "continuationUri"); u && u->is_string())
            page.continuationUri = qs(*u);
        page.lastResultSet = optionalBool(doc, "lastResultSet", path);
        return page;
    });
}

namespace {

json strings(const QStringList& l)
{
    json a = json::array();
    for (const QString& s : l)
        a.push_back(s.toStdString());
    return a;
}

json identitiesJson(const std::vector<EffectiveIdentity>& identities)
{
    json out = json::array();
    for (const EffectiveIdentity& i : identities) {
        json j = {{"username", i.username.toStdString()}};
        if (!i.roles.isEmpty())
            j["roles"] = strings(i.roles);
        if (!i.datasets.isEmpty())
            j["datasets"] = strings(i.datasets);
        if (!i.customData.isEmpty())
            j["customData"] = i.customData.toStdString();
        out.push_back(std::move(j));
    }
    return out;
}

} // namespace

QByteArray toBody(const GenerateTokenRequest& r)
{
    json body = {{"accessLevel", r.accessLevel.toStdString()}};
    if (!r.datasetId.isEmpty())
        body["datasetId"] = r.datasetId.toStdString();
    if (r.allowSaveAs)
        body["allowSaveAs"] = *r.allowSaveAs;
    if (!r.identities.empty())
        body["identities"] = identitiesJson(r.identities);
    if (r.lifetimeInMinutes)
        body["lifetimeInMinutes"] = *r.lifetimeInMinutes;
    return QByteArray::fromStdString(body.dump());
}

QByteArray toBody(const GenerateTokenRequestV2& r)
{
    json body = json::object();
    if (!r.datasets.empty()) {
        json ds = json::array();
        for (const auto& d : r.datasets) {
            json j = {{"id", d.id.toStdString()}};
            if (!d.xmlaPermissions.isEmpty())
                j["xmlaPermissions"] = d.xmlaPermissions.toStdString();
            ds.push_back(std::move(j));
        }
        body["datasets"] = std::move(ds);
    }
    if (!r.reports.empty()) {
        json rs = json::array();
        for (const auto& x : r.reports) {
            json j = {{"id", x.id.toStdString()}};
            if (x.allowEdit)
                j["allowEdit"] = true;
            rs.push_back(std::move(j));
        }
        body["reports"] = std::move(rs);
    }
    if (!r.targetWorkspaces.isEmpty()) {
        json ws = json::array();
        for (const QString& id : r.targetWorkspaces)
            ws.push_back({{"id", id.toStdString()}});
        body["targetWorkspaces"] = std::move(ws);
    }
    if (!r.identities.empty())
        body["identities"] = identitiesJson(r.identities);
    if (r.lifetimeInMinutes)
        body["lifetimeInMinutes"] = *r.lifetimeInMinutes;
    return QByteArray::fromStdString(body.dump());
}

Result<EmbedToken> parseEmbedToken(const HttpResponse& r)
{
    return parseWith<EmbedToken>(r, [](const json& doc) {
        if (!doc.is_object())
            throw FieldError{QStringLiteral("the body is not a JSON object")};
        const QString path = QStringLiteral("$");
        EmbedToken t;
        t.token = requiredString(doc, "token", path);
        t.tokenId = requiredString(doc, "tokenId", path);
        const auto expiration = optionalDate(doc, "expiration", path);
        if (!expiration)
            throw FieldError{QStringLiteral("field '$.expiration' is missing")};
        t.expiration = *expiration;
        return t;
    });
}

QByteArray toScanBody(const QStringList& workspaceIds)
{
    json ids = json::array();
    for (const QString& id : workspaceIds)
        ids.push_back(id.toStdString());
    return QByteArray::fromStdString(json{{"workspaces", ids}}.dump());
}

QByteArray toBody(const RefreshRequest& r)
{
    json body = json::object();
    const auto put = [&body](const char* key, const std::optional<QString>& v) {
        if (v)
            body[key] = v->toStdString();
    };
    put("notifyOption", r.notifyOption);
    put("type", r.type);
    put("commitMode", r.commitMode);
    if (r.maxParallelism)
        body["maxParallelism"] = *r.maxParallelism;
    if (r.retryCount)
        body["retryCount"] = *r.retryCount;
    put("timeout", r.timeout);
    if (!r.objects.empty()) {
        json objects = json::array();
        for (const RefreshObject& o : r.objects) {
            json item = {{"table", o.table.toStdString()}};
            if (!o.partition.isEmpty())
                item["partition"] = o.partition.toStdString();
            objects.push_back(std::move(item));
        }
        body["objects"] = std::move(objects);
    }
    if (r.applyRefreshPolicy)
        body["applyRefreshPolicy"] = *r.applyRefreshPolicy;
    if (r.effectiveDate)
        body["effectiveDate"] = r.effectiveDate->toString(Qt::ISODate).toStdString();
    return QByteArray::fromStdString(body.dump());
}

QByteArray toBody(const RefreshScheduleUpdate& u)
{
    json value = json::object();
    const auto strings = [](const QStringList& l) {
        json a = json::array();
        for (const QString& s : l)
            a.push_back(s.toStdString());
        return a;
    };
    if (u.days)
        value["days"] = strings(*u.days);
    if (u.times)
        value["times"] = strings(*u.times);
    if (u.enabled)
        value["enabled"] = *u.enabled;
    if (u.localTimeZoneId)
        value["localTimeZoneId"] = u.localTimeZoneId->toStdString();
    if (u.notifyOption)
        value["notifyOption"] = u.notifyOption->toStdString();
    return QByteArray::fromStdString(json{{"value", value}}.dump());
}

QString prettyJson(const QByteArray& compactJson)
{
    const json doc = json::parse(compactJson.constData(), compactJson.constData() + compactJson.size(),
                                 nullptr, false);
    if (doc.is_discarded())
        return {};
    return QString::fromStdString(doc.dump(2, ' ', false, json::error_handler_t::replace));
}

QByteArray toBody(const DataflowRefreshRequest& r)
{
    return QByteArray::fromStdString(json{{"notifyOption", r.notifyOption.toStdString()}}.dump());
}

} // namespace pbi::mapping
