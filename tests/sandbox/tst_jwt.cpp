#include "Jwt.h"

#include <QTest>

using namespace pbi::sandbox;

class TestJwt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void base64UrlRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one") << QByteArray("a");
        QTest::newRow("two") << QByteArray("ab");
        QTest::newRow("three") << QByteArray("abc");
        QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01\xfb", 5);
    }
    void base64UrlRoundTrip()
    {
        QFETCH(QByteArray, bytes);
        const std::string encoded = base64UrlEncode(std::string_view(bytes.constData(), bytes.size()));
        QCOMPARE(QByteArray::fromStdString(encoded),
                 bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        const auto decoded = base64UrlDecode(encoded);
        QVERIFY(decoded);
        QCOMPARE(QByteArray::fromStdString(*decoded), bytes);
    }
    void base64UrlRejectsGarbage()
    {
        QVERIFY(!base64UrlDecode("ab$d"));
        QVERIFY(!base64UrlDecode("abcde"));
    }
    void signAndVerify()
    {
        auto key = RsaKey::generate();
        const std::string token = encodeJwt({{"alg", "RS256"}, {"kid", key->keyId()}},
                                            {{"sub", "x"}, {"n", 1}}, *key);
        const auto jwt = decodeJwt(token);
        QVERIFY(jwt);
        QCOMPARE(jwt->claims["sub"].get<std::string>(), std::string("x"));
        QVERIFY(key->verifyRs256(jwt->signingInput, jwt->signature));
        // A changed payload no longer verifies.
        QVERIFY(!key->verifyRs256(jwt->signingInput + "x", jwt->signature));
        // Another key's signature does not verify.
        auto other = RsaKey::generate();
        QVERIFY(!other->verifyRs256(jwt->signingInput, jwt->signature));
        QCOMPARE(key->exponent(), std::string("AQAB"));
        QVERIFY(key->modulus().size() > 300);
        QCOMPARE(key->keyId().size(), std::size_t(27)); // base64url of a SHA-1
    }
    void decodeRejectsMalformed_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("empty") << QString();
        QTest::newRow("one part") << QStringLiteral("abc");
        QTest::newRow("four parts") << QStringLiteral("a.b.c.d");
        QTest::newRow("not json") << QStringLiteral("YWJj.YWJj.YWJj");
        QTest::newRow("bad base64") << QStringLiteral("e$J.e$J.x");
    }
    void decodeRejectsMalformed()
    {
        QFETCH(QString, token);
        QVERIFY(!decodeJwt(token.toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
