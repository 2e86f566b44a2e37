#pragma once

#include "api/Items.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace pbi {

/// A workspace ("group" in the API), at member or admin scope.
struct Workspace {
    QString id;
    QString name;
    bool isReadOnly = false;
    bool isOnDedicatedCapacity = false;
    std::optional<QString> capacityId;
    std::optional<QString> dataflowStorageId;
    std::optional<QString> defaultDatasetStorageFormat; ///< "Small" | "Large"
    // Admin scope only.
    std::optional<QString> type;  ///< "Workspace", "PersonalGroup", …
    std::optional<QString> state; ///< "Active", "Deleted", …
    std::optional<QString> description;
    std::optional<QString> pipelineId;
    std::optional<bool> hasWorkspaceLevelSettings;
    /// The workspace's own fields as the service sent them, compact, without the expanded item
    /// lists (they are in the vectors below, each item with its own rawJson). Empty for values
    /// not read from the wire.
    QByteArray rawJson;
    // Admin $expand=users,reports,dashboards,datasets,dataflows,workbooks (empty otherwise).
    std::vector<GroupUser> users;
    std::vector<Report> reports;
    std::vector<Dashboard> dashboards;
    std::vector<Dataset> datasets;
    std::vector<Dataflow> dataflows;
    std::vector<Workbook> workbooks;
};

} // namespace pbi
