// ErrorDecoder against golden bodies of every error shape in reference/api-digest.md §5 and §10.

#include "TestPrinters.h"
#include "http/ErrorDecoder.h"

#include <QTest>

using pbi::ErrorKind;

Q_DECLARE_METATYPE(pbi::ErrorKind)

namespace {
pbi::HttpResponse response(int status, const QByteArray& body, pbi::HeaderList headers = {})
{
    pbi::HttpResponse r;
    r.status = status;
    r.body = body;
    r.headers = std::move(headers);
    r.headers.append(qMakePair(QByteArray("RequestId"), QByteArray("11111111-aaaa-bbbb-cccc-222222222222")));
    r.url = QUrl(QStringLiteral("https://api.powerbi.com/v1.0/myorg/groups"));
    return r;
}
} // namespace

class TestErrorDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void entra()
    {
        const QByteArray body = R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'abc'.\r\nTrace ID: 0a1b\r\nCorrelation ID: 9f8e\r\nTimestamp: 2026-01-01 10:00:00Z","error_codes":[7000215],"timestamp":"2026-01-01 10:00:00Z","trace_id":"0a1b","correlation_id":"9f8e","error_uri":"https://login.microsoftonline.com/error?code=7000215"})";
        const pbi::Error e = pbi::ErrorDecoder::fromEntra(response(401, body));
        QCOMPARE(e.kind, ErrorKind::Auth);
        QCOMPARE(e.httpStatus, 401);
        QCOMPARE(e.code, QStringLiteral("invalid_client"));
        QCOMPARE(e.detailCode, QStringLiteral("AADSTS7000215"));
        QVERIFY(e.message.startsWith(QStringLiteral("AADSTS7000215: Invalid client secret provided.")));
        QVERIFY2(!e.message.contains(QStringLiteral("Trace ID")), "trace lines belong in requestId");
        QCOMPARE(e.requestId, QStringLiteral("0a1b"));
        QVERIFY(e.hint.contains(QStringLiteral("Value")));
        QVERIFY(e.summary().contains(QStringLiteral("AADSTS7000215")));
        QVERIFY(e.details().contains(QStringLiteral("Likely fix:")));
    }

    void entraWithoutErrorCodesReadsTheDescription()
    {
        const pbi::Error e = pbi::ErrorDecoder::fromEntra(response(400, R"({"error":"invalid_request","error_description":"AADSTS90002: Tenant 'x' not found."})"));
        QCOMPARE(e.detailCode, QStringLiteral("AADSTS90002"));
        QVERIFY(e.hint.contains(QStringLiteral("tenant"), Qt::CaseInsensitive));
    }

    void entraGarbage()
    {
        const pbi::Error e = pbi::ErrorDecoder::fromEntra(response(502, "<html>Bad gateway</html>"));
        QCOMPARE(e.kind, ErrorKind::Http);
        QVERIFY(e.sentence.contains(QStringLiteral("502")));
    }

    void service_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("errorInfo");
        QTest::addColumn<pbi::ErrorKind>("kind");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<bool>("hasHint");

        QTest::newRow("plain InvalidRequest") << 400 << QByteArray(R"({"error":{"code":"InvalidRequest","message":"Another refresh request is already executing"}})") << QByteArray() << ErrorKind::Service << "InvalidRequest" << "already executing" << true;
        QTest::newRow("InvalidRequest, unknown words") << 400 << QByteArray(R"({"error":{"code":"InvalidRequest","message":"Something new went wrong"}})") << QByteArray() << ErrorKind::Service << "InvalidRequest" << "Something new" << false;
        QTest::newRow("pbi.error not authorized") << 401 << QByteArray(R"({"error":{"code":"PowerBINotAuthorizedException","pbi.error":{"code":"PowerBINotAuthorizedException","parameters":{},"details":[],"exceptionCulprit":1}}})") << QByteArray() << ErrorKind::Service << "PowerBINotAuthorizedException" << "" << true;
        QTest::newRow("pbi.error with details") << 404 << QByteArray(R"({"error":{"code":"PowerBIEntityNotFound","pbi.error":{"code":"PowerBIEntityNotFound","parameters":{},"details":[{"code":"DetailsMessage","detail":{"type":1,"value":"You cannot query the dataset"}}],"exceptionCulprit":1}}})") << QByteArray() << ErrorKind::Service << "PowerBIEntityNotFound" << "You cannot query the dataset" << true;
        QTest::newRow("app-only Message") << 401 << QByteArray(R"({"Message":"API is not accessible for application"})") << QByteArray() << ErrorKind::Service << "" << "not accessible for application" << true;
        QTest::newRow("throttled") << 429 << QByteArray(R"({"message":"You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in 3392 seconds."})") << QByteArray() << ErrorKind::Throttled << "" << "Retry in 3392 seconds" << true;
        QTest::newRow("no token") << 403 << QByteArray() << QByteArray() << ErrorKind::Auth << "" << "" << false;
        QTest::newRow("invalid token") << 403 << QByteArray() << QByteArray("InvalidToken") << ErrorKind::Auth << "InvalidToken" << "" << true;
        QTest::newRow("token expired") << 403 << QByteArray(R"({"error":{"code":"TokenExpired","message":"Access token has expired, resubmit with a new access token"}})") << QByteArray("TokenExpired") << ErrorKind::Auth << "TokenExpired" << "expired" << true;
        QTest::newRow("group not accessible") << 401 << QByteArray() << QByteArray("GroupNotAccessible") << ErrorKind::Service << "GroupNotAccessible" << "" << true;
        QTest::newRow("plain text 500") << 500 << QByteArray("An error has occurred") << QByteArray() << ErrorKind::Http << "" << "" << false;
        QTest::newRow("malformed json") << 400 << QByteArray(R"({"error":{"code":)") << QByteArray() << ErrorKind::Http << "" << "" << false;
        QTest::newRow("error not an object") << 400 << QByteArray(R"({"error":"x"})") << QByteArray() << ErrorKind::Http << "" << "" << false;
    }
    void service()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, errorInfo);
        QFETCH(pbi::ErrorKind, kind);
        QFETCH(QString, code);
        QFETCH(QString, messagePart);
        QFETCH(bool, hasHint);
        pbi::HeaderList headers;
        if (!errorInfo.isEmpty())
            headers.append(qMakePair(QByteArray("X-PowerBI-Error-Info"), errorInfo));
        const pbi::Error e = pbi::ErrorDecoder::fromService(response(status, body, headers));
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.httpStatus, status);
        QCOMPARE(e.code, code);
        QVERIFY2(e.message.contains(messagePart), qPrintable(e.message));
        QCOMPARE(!e.hint.isEmpty(), hasHint);
        QCOMPARE(e.requestId, QStringLiteral("11111111-aaaa-bbbb-cccc-222222222222"));
        QVERIFY(!e.sentence.isEmpty());
    }

    void errorDetailsHeaderIsTheFallbackMessage()
    {
        const pbi::Error e = pbi::ErrorDecoder::fromService(
            response(400, QByteArray(), {{"X-PowerBI-Error-Details", "Dataset is not refreshable"}}));
        QCOMPARE(e.message, QStringLiteral("Dataset is not refreshable"));
    }
    void throttledCarriesItsTime()
    {
        pbi::HttpResponse r = response(429, R"({"message":"You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in 3392 seconds."})",
                                       {qMakePair(QByteArray("Retry-After"), QByteArray("3392"))});
        r.receivedAt = QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);
        const pbi::Error e = pbi::ErrorDecoder::fromService(r);
        QCOMPARE(e.kind, ErrorKind::Throttled);
        QCOMPARE(e.retryAt, QDateTime(QDate(2026, 11, 28), QTime(12, 56, 32), Qt::UTC));
        QVERIFY2(e.sentence.contains(QStringLiteral("2026-11-28 12:56:32 UTC")), qPrintable(e.sentence));
        QVERIFY(e.message.contains(QStringLiteral("Retry in 3392 seconds")));
        QVERIFY(!e.hint.isEmpty());
        // A 503 without Retry-After is an outage, not throttling.
        const pbi::Error outage = pbi::ErrorDecoder::fromService(response(503, {}));
        QVERIFY(outage.kind != ErrorKind::Throttled);
        QVERIFY(!outage.retryAt.isValid());
    }
};

QTEST_GUILESS_MAIN(TestErrorDecoder)
#include "tst_errordecoder.moc"
