#include "TableWriter.h"

#include <QTextStream>

#include <algorithm>

namespace pbi::cli {

TableWriter::TableWriter(QStringList headers) : m_headers(std::move(headers)) {}

void TableWriter::addRow(QStringList cells)
{
    while (cells.size() < m_headers.size())
        cells << QString();
    for (QString& c : cells)
        c.replace(QLatin1Char('\n'), QLatin1Char(' '));
    m_rows.append(std::move(cells));
}

void TableWriter::write(QTextStream& out, int maxWidth) const
{
    QList<int> widths;
    for (const QString& h : m_headers)
        widths << int(h.size());
    for (const auto& row : m_rows)
        for (int i = 0; i < m_headers.size(); ++i)
            widths[i] = std::min(maxWidth, std::max(widths[i], int(row[i].size())));
    auto line = [&](const QStringList& cells) {
        QString text;
        for (int i = 0; i < m_headers.size(); ++i) {
            QString cell = cells[i];
            if (cell.size() > widths[i])
                cell = cell.left(widths[i] - 1) + QChar(0x2026);
            const bool last = i == m_headers.size() - 1;
            text += last ? cell : cell.leftJustified(widths[i]) + QStringLiteral("  ");
        }
        out << text << '\n';
    };
    line(m_headers);
    QStringList rule;
    for (int w : widths)
        rule << QString(w, QLatin1Char('-'));
    line(rule);
    for (const auto& row : m_rows)
        line(row);
}

} // namespace pbi::cli
