#pragma once

#include "api/PowerBiClient.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <optional>
#include <vector>

namespace pbi::admin {
class TenantScanner;
}

namespace pbi::refresh {

/// A table of a semantic model as far as the service has shown it, with the partitions seen.
struct KnownTable {
    QString name;
    QStringList partitions; ///< empty when no source listed partitions
    bool hidden = false;    ///< the scanner says the table is hidden
};

/// The tables and partitions known for one model, and where they were learnt.
struct ModelObjects {
    std::vector<KnownTable> tables;
    /// Newest enhanced refresh whose execution details named objects (when that was a source).
    std::optional<QDateTime> fromRefreshAt;
    bool fromScanner = false;

    int partitionCount() const;
    const KnownTable* table(const QString& name) const;
    /// Adds a table or one of its partitions; names compare case-insensitively, as the
    /// service's model objects do.
    void add(const QString& table, const QString& partition = {}, bool hidden = false);
};

/// Finds the tables and partitions an enhanced refresh may name. The REST API has no call that
/// lists a model's tables for a member (executeQueries refuses INFO functions and DMVs), so the
/// finder reads what the service does show:
/// - the execution details of the model's recent enhanced refreshes (each names the partitions
///   it processed; a whole-model one names them all) — any identity that can read the history;
/// - the admin scanner with datasetSchema (tables only, no partitions) — admins, with the
///   "detailed metadata" tenant setting on. Opt-in: it costs scanner quota.
/// Each source reports on its own; a refusal by one leaves the other's findings in place.
class ModelObjectFinder : public QObject {
    Q_OBJECT
public:
    struct Options {
        int historyTop = 30;        ///< history entries read to find enhanced refreshes
        int executionsToRead = 3;   ///< execution details fetched, newest first
    };

    ModelObjectFinder(PowerBiClient* client, QString groupId, QString datasetId, QObject* parent = nullptr);
    ~ModelObjectFinder() override;

    void setOptions(const Options& options) { m_options = options; }

    /// Reads the recent enhanced refreshes' execution details.
    void findFromRefreshes();
    /// Scans the model's workspace with the admin scanner (datasetSchema on).
    void findWithScanner();
    void cancel();

    bool isBusy() const { return m_refreshesBusy || m_scannerBusy; }
    bool isScanning() const { return m_scannerBusy; }
    const ModelObjects& objects() const { return m_objects; }
    /// How many enhanced refreshes were read (0 when the history had none).
    int enhancedRefreshesRead() const { return m_executionsRead; }
    /// Tables of this model in the last scan (0 also when the tenant setting for detailed
    /// metadata is off: the scanner then leaves tables out).
    int scannedTables() const { return m_scannedTables; }

Q_SIGNALS:
    /// The refresh-history source is done (objects() may have grown).
    void refreshesSearched();
    void refreshesFailed(const pbi::Error& error);
    /// The scanner source is done.
    void scannerSearched();
    void scannerFailed(const pbi::Error& error);

private:
    void readNextExecution();

    PowerBiClient* m_client;
    QString m_groupId;
    QString m_datasetId;
    Options m_options;
    ModelObjects m_objects;
    QStringList m_pendingExecutions; ///< requestIds still to read, newest first
    std::vector<std::optional<QDateTime>> m_pendingStarts;
    int m_executionsRead = 0;
    int m_scannedTables = 0;
    bool m_refreshesBusy = false;
    bool m_scannerBusy = false;
    quint64 m_generation = 0;
    QPointer<admin::TenantScanner> m_scanner;
};

} // namespace pbi::refresh
