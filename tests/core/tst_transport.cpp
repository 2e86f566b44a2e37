#include "SandboxFixture.h"
#include "SilentServer.h"

#include <QSignalSpy>
#include <QTest>

using pbi::ErrorKind;

class TestTransport : public QObject {
    Q_OBJECT

    using R = pbi::Result<pbi::HttpResponse>;

    std::optional<R> sendAndWait(pbi::Transport& t, pbi::HttpRequest req, int timeoutMs = 10000)
    {
        std::optional<R> result;
        t.send(std::move(req), this, [&](R r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
            return std::nullopt;
        return result;
    }

private Q_SLOTS:
    void httpErrorIsAnAnswerNotAnError()
    {
        SandboxFixture f;
        pbi::HttpRequest req;
        req.url = f.url(QStringLiteral("/v1.0/myorg/no-such-route"));
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().status, 404);
        QVERIFY(!r->value().requestId().isEmpty());
        QCOMPARE(f.log.entries().size(), std::size_t(1));
        const auto& entry = f.log.entries().back();
        QCOMPARE(entry.status, 404);
        QCOMPARE(entry.requestId, r->value().requestId());
        QVERIFY(entry.responseBytes > 0);
    }

    void plainHttpIsRefusedForRemoteHosts_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https remote") << "https://api.powerbi.com/v1.0/myorg/groups" << true;
        QTest::newRow("http remote") << "http://api.powerbi.com/v1.0/myorg/groups" << false;
        QTest::newRow("http private range") << "http://10.0.0.5/x" << false;
        QTest::newRow("http loopback v4") << "http://127.0.0.1:8080/x" << true;
        QTest::newRow("http loopback 127/8") << "http://127.1.2.3:8080/x" << true;
        QTest::newRow("http loopback v6") << "http://[::1]:8080/x" << true;
        QTest::newRow("http localhost") << "http://localhost:8080/x" << true;
        QTest::newRow("ftp") << "ftp://127.0.0.1/x" << false;
        QTest::newRow("no host") << "https:///x" << false;
    }
    void plainHttpIsRefusedForRemoteHosts()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        QCOMPARE(pbi::Transport::isAllowedUrl(QUrl(url)), allowed);
    }

    void refusedRequestsFailAsynchronously()
    {
        SandboxFixture f;
        bool called = false;
        std::optional<R> result;
        pbi::HttpRequest req;
        req.url = QUrl(QStringLiteral("http://api.powerbi.com/v1.0/myorg/groups"));
        f.transport.send(req, this, [&](R r) {
            called = true;
            result = std::move(r);
        });
        QVERIFY2(!called, "callbacks are never synchronous");
        QTRY_VERIFY(called);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ErrorKind::Refused);
        QVERIFY(result->error().sentence.contains(QStringLiteral("https")));
    }

    void connectionRefused()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        SandboxFixture f;
        pbi::HttpRequest req;
        req.url = QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(port));
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Network);
        QVERIFY(r->error().sentence.contains(QStringLiteral("refused")));
        QCOMPARE(f.log.entries().back().status, 0);
        QVERIFY(!f.log.entries().back().error.isEmpty());
    }

    void timeout()
    {
        SilentServer silent;
        SandboxFixture f;
        pbi::HttpRequest req;
        req.url = silent.url();
        req.timeout = std::chrono::milliseconds(300);
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Timeout);
    }

    void cancel()
    {
        SilentServer silent;
        SandboxFixture f;
        pbi::HttpRequest req;
        req.url = silent.url();
        std::optional<R> result;
        const quint64 id = f.transport.send(req, this, [&](R r) { result = std::move(r); });
        QTest::qWait(50);
        f.transport.cancel(id);
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->error().kind, ErrorKind::Cancelled);
    }

    void truncatedBodyIsAnError()
    {
        SilentServer liar("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"value\":[");
        SandboxFixture f;
        pbi::HttpRequest req;
        req.url = liar.url();
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r.has_value());
        QVERIFY2(!r->ok(), "a body shorter than its Content-Length must not pass as an answer");
        QCOMPARE(r->error().kind, ErrorKind::Network);
    }

    void deadContextGetsNoCallback()
    {
        SilentServer silent;
        SandboxFixture f;
        auto* context = new QObject;
        bool called = false;
        pbi::HttpRequest req;
        req.url = silent.url();
        req.timeout = std::chrono::milliseconds(200);
        f.transport.send(req, context, [&](R) { called = true; });
        delete context;
        QTest::qWait(500);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
