#pragma once

#include "WorkspaceTreeModel.h"

#include "http/Error.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTimer;
class QTreeWidget;

namespace pbi {
class PowerBiClient;
}

namespace pbi::ui {

/// The details of the item selected in the explorer: its properties as the service returns
/// them, its error if loading it failed, the loaded items it is related to (a model's reports,
/// a report's model, a workspace's members with their roles…), a semantic model's data sources
/// and parameters (read from the service when the model is selected), the item's JSON as the
/// service sent it, and copy / open actions.
class DetailsPane : public QWidget {
    Q_OBJECT
public:
    /// The pane's tabs, in their order.
    enum class Section { Properties, DataSources, Parameters, Json };
    /// Where one of the lists read on selection stands.
    enum class LoadState { None, Loading, Loaded, Failed, Unavailable };

    explicit DetailsPane(QWidget* parent = nullptr);
    ~DetailsPane() override;

    /// The client to read data sources and parameters with, and whether the explorer shows the
    /// tenant inventory (admin APIs) or the identity's own workspaces. Null: nothing is read.
    void setClient(pbi::PowerBiClient* client, bool adminScope);
    /// How long a selection must stay before its data sources are read (keyboard users move
    /// through many items; only the one they stop on costs calls). Tests use 0.
    void setLoadDelay(int ms);

    /// Shows the item at `index` of `model` (an invalid index clears the pane). Showing the item
    /// already shown again (its folder reloaded…) keeps what was read for it.
    void showItem(const WorkspaceTreeModel* model, const QModelIndex& index);
    /// The (name, value) rows shown now, for tests and export.
    QList<QPair<QString, QString>> properties() const;
    /// The related items shown now as (name, relation) rows, for tests.
    QList<QPair<QString, QString>> related() const;
    /// The data source rows shown now (type, source, database, gateway id, data source id).
    QList<QStringList> datasources() const;
    /// The parameter rows shown now (name, type, current value, required, suggested values).
    QList<QStringList> parameters() const;
    LoadState datasourcesState() const { return m_sources.state; }
    LoadState parametersState() const { return m_parameters.state; }
    /// What the data sources / parameters tab says above its table (loading, the error…).
    QString datasourcesStatus() const;
    QString parametersStatus() const;
    /// The JSON shown now, as the view shows it (indented); empty when there is none.
    QString json() const;

    Section currentSection() const;
    void setCurrentSection(Section section);

Q_SIGNALS:
    /// A related item was activated (double-click or Enter): the model's index of it.
    void relatedActivated(const QModelIndex& sourceIndex);
    /// The data sources or the parameters of the shown item arrived (or failed).
    void extrasLoaded();

private:
    struct Part {
        LoadState state = LoadState::None;
        std::optional<pbi::Error> error;
        quint64 call = 0; ///< the transport's id while in flight
    };
    void fillRelated(const WorkspaceTreeModel* model, const QModelIndex& index);
    void fillJson(const WorkspaceTreeModel::Payload* payload, WorkspaceTreeModel::NodeKind kind);
    void resetExtras();
    void startExtras();
    void loadExtras();
    void showPart(const Part& part, QLabel* status, QTreeWidget* table, int tab, const QString& name,
                  const QString& noun);
    void cancelCalls();

    QLabel* m_title;
    QLabel* m_error;
    QTabWidget* m_tabs;
    QTreeWidget* m_table;
    QLabel* m_relatedTitle;
    QTreeWidget* m_related;
    QLabel* m_sourcesStatus;
    QTreeWidget* m_sourcesTable;
    QLabel* m_parametersStatus;
    QTreeWidget* m_parametersTable;
    QLabel* m_jsonNote;
    QPlainTextEdit* m_json;
    QPushButton* m_copyJson;
    QPushButton* m_copyId;
    QPushButton* m_copyName;
    QPushButton* m_open;
    QTimer* m_loadTimer;
    QString m_id;
    QString m_name;
    QString m_webUrl;

    QPointer<pbi::PowerBiClient> m_client;
    bool m_adminScope = false;
    /// What the extras belong to: kind, workspace id and item id ("" when nothing is shown).
    QString m_key;
    WorkspaceTreeModel::NodeKind m_kind = WorkspaceTreeModel::NodeKind::Workspace;
    QString m_workspaceId;
    quint64 m_generation = 0; ///< bumps per shown item: answers for an earlier one are dropped
    Part m_sources;
    Part m_parameters;
};

/// The properties of a value as (label, text) rows; optional fields the service omitted are
/// left out rather than shown empty.
QList<QPair<QString, QString>> propertiesOf(const WorkspaceTreeModel::Payload& payload);

/// A data source as the table shows it: type, source (server, URL, path… from its connection
/// details), database, gateway id, data source id.
QStringList datasourceRow(const pbi::Datasource& source);
/// A parameter as the table shows it: name, type, current value, required, suggested values.
QStringList parameterRow(const pbi::MashupParameter& parameter);

} // namespace pbi::ui
