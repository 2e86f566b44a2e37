#pragma once

#include "WorkspaceTreeModel.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace pbi::ui {

/// The details of the item selected in the explorer: its properties as the service returns
/// them, its error if loading it failed, the loaded items it is related to (a model's reports,
/// a report's model, a workspace's members with their roles…), and copy / open actions.
class DetailsPane : public QWidget {
    Q_OBJECT
public:
    explicit DetailsPane(QWidget* parent = nullptr);

    /// Shows the item at `index` of `model` (an invalid index clears the pane).
    void showItem(const WorkspaceTreeModel* model, const QModelIndex& index);
    /// The (name, value) rows shown now, for tests and export.
    QList<QPair<QString, QString>> properties() const;
    /// The related items shown now as (name, relation) rows, for tests.
    QList<QPair<QString, QString>> related() const;

Q_SIGNALS:
    /// A related item was activated (double-click or Enter): the model's index of it.
    void relatedActivated(const QModelIndex& sourceIndex);

private:
    void fillRelated(const WorkspaceTreeModel* model, const QModelIndex& index);

    QLabel* m_title;
    QLabel* m_error;
    QTreeWidget* m_table;
    QLabel* m_relatedTitle;
    QTreeWidget* m_related;
    QPushButton* m_copyId;
    QPushButton* m_copyName;
    QPushButton* m_open;
    QString m_id;
    QString m_name;
    QString m_webUrl;
};

/// The properties of a value as (label, text) rows; optional fields the service omitted are
/// left out rather than shown empty.
QList<QPair<QString, QString>> propertiesOf(const WorkspaceTreeModel::Payload& payload);

} // namespace pbi::ui
