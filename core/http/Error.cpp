#include "http/Error.h"

#include <QStringList>

namespace pbi {

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Network: return QStringLiteral("network");
    case ErrorKind::Timeout: return QStringLiteral("timeout");
    case ErrorKind::Http: return QStringLiteral("http");
    case ErrorKind::Service: return QStringLiteral("service");
    case ErrorKind::Auth: return QStringLiteral("auth");
    case ErrorKind::Parse: return QStringLiteral("parse");
    case ErrorKind::Cancelled: return QStringLiteral("cancelled");
    case ErrorKind::Throttled: return QStringLiteral("throttled");
    case ErrorKind::Refused: return QStringLiteral("refused");
    case ErrorKind::Keychain: return QStringLiteral("keychain");
    }
    return QStringLiteral("unknown");
}

static QString codeText(const Error& e)
{
    QStringList parts;
    if (!e.code.isEmpty())
        parts << e.code;
    if (!e.detailCode.isEmpty() && e.detailCode != e.code)
        parts << e.detailCode;
    if (e.httpStatus != 0)
        parts << QStringLiteral("HTTP %1").arg(e.httpStatus);
    return parts.join(QStringLiteral(" · "));
}

QString Error::summary() const
{
    QString text = sentence;
    const QString codes = codeText(*this);
    if (!codes.isEmpty())
        text += QStringLiteral(" [") + codes + QStringLiteral("]");
    if (!requestId.isEmpty())
        text += QStringLiteral(" (request id ") + requestId + QStringLiteral(")");
    return text;
}

QString Error::details() const
{
    QStringList lines{sentence};
    const QString codes = codeText(*this);
    if (!codes.isEmpty())
        lines << QStringLiteral("Code: ") + codes;
    if (!message.isEmpty() && !sentence.contains(message))
        lines << QStringLiteral("Service says: ") + message;
    if (!requestId.isEmpty())
        lines << QStringLiteral("Request id: ") + requestId;
    if (!hint.isEmpty())
        lines << QStringLiteral("Likely fix: ") + hint;
    return lines.join(QLatin1Char('\n'));
}

} // namespace pbi
