#pragma once

// Admin scanner and activity-event values (reference/api-digest.md §7).

#include "api/Workspace.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>
#include <vector>

namespace pbi {

/// POST /admin/workspaces/getInfo and GET …/scanStatus/{id}.
struct ScanRequest {
    QString id;
    std::optional<QDateTime> createdDateTime;
    QString status; ///< NotStarted | Running | Succeeded | Failed
    std::optional<QString> errorCode;
    std::optional<QString> errorMessage;
};

struct ScanOptions {
    bool lineage = true;
    bool datasourceDetails = true;
    bool datasetSchema = false;      ///< needs the "detailed metadata" tenant setting
    bool datasetExpressions = false; ///< needs the "DAX and mashup expressions" tenant setting
    bool getArtifactUsers = false;
};

/// A table of a semantic model, as the scanner reports it with datasetSchema.
struct ScannedTable {
    QString datasetId;
    QString name;
    bool isHidden = false;
    int columnCount = 0;
    int measureCount = 0;
};

/// GET /admin/workspaces/scanResult/{id}: workspaces with their items (in Workspace's item
/// lists), the tables of scanned models, and the data source instances.
struct ScanResult {
    std::vector<Workspace> workspaces;
    std::vector<ScannedTable> tables;
    int datasourceInstanceCount = 0;
    int misconfiguredDatasourceInstanceCount = 0;
};

/// One audit record. The common fields are typed; every other scalar field is kept in `other`
/// (the service adds fields per activity).
struct ActivityEvent {
    QString id;
    std::optional<QDateTime> creationTime;
    QString activity;
    QString operation;
    QString userId;
    QString userType;
    QString workspaceId;
    QString workspaceName;
    QString itemName; ///< ArtifactName, else ReportName / DatasetName
    QString itemKind; ///< ArtifactKind
    std::optional<bool> isSuccess;
    QVariantMap other;
};

/// One page of GET /admin/activityevents.
struct ActivityPage {
    std::vector<ActivityEvent> events;
    QString continuationToken; ///< empty: no more pages
    QString continuationUri;
    std::optional<bool> lastResultSet;
};

} // namespace pbi
