#pragma once

#include "api/Refresh.h"
#include "refresh/ModelObjects.h"

#include <QDialog>

#include <vector>

class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace pbi::ui {

/// Picks the tables and partitions of an enhanced refresh from those the service has shown
/// (ModelObjectFinder), as a checkable tree with a filter. Ticking a table sends the whole
/// table (also partitions not listed); ticking partitions sends just those, even all of them.
/// Rows the user typed that the service never named stay in the tree, marked, so picking never
/// drops them.
class ModelObjectPicker : public QDialog {
    Q_OBJECT
public:
    ModelObjectPicker(const pbi::refresh::ModelObjects& known, const std::vector<pbi::RefreshObject>& current,
                      QWidget* parent = nullptr);

    /// What is checked now, in tree order.
    std::vector<pbi::RefreshObject> selection() const;
    QTreeWidget* tree() const { return m_tree; }
    QLineEdit* filterEdit() const { return m_filter; }

private:
    QTreeWidgetItem* tableItem(const QString& name, bool known, bool hidden);
    void applyFilter(const QString& text);
    void updateCount();

    QLineEdit* m_filter;
    QTreeWidget* m_tree;
    QLabel* m_count;
};

} // namespace pbi::ui
