#pragma once

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace pbi {
class RequestLog;
}

namespace pbi::ui {

class RequestLogModel;

/// The request log dock: every call in a table, filterable; the selected call's headers and
/// bodies (redacted) below, and "Copy as cURL".
class RequestLogView : public QWidget {
    Q_OBJECT
public:
    explicit RequestLogView(QWidget* parent = nullptr);

    void setLog(pbi::RequestLog* log);
    RequestLogModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    /// The selected call as cURL (redacted unless "with secrets" is ticked and the log kept them).
    QString selectedCurl() const;

private:
    void showSelected();

    RequestLogModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QTableView* m_table;
    QPlainTextEdit* m_details;
    QPushButton* m_copyCurl;
    QCheckBox* m_withSecrets;
};

} // namespace pbi::ui
