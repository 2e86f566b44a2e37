#include "inventory/Snapshot.h"

#include <nlohmann/json.hpp>

#include <QHash>
#include <QMap>

namespace pbi::Snapshot {

namespace {

using nlohmann::json;
constexpr char kFormat[] = "pbi-console-inventory/1";

std::string s(const QString& v)
{
    return v.toStdString();
}

void opt(json& j, const char* key, const std::optional<QString>& v)
{
    if (v)
        j[key] = s(*v);
}

struct Bad {
    QString what;
};

QString str(const json& j, const char* key, const QString& path, bool required = true)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required)
            throw Bad{QStringLiteral("%1.%2 is missing").arg(path, QLatin1String(key))};
        return {};
    }
    if (!it->is_string())
        throw Bad{QStringLiteral("%1.%2 is not a string").arg(path, QLatin1String(key))};
    return QString::fromStdString(it->get<std::string>());
}

std::optional<QString> ostr(const json& j, const char* key, const QString& path)
{
    if (!j.contains(key) || j[key].is_null())
        return std::nullopt;
    return str(j, key, path);
}

bool flag(const json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

template <typename Fn>
void each(const json& j, const char* key, const QString& path, Fn fn)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return;
    if (!it->is_array())
        throw Bad{QStringLiteral("%1.%2 is not a list").arg(path, QLatin1String(key))};
    int i = 0;
    for (const auto& item : *it) {
        const QString p = QStringLiteral("%1.%2[%3]").arg(path, QLatin1String(key)).arg(i++);
        if (!item.is_object())
            throw Bad{QStringLiteral("%1 is not an object").arg(p)};
        fn(item, p);
    }
}

/// One comparable line per item: kind, id, name, workspace and the fields worth comparing.
struct Flat {
    QString kind;
    QString id;
    QString name;
    QString workspace;
    QMap<QString, QString> fields;
};

std::vector<Flat> flatten(const InventorySnapshot& snap)
{
    std::vector<Flat> out;
    auto yes = [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("no"); };
    for (const auto& w : snap.workspaces) {
        Flat f{QStringLiteral("workspace"), w.id, w.name, w.name, {}};
        f.fields.insert(QStringLiteral("capacity"), w.capacityId.value_or(QStringLiteral("shared")));
        f.fields.insert(QStringLiteral("state"), w.state.value_or(QString()));
        f.fields.insert(QStringLiteral("type"), w.type.value_or(QString()));
        f.fields.insert(QStringLiteral("description"), w.description.value_or(QString()));
        out.push_back(f);
        for (const auto& r : w.reports) {
            Flat i{QStringLiteral("report"), r.id, r.name, w.name, {}};
            i.fields.insert(QStringLiteral("semantic model"), r.datasetId.value_or(QString()));
            i.fields.insert(QStringLiteral("report type"), r.reportType.value_or(QString()));
            i.fields.insert(QStringLiteral("workspace"), w.id);
            out.push_back(i);
        }
        for (const auto& d : w.datasets) {
            Flat i{QStringLiteral("semantic model"), d.id, d.name, w.name, {}};
            i.fields.insert(QStringLiteral("configured by"), d.configuredBy.value_or(QString()));
            i.fields.insert(QStringLiteral("refreshable"), yes(d.isRefreshable));
            i.fields.insert(QStringLiteral("row-level security"), yes(d.isEffectiveIdentityRequired));
            i.fields.insert(QStringLiteral("storage mode"), d.targetStorageMode.value_or(QString()));
            i.fields.insert(QStringLiteral("workspace"), w.id);
            out.push_back(i);
        }
        for (const auto& b : w.dashboards) {
            Flat i{QStringLiteral("dashboard"), b.id, b.displayName, w.name, {}};
            i.fields.insert(QStringLiteral("workspace"), w.id);
            out.push_back(i);
        }
        for (const auto& d : w.dataflows) {
            Flat i{QStringLiteral("dataflow"), d.id, d.name, w.name, {}};
            i.fields.insert(QStringLiteral("configured by"), d.configuredBy.value_or(QString()));
            i.fields.insert(QStringLiteral("workspace"), w.id);
            out.push_back(i);
        }
        for (const auto& u : w.users) {
            // A role assignment is identified by who holds it where.
            Flat i{QStringLiteral("member"), w.id + QLatin1Char('/') + u.identifier,
                   u.displayName.value_or(u.identifier), w.name, {}};
            i.fields.insert(QStringLiteral("role"), u.groupUserAccessRight);
            i.fields.insert(QStringLiteral("principal type"), u.principalType);
            out.push_back(i);
        }
    }
    return out;
}

QString csvField(QString v)
{
    if (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n'))) {
        v.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + v + QLatin1Char('"');
    }
    return v;
}

/// A CSV cell for files people open in spreadsheets: quoted when needed, and a text that a
/// spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe.
QString safeCsvField(QString v)
{
    if (!v.isEmpty() && (v.front() == QLatin1Char('=') || v.front() == QLatin1Char('+') ||
                         v.front() == QLatin1Char('-') || v.front() == QLatin1Char('@')))
        v.prepend(QLatin1Char('\''));
    if (v.contains(QLatin1Char('\r'))) {
        v.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + v + QLatin1Char('"');
    }
    return csvField(v);
}

QString csvLine(std::initializer_list<QString> cells)
{
    QStringList line;
    for (const QString& c : cells)
        line << safeCsvField(c);
    return line.join(QLatin1Char(',')) + QStringLiteral("\r\n");
}

} // namespace

QString changeKindName(InventoryChange::Kind kind)
{
    switch (kind) {
    case InventoryChange::Kind::Added: return QStringLiteral("added");
    case InventoryChange::Kind::Removed: return QStringLiteral("removed");
    case InventoryChange::Kind::Changed: return QStringLiteral("changed");
    }
    return {};
}

QByteArray toJson(const InventorySnapshot& snap)
{
    json workspaces = json::array();
    for (const auto& w : snap.workspaces) {
        json jw = {{"id", s(w.id)}, {"name", s(w.name)}, {"isOnDedicatedCapacity", w.isOnDedicatedCapacity},
                   {"isReadOnly", w.isReadOnly}};
        opt(jw, "capacityId", w.capacityId);
        opt(jw, "type", w.type);
        opt(jw, "state", w.state);
        opt(jw, "description", w.description);
        json reports = json::array();
        for (const auto& r : w.reports) {
            json j = {{"id", s(r.id)}, {"name", s(r.name)}};
            opt(j, "datasetId", r.datasetId);
            opt(j, "reportType", r.reportType);
            opt(j, "webUrl", r.webUrl);
            reports.push_back(j);
        }
        json datasets = json::array();
        for (const auto& d : w.datasets) {
            json j = {{"id", s(d.id)}, {"name", s(d.name)}, {"isRefreshable", d.isRefreshable},
                      {"isEffectiveIdentityRequired", d.isEffectiveIdentityRequired}};
            opt(j, "configuredBy", d.configuredBy);
            opt(j, "targetStorageMode", d.targetStorageMode);
            datasets.push_back(j);
        }
        json dashboards = json::array();
        for (const auto& b : w.dashboards)
            dashboards.push_back({{"id", s(b.id)}, {"displayName", s(b.displayName)}});
        json dataflows = json::array();
        for (const auto& d : w.dataflows) {
            json j = {{"id", s(d.id)}, {"name", s(d.name)}};
            opt(j, "configuredBy", d.configuredBy);
            dataflows.push_back(j);
        }
        json users = json::array();
        for (const auto& u : w.users) {
            json j = {{"identifier", s(u.identifier)}, {"principalType", s(u.principalType)},
                      {"groupUserAccessRight", s(u.groupUserAccessRight)}};
            opt(j, "displayName", u.displayName);
            users.push_back(j);
        }
        jw["reports"] = reports;
        jw["datasets"] = datasets;
        jw["dashboards"] = dashboards;
        jw["dataflows"] = dataflows;
        jw["users"] = users;
        workspaces.push_back(std::move(jw));
    }
    const json doc = {{"format", kFormat},
                      {"takenAt", s(snap.takenAt.toUTC().toString(Qt::ISODateWithMs))},
                      {"connection", s(snap.connection)},
                      {"scope", s(snap.scope)},
                      {"workspaces", workspaces}};
    return QByteArray::fromStdString(doc.dump(1)) + '\n';
}

Result<InventorySnapshot> fromJson(const QByteArray& data)
{
    auto fail = [](const QString& what) {
        Error e;
        e.kind = ErrorKind::Parse;
        e.sentence = QStringLiteral("The file is not a readable inventory snapshot: %1.").arg(what);
        return e;
    };
    const json doc = json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return fail(QStringLiteral("it is not JSON"));
    if (doc.value("format", std::string()) != kFormat)
        return fail(QStringLiteral("it has no \"format\": \"%1\"").arg(QLatin1String(kFormat)));
    try {
        InventorySnapshot snap;
        snap.takenAt = QDateTime::fromString(str(doc, "takenAt", QStringLiteral("$")), Qt::ISODateWithMs);
        if (!snap.takenAt.isValid())
            throw Bad{QStringLiteral("$.takenAt is not a date-time")};
        snap.connection = str(doc, "connection", QStringLiteral("$"), false);
        snap.scope = str(doc, "scope", QStringLiteral("$"), false);
        each(doc, "workspaces", QStringLiteral("$"), [&](const json& jw, const QString& p) {
            Workspace w;
            w.id = str(jw, "id", p);
            w.name = str(jw, "name", p, false);
            w.isOnDedicatedCapacity = flag(jw, "isOnDedicatedCapacity");
            w.isReadOnly = flag(jw, "isReadOnly");
            w.capacityId = ostr(jw, "capacityId", p);
            w.type = ostr(jw, "type", p);
            w.state = ostr(jw, "state", p);
            w.description = ostr(jw, "description", p);
            each(jw, "reports", p, [&](const json& j, const QString& ip) {
                Report r;
                r.id = str(j, "id", ip);
                r.name = str(j, "name", ip, false);
                r.datasetId = ostr(j, "datasetId", ip);
                r.reportType = ostr(j, "reportType", ip);
                r.webUrl = ostr(j, "webUrl", ip);
                w.reports.push_back(std::move(r));
            });
            each(jw, "datasets", p, [&](const json& j, const QString& ip) {
                Dataset d;
                d.id = str(j, "id", ip);
                d.name = str(j, "name", ip, false);
                d.isRefreshable = flag(j, "isRefreshable");
                d.isEffectiveIdentityRequired = flag(j, "isEffectiveIdentityRequired");
                d.configuredBy = ostr(j, "configuredBy", ip);
                d.targetStorageMode = ostr(j, "targetStorageMode", ip);
                w.datasets.push_back(std::move(d));
            });
            each(jw, "dashboards", p, [&](const json& j, const QString& ip) {
                Dashboard b;
                b.id = str(j, "id", ip);
                b.displayName = str(j, "displayName", ip, false);
                w.dashboards.push_back(std::move(b));
            });
            each(jw, "dataflows", p, [&](const json& j, const QString& ip) {
                Dataflow d;
                d.id = str(j, "id", ip);
                d.name = str(j, "name", ip, false);
                d.configuredBy = ostr(j, "configuredBy", ip);
                w.dataflows.push_back(std::move(d));
            });
            each(jw, "users", p, [&](const json& j, const QString& ip) {
                GroupUser u;
                u.identifier = str(j, "identifier", ip);
                u.principalType = str(j, "principalType", ip, false);
                u.groupUserAccessRight = str(j, "groupUserAccessRight", ip, false);
                u.displayName = ostr(j, "displayName", ip);
                w.users.push_back(std::move(u));
            });
            snap.workspaces.push_back(std::move(w));
        });
        return snap;
    } catch (const Bad& b) {
        return fail(b.what);
    }
}

std::vector<InventoryChange> diff(const InventorySnapshot& before, const InventorySnapshot& after)
{
    const auto a = flatten(before);
    const auto b = flatten(after);
    QHash<QString, const Flat*> old;
    for (const auto& f : a)
        old.insert(f.kind + QLatin1Char('|') + f.id, &f);
    std::vector<InventoryChange> out;
    QSet<QString> seen;
    for (const auto& f : b) {
        const QString key = f.kind + QLatin1Char('|') + f.id;
        seen.insert(key);
        const Flat* was = old.value(key);
        if (!was) {
            out.push_back({InventoryChange::Kind::Added, f.kind, f.id, f.name, f.workspace, {}});
            continue;
        }
        QStringList details;
        if (was->name != f.name)
            details << QStringLiteral("name: %1 → %2").arg(was->name, f.name);
        for (auto it = f.fields.cbegin(); it != f.fields.cend(); ++it) {
            const QString before_ = was->fields.value(it.key());
            if (before_ != it.value())
                details << QStringLiteral("%1: %2 → %3")
                               .arg(it.key(), before_.isEmpty() ? QStringLiteral("(none)") : before_,
                                    it.value().isEmpty() ? QStringLiteral("(none)") : it.value());
        }
        if (!details.isEmpty())
            out.push_back({InventoryChange::Kind::Changed, f.kind, f.id, f.name, f.workspace, details});
    }
    for (const auto& f : a)
        if (!seen.contains(f.kind + QLatin1Char('|') + f.id))
            out.push_back({InventoryChange::Kind::Removed, f.kind, f.id, f.name, f.workspace, {}});
    return out;
}

QByteArray toCsv(const InventorySnapshot& snap)
{
    QString out = QStringLiteral("kind,workspace,name,id,details\r\n");
    for (const auto& f : flatten(snap)) {
        QStringList details;
        for (auto it = f.fields.cbegin(); it != f.fields.cend(); ++it)
            if (!it.value().isEmpty() && it.key() != QLatin1String("workspace"))
                details << it.key() + QStringLiteral("=") + it.value();
        out += csvField(f.kind) + QLatin1Char(',') + csvField(f.workspace) + QLatin1Char(',') +
               csvField(f.name) + QLatin1Char(',') + csvField(f.id) + QLatin1Char(',') +
               csvField(details.join(QStringLiteral("; "))) + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

QByteArray viewToCsv(const InventoryView& view)
{
    QString out = QStringLiteral("workspace,kind,name,id,details\r\n");
    for (const auto& r : view.rows)
        out += csvLine({r.workspace, r.kind, r.name, r.id, r.details});
    return out.toUtf8();
}

QByteArray viewToJson(const InventoryView& view)
{
    json rows = json::array();
    for (const auto& r : view.rows)
        rows.push_back({{"workspace", s(r.workspace)},
                        {"kind", s(r.kind)},
                        {"name", s(r.name)},
                        {"id", s(r.id)},
                        {"details", s(r.details)}});
    const json doc = {{"format", "pbi-console-view/1"},
                      {"exportedAt", s(view.exportedAt.toUTC().toString(Qt::ISODateWithMs))},
                      {"connection", s(view.connection)},
                      {"scope", s(view.scope)},
                      {"filter", s(view.filter)},
                      {"rows", rows}};
    return QByteArray::fromStdString(doc.dump(1)) + '\n';
}

QByteArray changesToCsv(const std::vector<InventoryChange>& changes)
{
    QString out = QStringLiteral("change,kind,workspace,name,id,what changed\r\n");
    for (const auto& c : changes)
        out += csvLine({changeKindName(c.kind), c.itemKind, c.workspace, c.name, c.id,
                        c.details.join(QStringLiteral("; "))});
    return out.toUtf8();
}

} // namespace pbi::Snapshot
