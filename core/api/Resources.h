#pragma once

// Tenant-level resources: capacities, gateways, apps and deployment pipelines
// (reference/api-digest.md §2).

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pbi {

struct Capacity {
    QString id;
    QString displayName;
    QStringList admins;
    QString sku;                     ///< "A1", "P1", "F64", "EM1"…
    QString state;                   ///< "Active" | "Suspended" | …
    QString capacityUserAccessRight; ///< "None" | "Assign" | "Admin"
    std::optional<QString> region;
};

struct Gateway {
    QString id;
    QString name;
    std::optional<QString> type;              ///< "Resource"…
    std::optional<QString> gatewayAnnotation; ///< a JSON string
    std::optional<QString> gatewayStatus;
    std::optional<QString> publicKeyExponent;
    std::optional<QString> publicKeyModulus;
};

/// A published app (not available to service principals at user scope).
struct App {
    QString id;
    QString name;
    std::optional<QString> description;
    std::optional<QDateTime> lastUpdate;
    std::optional<QString> publishedBy;
    std::optional<QString> workspaceId; ///< admin scope only
};

struct PipelineStage {
    int order = 0; ///< 0 development, 1 test, 2 production
    std::optional<QString> workspaceId;
    std::optional<QString> workspaceName;
};

/// A deployment pipeline.
struct Pipeline {
    QString id;
    QString displayName;
    std::optional<QString> description;
    std::vector<PipelineStage> stages; ///< with $expand=stages, or from .../stages
};

} // namespace pbi
