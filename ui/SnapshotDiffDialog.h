#pragma once

#include "inventory/Snapshot.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace pbi::ui {

class DialogSeam;
class SnapshotDiffModel;
class SnapshotDiffProxy;

/// What changed between two inventory snapshots: a table of the added, removed and changed
/// workspaces, items and role assignments with what changed in each, filterable by change,
/// kind and text, and exportable as CSV (the rows shown).
class SnapshotDiffDialog : public QDialog {
    Q_OBJECT
public:
    /// `dialogs` answers the export's file question (not owned; null: the real dialog).
    SnapshotDiffDialog(const pbi::InventorySnapshot& before, const QString& beforeName,
                       const pbi::InventorySnapshot& after, const QString& afterName,
                       DialogSeam* dialogs, QWidget* parent = nullptr);
    ~SnapshotDiffDialog() override;

    /// Writes the changes shown (filtered, in view order) to `path` as CSV.
    bool exportCsv(const QString& path, QString* error = nullptr) const;

    SnapshotDiffModel* model() const { return m_model; }
    SnapshotDiffProxy* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    QString summaryText() const;

private:
    void applyFilter();
    void showCurrent();

    DialogSeam* m_dialogs;
    std::unique_ptr<DialogSeam> m_ownDialogs;
    SnapshotDiffModel* m_model;
    SnapshotDiffProxy* m_proxy;
    QLabel* m_sources;
    QLabel* m_summary;
    QLineEdit* m_text;
    QComboBox* m_change;
    QComboBox* m_kind;
    QTableView* m_table;
    QPlainTextEdit* m_details;
    QLabel* m_shown;
    QPushButton* m_export;
};

} // namespace pbi::ui
