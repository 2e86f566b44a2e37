#pragma once

// The items of a workspace, as the Power BI REST API describes them (reference/api-digest.md
// §1–§2). Required fields are plain; optional ones are std::optional (the service omits them).

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pbi {

/// A workspace role assignment ("GroupUser").
struct GroupUser {
    QString identifier;           ///< UPN, group object id or app object id
    QString principalType;        ///< "User" | "Group" | "App" | "None"
    QString groupUserAccessRight; ///< "Admin" | "Member" | "Contributor" | "Viewer" | "None"
    std::optional<QString> displayName;
    std::optional<QString> emailAddress;
    std::optional<QString> graphId;  ///< admin APIs only
    std::optional<QString> userType; ///< "Member", "Guest"…
    /// The object as the service sent it, compact (keys in the JSON library's order); for the
    /// "raw JSON" view. Empty for values not read from the wire.
    QByteArray rawJson;
};

struct Report {
    QString id;
    QString name;
    std::optional<QString> datasetId; ///< absent for paginated reports
    std::optional<QString> appId;
    std::optional<QString> description;
    std::optional<QString> reportType; ///< "PowerBIReport" | "PaginatedReport"
    std::optional<QString> format;     ///< "PBIR" | "PBIRLegacy" | "RDL"
    std::optional<QString> webUrl;
    std::optional<QString> embedUrl;
    // Admin scope only.
    std::optional<QString> workspaceId;
    std::optional<QString> createdBy;
    std::optional<QString> modifiedBy;
    std::optional<QDateTime> createdDateTime;
    std::optional<QDateTime> modifiedDateTime;
    /// The object as the service sent it, compact (keys in the JSON library's order); for the
    /// "raw JSON" view. Empty for values not read from the wire.
    QByteArray rawJson;
};

struct UpstreamDataflow {
    QString targetDataflowId;
    QString groupId;
};

/// A semantic model ("dataset" in the API).
struct Dataset {
    QString id;
    QString name;
    std::optional<QString> configuredBy;
    std::optional<QDateTime> createdDate;
    std::optional<QString> description;
    std::optional<QString> webUrl;
    std::optional<QString> contentProviderType; ///< "PbixInImportMode"…
    std::optional<QString> targetStorageMode;   ///< "Abf" | "PremiumFiles"
    bool isRefreshable = false;
    bool isEffectiveIdentityRequired = false;
    bool isEffectiveIdentityRolesRequired = false;
    bool isOnPremGatewayRequired = false;
    bool addRowsAPIEnabled = false;
    std::vector<UpstreamDataflow> upstreamDataflows;
    std::optional<QString> workspaceId; ///< admin scope only
    /// The object as the service sent it, compact (keys in the JSON library's order); for the
    /// "raw JSON" view. Empty for values not read from the wire.
    QByteArray rawJson;
};

struct Tile {
    QString id;
    std::optional<QString> title;
    std::optional<QString> reportId;
    std::optional<QString> datasetId;
    std::optional<QString> embedUrl;
    std::optional<int> rowSpan;
    std::optional<int> colSpan;
};

struct Dashboard {
    QString id;
    QString displayName;
    bool isReadOnly = false;
    std::optional<QString> appId;
    std::optional<QString> webUrl;
    std::optional<QString> embedUrl;
    std::optional<QString> workspaceId; ///< admin scope only
    std::vector<Tile> tiles;            ///< admin scope with $expand=tiles
    /// The object as the service sent it, compact (keys in the JSON library's order); for the
    /// "raw JSON" view. Empty for values not read from the wire.
    QByteArray rawJson;
};

struct Dataflow {
    QString id; ///< "objectId" on the wire
    QString name;
    std::optional<QString> description;
    std::optional<QString> modelUrl;
    std::optional<QString> configuredBy;
    std::optional<QString> workspaceId; ///< admin scope only
    /// The object as the service sent it, compact (keys in the JSON library's order); for the
    /// "raw JSON" view. Empty for values not read from the wire.
    QByteArray rawJson;
};

/// Excel workbooks of a workspace (admin $expand=workbooks).
struct Workbook {
    QString name;
    std::optional<QString> datasetId;
};

/// Where a semantic model gets its data.
struct Datasource {
    std::optional<QString> datasourceType; ///< "Sql", "AnalysisServices", "File", "OData"…
    struct ConnectionDetails {
        std::optional<QString> server;
        std::optional<QString> database;
        std::optional<QString> url;
        std::optional<QString> path;
        std::optional<QString> kind;
        std::optional<QString> account;
        std::optional<QString> domain;
        std::optional<QString> emailAddress;
        std::optional<QString> loginServer;
        std::optional<QString> classInfo;
    } connectionDetails;
    std::optional<QString> datasourceId; ///< absent when not bound to a gateway
    std::optional<QString> gatewayId;
    std::optional<QString> name;             ///< deprecated
    std::optional<QString> connectionString; ///< deprecated
};

/// A Power Query parameter of a semantic model ("MashupParameter").
struct MashupParameter {
    QString name;
    QString type; ///< "Text" | "DateTime" | "Logical" | "Number" | "Any"…
    bool isRequired = false;
    std::optional<QString> currentValue;
    QStringList suggestedValues;
};

} // namespace pbi
