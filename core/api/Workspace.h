#pragma once

#include <QString>

#include <optional>

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
};

} // namespace pbi
