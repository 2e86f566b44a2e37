#pragma once

#include <QByteArray>
#include <QTcpServer>
#include <QTcpSocket>

/// A loopback TCP server that answers every connection with fixed bytes (or nothing at all):
/// for the transport's failure paths that a well-behaved server cannot produce.
class SilentServer : public QTcpServer {
public:
    explicit SilentServer(QByteArray answer = {}) : m_answer(std::move(answer))
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = nextPendingConnection()) {
                if (m_answer.isEmpty())
                    continue; // keep it open and never answer
                connect(s, &QTcpSocket::readyRead, s, [s, this] {
                    s->readAll();
                    s->write(m_answer);
                    s->disconnectFromHost();
                });
            }
        });
    }
    QUrl url(const QString& path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path));
    }

private:
    QByteArray m_answer;
};
