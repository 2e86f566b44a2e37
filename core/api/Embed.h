#pragma once

// Embed tokens: GenerateToken requests and the token the service answers
// (reference/api-digest.md §4).

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pbi {

/// Row-level security: who the report's viewer is, for the model's roles.
struct EffectiveIdentity {
    QString username;    ///< required by the service for any identity; ≤ 256 characters, no spaces
    QStringList roles;   ///< ≤ 50 roles, each ≤ 50 characters, no commas
    QStringList datasets; ///< the models the identity applies to
    QString customData;  ///< Analysis Services live connections
};

/// POST /groups/{id}/reports/{id}/GenerateToken and the dataset/dashboard/tile variants (V1).
struct GenerateTokenRequest {
    QString accessLevel = QStringLiteral("View"); ///< View | Edit | Create
    QString datasetId;                            ///< Create only
    std::optional<bool> allowSaveAs;
    std::vector<EffectiveIdentity> identities;
    std::optional<int> lifetimeInMinutes;
};

/// POST /GenerateToken (V2, several items at once).
struct GenerateTokenRequestV2 {
    struct DatasetRef {
        QString id;
        QString xmlaPermissions; ///< empty | Off | ReadOnly
    };
    struct ReportRef {
        QString id;
        bool allowEdit = false;
    };
    std::vector<DatasetRef> datasets;
    std::vector<ReportRef> reports;
    QStringList targetWorkspaces;
    std::vector<EffectiveIdentity> identities;
    std::optional<int> lifetimeInMinutes;
};

/// The service's answer: an opaque token, its id and when it expires.
struct EmbedToken {
    QString token;
    QString tokenId;
    QDateTime expiration; ///< UTC
};

} // namespace pbi
