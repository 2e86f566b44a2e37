#include "auth/CertificateCredential.h"

#include "Clock.h"

#include <nlohmann/json.hpp>

#include <QUuid>

namespace pbi {

namespace {
// Entra accepts assertions valid for up to 10 minutes-ish and does not enforce exp tightly
// (api-digest §10); 10 minutes covers a slow proxy without leaving a long-lived credential.
constexpr qint64 kAssertionLifetimeSecs = 10 * 60;

QByteArray b64url(const QByteArray& bytes) {
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
} // namespace

CertificateCredential::CertificateCredential(Transport* transport, const Clock* clock, Cloud cloud,
                                             QString tenant, QString clientId,
                                             ClientCertificate certificate, QObject* parent)
    : EntraCredential(transport, clock, std::move(cloud), std::move(tenant), std::move(clientId),
                      parent)
    , m_certificate(std::move(certificate)) {}

QString CertificateCredential::identityLabel() const {
    return QStringLiteral("service principal %1 (certificate %2)")
        .arg(clientId(), m_certificate.info().thumbprint);
}

QString CertificateCredential::makeAssertion() const {
    const qint64 now = clock()->now().toSecsSinceEpoch();
    const nlohmann::json header = {
        {"alg", "RS256"}, {"typ", "JWT"}, {"x5t", m_certificate.info().x5t.toStdString()}};
    const std::string id = clientId().toStdString();
    const nlohmann::json claims = {
        {"aud", cloud().tokenEndpoint(tenant()).toString(QUrl::FullyEncoded).toStdString()},
        {"iss", id},
        {"sub", id},
        {"jti", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()},
        {"nbf", now},
        {"iat", now},
        {"exp", now + kAssertionLifetimeSecs}};
    const QByteArray input = b64url(QByteArray::fromStdString(header.dump())) + '.' +
                             b64url(QByteArray::fromStdString(claims.dump()));
    const QByteArray signature = m_certificate.signRs256(input);
    if (signature.isEmpty())
        return {};
    return QString::fromLatin1(input + '.' + b64url(signature));
}

void CertificateCredential::acquire() {
    // Entra refuses an expired certificate's assertion with a vague AADSTS700027; say it here.
    const QString problem = m_certificate.info().validityProblem(clock()->now());
    if (!problem.isEmpty()) {
        Error e;
        e.kind = ErrorKind::Auth;
        e.sentence = problem;
        e.hint = QStringLiteral("Create a new certificate, upload it to the app registration "
                                "(Certificates & secrets) and select it in the connection.");
        complete(e);
        return;
    }
    const QString assertion = makeAssertion();
    if (assertion.isEmpty()) {
        Error e;
        e.kind = ErrorKind::Auth;
        e.sentence = QStringLiteral("The client assertion could not be signed with the "
                                    "certificate's private key.");
        complete(e);
        return;
    }
    postTokenRequest(
        {qMakePair(QStringLiteral("client_id"), clientId()),
         qMakePair(QStringLiteral("scope"), cloud().defaultScope()),
         qMakePair(QStringLiteral("client_assertion_type"),
                   QStringLiteral("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")),
         qMakePair(QStringLiteral("client_assertion"), assertion),
         qMakePair(QStringLiteral("grant_type"), QStringLiteral("client_credentials"))},
        [this](Result<TokenAnswer> r) { complete(r); });
}

} // namespace pbi
