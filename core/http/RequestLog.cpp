#include "http/RequestLog.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace pbi {

namespace {

constexpr qsizetype kMaxLoggedBody = 64 * 1024;

bool isSecretHeader(const QByteArray& name)
{
    static const QList<QByteArray> names{"authorization", "proxy-authorization", "cookie",
                                         "set-cookie", "x-ms-token", "x-powerbi-embed-token"};
    return names.contains(name.toLower());
}

bool isSecretField(const QString& name)
{
    static const QStringList names{
        QStringLiteral("client_secret"),  QStringLiteral("client_assertion"),
        QStringLiteral("password"),       QStringLiteral("refresh_token"),
        QStringLiteral("access_token"),   QStringLiteral("id_token"),
        QStringLiteral("code"),           QStringLiteral("device_code"),
        QStringLiteral("code_verifier"),  QStringLiteral("assertion"),
        QStringLiteral("token")};
    return names.contains(name, Qt::CaseInsensitive);
}

QString shellQuote(const QString& s)
{
    QString out = s;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

} // namespace

namespace redact {

HeaderList headers(const HeaderList& in)
{
    HeaderList out;
    out.reserve(in.size());
    for (const auto& [name, value] : in) {
        if (isSecretHeader(name)) {
            // Keep the scheme so a reader still sees "Bearer" vs "Basic".
            const qsizetype space = value.indexOf(' ');
            const QByteArray scheme = space > 0 ? value.left(space + 1) : QByteArray();
            out.append({name, scheme + kMask});
        } else {
            out.append({name, value});
        }
    }
    return out;
}

QByteArray body(const QByteArray& in, const QByteArray& contentType)
{
    QByteArray b = in.left(kMaxLoggedBody);
    if (contentType.contains("x-www-form-urlencoded")) {
        QUrlQuery q(QString::fromUtf8(b));
        auto items = q.queryItems(QUrl::FullyEncoded);
        for (auto& [k, v] : items) {
            if (isSecretField(QUrl::fromPercentEncoding(k.toUtf8())))
                v = QString::fromLatin1(kMask);
        }
        QUrlQuery outQuery;
        outQuery.setQueryItems(items);
        return outQuery.toString(QUrl::FullyEncoded).toUtf8();
    }
    // JSON or anything else: mask the value of any token-like field, and any bare JWT.
    static const QRegularExpression jsonField(QStringLiteral(
        R"re("(access_token|refresh_token|id_token|device_code|token|client_secret|password|accessToken|identityBlob)"\s*:\s*"[^"]*")re"));
    static const QRegularExpression jwt(
        QStringLiteral(R"(eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)"));
    QString text = QString::fromUtf8(b);
    text.replace(jsonField, QStringLiteral("\"\\1\":\"") + QString::fromLatin1(kMask) +
                                QStringLiteral("\""));
    text.replace(jwt, QString::fromLatin1(kMask));
    if (in.size() > kMaxLoggedBody)
        text += QStringLiteral("\n… (%1 more bytes)").arg(in.size() - kMaxLoggedBody);
    return text.toUtf8();
}

QUrl url(const QUrl& in)
{
    if (!in.hasQuery())
        return in;
    QUrl out = in;
    QUrlQuery q(in);
    auto items = q.queryItems(QUrl::FullyEncoded);
    for (auto& [k, v] : items) {
        if (isSecretField(k) || k.compare(QStringLiteral("sig"), Qt::CaseInsensitive) == 0)
            v = QString::fromLatin1(kMask);
    }
    QUrlQuery outQuery;
    outQuery.setQueryItems(items);
    out.setQuery(outQuery);
    return out;
}

} // namespace redact

QString RequestLogEntry::toCurl(Secrets secrets) const
{
    const bool show = secrets == Secrets::Show && unredacted;
    const QUrl& u = show ? unredacted->url : url;
    const HeaderList& headers = show ? unredacted->headers : requestHeaders;
    const QByteArray& body = show ? unredacted->body : requestBody;
    QStringList parts{QStringLiteral("curl")};
    if (method != "GET")
        parts << QStringLiteral("-X") << QString::fromLatin1(method);
    parts << shellQuote(u.toString(QUrl::FullyEncoded));
    for (const auto& [name, value] : headers)
        parts << QStringLiteral("-H")
              << shellQuote(QString::fromLatin1(name) + QStringLiteral(": ") +
                            QString::fromUtf8(value));
    if (!body.isEmpty())
        parts << QStringLiteral("--data-raw") << shellQuote(QString::fromUtf8(body));
    return parts.join(QLatin1Char(' '));
}

RequestLog::RequestLog(QObject* parent, std::size_t capacity)
    : QObject(parent)
    , m_capacity(capacity)
{
}

void RequestLog::setSecretRetention(std::size_t count)
{
    m_secretRetention = count;
    for (std::size_t i = 0; i + count < m_entries.size(); ++i)
        m_entries[i].unredacted.reset();
}

void RequestLog::forgetSecrets()
{
    for (auto& e : m_entries)
        e.unredacted.reset();
}

void RequestLog::add(RequestLogEntry entry)
{
    if (entry.id == 0)
        entry.id = ++m_lastId;
    m_entries.push_back(std::move(entry));
    while (m_entries.size() > m_capacity)
        m_entries.pop_front();
    // Secrets live no longer than they must: only the newest few entries keep them.
    if (m_entries.size() > m_secretRetention)
        m_entries[m_entries.size() - m_secretRetention - 1].unredacted.reset();
    Q_EMIT entryAdded(m_entries.back());
}

} // namespace pbi
