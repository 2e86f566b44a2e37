#include "api/JsonMapping.h"

#include "http/ErrorDecoder.h"

#include <nlohmann/json.hpp>

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

const json& field(const json& obj, const char* name, const QString& path)
{
    auto it = obj.find(name);
    if (it == obj.end() || it->is_null())
        throw FieldError{QStringLiteral("required field '%1.%2' is missing").arg(path, QLatin1String(name))};
    return *it;
}

QString requiredString(const json& obj, const char* name, const QString& path)
{
    const json& v = field(obj, name, path);
    if (!v.is_string())
        throw FieldError{QStringLiteral("field '%1.%2' is not a string").arg(path, QLatin1String(name))};
    return qs(v);
}

std::optional<QString> optionalString(const json& obj, const char* name, const QString& path)
{
    auto it = obj.find(name);
    if (it == obj.end() || it->is_null())
        return std::nullopt;
    if (!it->is_string())
        throw FieldError{QStringLiteral("field '%1.%2' is not a string").arg(path, QLatin1String(name))};
    return qs(*it);
}

bool optionalBool(const json& obj, const char* name, const QString& path, bool fallback)
{
    auto it = obj.find(name);
    if (it == obj.end() || it->is_null())
        return fallback;
    if (!it->is_boolean())
        throw FieldError{QStringLiteral("field '%1.%2' is not a boolean").arg(path, QLatin1String(name))};
    return it->get<bool>();
}

template <typename T, typename ItemFn>
Result<std::vector<T>> parseCollection(const HttpResponse& r, ItemFn item)
{
    json doc = json::parse(r.body.constData(), r.body.constData() + r.body.size(), nullptr, false);
    if (doc.is_discarded())
        return ErrorDecoder::parseError(r, QStringLiteral("the body is not valid JSON"));
    try {
        if (!doc.is_object())
            throw FieldError{QStringLiteral("the body is not a JSON object")};
        const json& value = field(doc, "value", QStringLiteral("$"));
        if (!value.is_array())
            throw FieldError{QStringLiteral("field '$.value' is not an array")};
        std::vector<T> out;
        out.reserve(value.size());
        for (std::size_t i = 0; i < value.size(); ++i) {
            const QString path = QStringLiteral("value[%1]").arg(i);
            if (!value[i].is_object())
                throw FieldError{QStringLiteral("'%1' is not an object").arg(path)};
            out.push_back(item(value[i], path));
        }
        return out;
    } catch (const FieldError& e) {
        return ErrorDecoder::parseError(r, e.what);
    }
}

Workspace toWorkspace(const json& o, const QString& path)
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
    return w;
}

} // namespace

Result<std::vector<Workspace>> parseWorkspaces(const HttpResponse& response)
{
    return parseCollection<Workspace>(response, toWorkspace);
}

} // namespace pbi::mapping
