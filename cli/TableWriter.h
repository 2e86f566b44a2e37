#pragma once

#include <QList>
#include <QString>
#include <QStringList>

class QTextStream;

namespace pbi::cli {

/// A plain-text table with aligned columns, as a terminal user reads it.
class TableWriter {
public:
    explicit TableWriter(QStringList headers);
    void addRow(QStringList cells);
    /// Writes header, a rule and the rows; columns wider than `maxWidth` are cut with "…".
    void write(QTextStream& out, int maxWidth = 60) const;
    int rowCount() const { return int(m_rows.size()); }

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
};

} // namespace pbi::cli
