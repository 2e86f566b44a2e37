#include "Tenant.h"

namespace pbi::sandbox {

int roleRank(const std::string& accessRight) {
    if (accessRight == "Admin")
        return 4;
    if (accessRight == "Member")
        return 3;
    if (accessRight == "Contributor")
        return 2;
    if (accessRight == "Viewer")
        return 1;
    return 0;
}

bool hasRefreshPolicy(const Dataset& d, const Table& table) {
    if (table.partitions.size() < 2)
        return false;
    for (const auto& p : d.parameters)
        if (p.name == "RangeStart")
            return true;
    return false;
}

const AppRegistration* Tenant::findApp(const std::string& clientId) const {
    for (const auto& a : apps)
        if (a.clientId == clientId)
            return &a;
    return nullptr;
}

const Capacity* Tenant::findCapacity(const std::string& capacityId) const {
    for (const auto& c : capacities)
        if (c.id == capacityId)
            return &c;
    return nullptr;
}

const User* Tenant::findUser(const std::string& objectId) const {
    for (const auto& u : users)
        if (u.objectId == objectId)
            return &u;
    return nullptr;
}

const AppRegistration* Tenant::findServicePrincipal(const std::string& objectId) const {
    for (const auto& a : apps)
        if (a.servicePrincipalId == objectId)
            return &a;
    return nullptr;
}

void Tenant::reindex() {
    m_workspaceIndex.clear();
    m_datasetIndex.clear();
    m_reportIndex.clear();
    m_dashboardIndex.clear();
    m_dataflowIndex.clear();
    m_groupsOf.clear();
    m_workspaceIndex.reserve(workspaces.size());
    for (std::size_t i = 0; i < workspaces.size(); ++i) {
        const Workspace& w = workspaces[i];
        m_workspaceIndex.emplace(w.id, i);
        const auto wi = std::uint32_t(i);
        for (std::size_t j = 0; j < w.datasets.size(); ++j)
            m_datasetIndex.emplace(w.datasets[j].id, ItemRef{wi, std::uint32_t(j)});
        for (std::size_t j = 0; j < w.reports.size(); ++j)
            m_reportIndex.emplace(w.reports[j].id, ItemRef{wi, std::uint32_t(j)});
        for (std::size_t j = 0; j < w.dashboards.size(); ++j)
            m_dashboardIndex.emplace(w.dashboards[j].id, ItemRef{wi, std::uint32_t(j)});
        for (std::size_t j = 0; j < w.dataflows.size(); ++j)
            m_dataflowIndex.emplace(w.dataflows[j].objectId, ItemRef{wi, std::uint32_t(j)});
    }
    for (const auto& g : groups)
        for (const auto& m : g.memberIds)
            m_groupsOf[m].push_back(g.id);
}

Workspace* Tenant::findWorkspace(const std::string& id) {
    const auto it = m_workspaceIndex.find(id);
    return it == m_workspaceIndex.end() ? nullptr : &workspaces[it->second];
}

const Workspace* Tenant::findWorkspace(const std::string& id) const {
    const auto it = m_workspaceIndex.find(id);
    return it == m_workspaceIndex.end() ? nullptr : &workspaces[it->second];
}

namespace {
std::optional<ItemRef> lookup(const std::unordered_map<std::string, ItemRef>& index,
                              const std::string& id) {
    const auto it = index.find(id);
    if (it == index.end())
        return std::nullopt;
    return it->second;
}
} // namespace

std::optional<ItemRef> Tenant::findDataset(const std::string& id) const {
    return lookup(m_datasetIndex, id);
}

std::optional<ItemRef> Tenant::findReport(const std::string& id) const {
    return lookup(m_reportIndex, id);
}

std::optional<ItemRef> Tenant::findDashboard(const std::string& id) const {
    return lookup(m_dashboardIndex, id);
}

std::optional<ItemRef> Tenant::findDataflow(const std::string& id) const {
    return lookup(m_dataflowIndex, id);
}

bool Tenant::isInGroup(const std::string& principalId, const std::string& groupId) const {
    const auto it = m_groupsOf.find(principalId);
    if (it == m_groupsOf.end())
        return false;
    for (const auto& g : it->second)
        if (g == groupId)
            return true;
    return false;
}

const std::string* Tenant::accessRight(const Workspace& w, const std::string& principalId) const {
    const auto groupsIt = m_groupsOf.find(principalId);
    const std::string* best = nullptr;
    for (const auto& m : w.members) {
        bool applies = m.principalId == principalId;
        if (!applies && m.principalType == "Group" && groupsIt != m_groupsOf.end())
            for (const auto& g : groupsIt->second)
                applies = applies || g == m.principalId;
        if (applies && (!best || roleRank(m.accessRight) > roleRank(*best)))
            best = &m.accessRight;
    }
    return best;
}

} // namespace pbi::sandbox
