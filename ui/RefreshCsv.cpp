#include "RefreshCsv.h"

#include <QAbstractItemModel>
#include <QStringList>

namespace pbi::ui {

namespace {

QString cell(QString text)
{
    bool isNumber = false;
    text.toDouble(&isNumber);
    if (!text.isEmpty() && !isNumber &&
        (text.front() == QLatin1Char('=') || text.front() == QLatin1Char('+') ||
         text.front() == QLatin1Char('-') || text.front() == QLatin1Char('@')))
        text.prepend(QLatin1Char('\''));
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
        text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))) {
        text.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

} // namespace

QByteArray tableToCsv(const QAbstractItemModel& model, int role, const QList<int>& columns)
{
    QList<int> cols = columns;
    if (cols.isEmpty())
        for (int c = 0; c < model.columnCount(); ++c)
            cols << c;
    QString out;
    QStringList line;
    for (int c : cols)
        line << cell(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
    out += line.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    for (int r = 0; r < model.rowCount(); ++r) {
        line.clear();
        for (int c : cols) {
            const QModelIndex index = model.index(r, c);
            QVariant v = index.data(role);
            if (!v.isValid())
                v = index.data(Qt::DisplayRole);
            line << cell(v.toString());
        }
        out += line.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

} // namespace pbi::ui
