#include "auth/LoopbackReceiver.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace pbi {

namespace {
// A browser's GET with cookies fits easily; anything bigger is not our redirect.
constexpr qsizetype kMaxRequestBytes = 32 * 1024;
} // namespace

LoopbackReceiver::LoopbackReceiver(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_server6(new QTcpServer(this)) {
    for (QTcpServer* server : {m_server, m_server6}) {
        connect(server, &QTcpServer::newConnection, this, [this, server] {
            while (QTcpSocket* s = server->nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onReadyRead(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
}

LoopbackReceiver::~LoopbackReceiver() = default;

bool LoopbackReceiver::listen(QString* error) {
    if (m_server->isListening())
        return true;
    // Loopback only: nothing outside this machine may reach the listener.
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        if (error)
            *error = m_server->errorString();
        return false;
    }
    // "localhost" may resolve to ::1 first; without IPv6 (or with the port taken there) the
    // browser falls back to 127.0.0.1, so a failure here is not an error.
    m_server6->listen(QHostAddress::LocalHostIPv6, m_server->serverPort());
    return true;
}

void LoopbackReceiver::close() {
    m_server->close();
    m_server6->close();
}

bool LoopbackReceiver::isListening() const {
    return m_server->isListening();
}

QUrl LoopbackReceiver::redirectUri() const {
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(QStringLiteral("localhost"));
    u.setPort(m_server->serverPort());
    return u;
}

void LoopbackReceiver::setAnswerPage(bool ok, const QString& problem) {
    m_pageOk = ok;
    m_pageProblem = problem;
}

void LoopbackReceiver::answer(QTcpSocket* socket, int status, const QByteArray& reason,
                              const QByteArray& html) {
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    out += "Content-Type: text/html; charset=utf-8\r\n";
    out += "Content-Length: " + QByteArray::number(html.size()) + "\r\n";
    out += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    out += html;
    socket->write(out);
    socket->disconnectFromHost();
}

void LoopbackReceiver::onReadyRead(QTcpSocket* socket) {
    QByteArray buffer = socket->property("pbiBuffer").toByteArray() + socket->readAll();
    if (buffer.size() > kMaxRequestBytes) {
        answer(socket, 431, "Request Header Fields Too Large", {});
        return;
    }
    if (!buffer.contains("\r\n\r\n")) {
        socket->setProperty("pbiBuffer", buffer);
        return;
    }
    socket->setProperty("pbiBuffer", QByteArray());
    const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
    if (requestLine.size() != 3 || requestLine[0] != "GET") {
        answer(socket, 405, "Method Not Allowed", {});
        return;
    }
    const QUrl target = QUrl::fromEncoded("http://localhost" + requestLine[1]);
    if (!target.isValid() || (target.path() != QLatin1String("/") && !target.path().isEmpty())) {
        answer(socket, 404, "Not Found", {});
        return;
    }
    const QUrlQuery query(target);
    if (!query.hasQueryItem(QStringLiteral("code")) &&
        !query.hasQueryItem(QStringLiteral("error"))) {
        answer(socket, 400, "Bad Request", {});
        return;
    }
    m_pageOk = true;
    m_pageProblem.clear();
    Q_EMIT redirectReceived(query);
    QString body;
    if (m_pageOk) {
        body = QStringLiteral("<h1>Signed in</h1><p>PBI Console has your sign-in. You can close "
                              "this tab and return to the application.</p>");
    } else {
        body = QStringLiteral("<h1>Sign-in failed</h1><p>%1</p><p>Return to PBI Console for "
                              "details.</p>")
                   .arg(m_pageProblem.toHtmlEscaped());
    }
    const QByteArray html = QByteArrayLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                                              "<title>PBI Console</title></head><body>") +
                            body.toUtf8() + QByteArrayLiteral("</body></html>");
    answer(socket, m_pageOk ? 200 : 400, m_pageOk ? "OK" : "Bad Request", html);
}

} // namespace pbi
