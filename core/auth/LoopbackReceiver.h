#pragma once

#include <QObject>
#include <QUrl>
#include <QUrlQuery>

class QTcpServer;
class QTcpSocket;

namespace pbi {

/// A one-shot HTTP listener on 127.0.0.1 that catches the browser's redirect at the end of an
/// interactive sign-in (RFC 8252 §7.3, loopback redirect). It answers the browser with a short
/// page and reports the redirect's query; anything else (favicon, probes) gets a 404.
class LoopbackReceiver : public QObject {
    Q_OBJECT
public:
    explicit LoopbackReceiver(QObject* parent = nullptr);
    ~LoopbackReceiver() override;

    /// Listens on a free loopback port; false with `error` set when that is impossible.
    bool listen(QString* error);
    void close();
    bool isListening() const;
    /// http://localhost:<port> — the form Entra ID matches against a registered
    /// "http://localhost" redirect URI whatever the port.
    QUrl redirectUri() const;

    /// The page the browser shows for a redirect: `ok` = signed in, else the `problem` text.
    void setAnswerPage(bool ok, const QString& problem);

Q_SIGNALS:
    /// A request for the redirect path arrived; `query` holds code/state or error/description.
    /// The browser gets the page set by setAnswerPage() from inside this signal's handlers.
    void redirectReceived(const QUrlQuery& query);

private:
    void onReadyRead(QTcpSocket* socket);
    static void answer(QTcpSocket* socket, int status, const QByteArray& reason,
                       const QByteArray& html);

    QTcpServer* m_server;  ///< 127.0.0.1
    QTcpServer* m_server6; ///< ::1 on the same port, when IPv6 is there: browsers may try it first
    bool m_pageOk = true;
    QString m_pageProblem;
};

} // namespace pbi
