#include "auth/InteractiveCredential.h"

#include "Logging.h"
#include "auth/LoopbackReceiver.h"
#include "http/ErrorDecoder.h"

#include <nlohmann/json.hpp>

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>

namespace pbi {

namespace {
QString randomUrlSafe(int bytes) {
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator* rng = QRandomGenerator::system();
    for (auto& b : raw)
        b = char(rng->bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}
} // namespace

InteractiveCredential::InteractiveCredential(Transport* transport, const Clock* clock, Cloud cloud,
                                             QString tenant, QString clientId, QString refreshToken,
                                             QObject* parent)
    : DelegatedCredential(transport, clock, std::move(cloud), std::move(tenant),
                          std::move(clientId), std::move(refreshToken), parent)
    , m_receiver(new LoopbackReceiver(this))
    , m_timeoutTimer(new QTimer(this)) {
    m_timeoutTimer->setSingleShot(true);
    connect(m_receiver, &LoopbackReceiver::redirectReceived, this,
            &InteractiveCredential::onRedirect);
    connect(m_timeoutTimer, &QTimer::timeout, this, [this] {
        Error e;
        e.kind = ErrorKind::Timeout;
        e.sentence =
            QStringLiteral("Nobody finished the browser sign-in within %1 minutes.")
                .arg(std::max<qint64>(
                    1, std::chrono::duration_cast<std::chrono::minutes>(m_timeout).count()));
        e.hint = QStringLiteral("Start the sign-in again and complete it in the browser window "
                                "that opens.");
        fail(e);
    });
}

InteractiveCredential::~InteractiveCredential() = default;

QString InteractiveCredential::identityLabel() const {
    return QStringLiteral("user %1 (browser sign-in)")
        .arg(userName().isEmpty() ? QStringLiteral("not signed in yet") : userName());
}

QString InteractiveCredential::codeChallenge(const QString& verifier) {
    return QString::fromLatin1(
        QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void InteractiveCredential::abortAcquire() {
    m_timeoutTimer->stop();
    m_receiver->close();
    m_verifier.clear();
    m_state.clear();
}

void InteractiveCredential::fail(Error error) {
    abortAcquire();
    completeSignIn(error);
}

void InteractiveCredential::signIn() {
    QString why;
    if (!m_receiver->listen(&why)) {
        Error e;
        e.kind = ErrorKind::Network;
        e.sentence = QStringLiteral("Cannot listen on a loopback port for the browser's answer: %1")
                         .arg(why);
        fail(e);
        return;
    }
    // 32 random bytes → a 43-character verifier, the RFC 7636 minimum length and entropy.
    m_verifier = randomUrlSafe(32);
    m_state = randomUrlSafe(16);
    m_redirectUri = m_receiver->redirectUri();

    QUrl url = cloud().authorizeEndpoint(tenant());
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("client_id"), clientId());
    q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    q.addQueryItem(QStringLiteral("redirect_uri"), m_redirectUri.toString(QUrl::FullyEncoded));
    q.addQueryItem(QStringLiteral("response_mode"), QStringLiteral("query"));
    q.addQueryItem(QStringLiteral("scope"), scope());
    q.addQueryItem(QStringLiteral("state"), m_state);
    q.addQueryItem(QStringLiteral("code_challenge"), codeChallenge(m_verifier));
    q.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    if (!m_loginHint.isEmpty())
        q.addQueryItem(QStringLiteral("login_hint"), m_loginHint);
    else
        q.addQueryItem(QStringLiteral("prompt"), QStringLiteral("select_account"));
    // Encode every reserved character: the values carry ':' '/' and spaces.
    QString encoded;
    for (const auto& [k, v] : q.queryItems(QUrl::FullyDecoded)) {
        if (!encoded.isEmpty())
            encoded += QLatin1Char('&');
        encoded +=
            QString::fromLatin1(QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v));
    }
    url.setQuery(encoded, QUrl::StrictMode);
    m_timeoutTimer->start(m_timeout);
    qCInfo(lcPbiAuth) << "browser sign-in: waiting for the redirect on" << m_redirectUri;
    Q_EMIT authorizationUrlReady(url);
}

void InteractiveCredential::onRedirect(const QUrlQuery& query) {
    if (m_state.isEmpty()) {
        m_receiver->setAnswerPage(false, QStringLiteral("No sign-in is in progress."));
        return;
    }
    // A request without our state is not the answer to this sign-in (another page may poke
    // the loopback port): refuse it and keep waiting for the real one.
    if (query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded) != m_state) {
        qCWarning(lcPbiAuth) << "loopback redirect with a wrong state ignored";
        m_receiver->setAnswerPage(false, QStringLiteral("This answer does not belong to the "
                                                        "sign-in in progress (state mismatch)."));
        return;
    }
    if (query.hasQueryItem(QStringLiteral("error"))) {
        // Entra sends error + error_description in the redirect; decode it like a token-endpoint
        // error so the AADSTS code and its hint come out the same way.
        HttpResponse asBody;
        asBody.url = cloud().authorizeEndpoint(tenant());
        const nlohmann::json j = {
            {"error",
             query.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded).toStdString()},
            {"error_description",
             query.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded)
                 .toStdString()}};
        asBody.body = QByteArray::fromStdString(j.dump());
        Error e = ErrorDecoder::fromEntra(asBody);
        m_receiver->setAnswerPage(false, e.sentence);
        fail(e);
        return;
    }
    const QString code = query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    const QString verifier = m_verifier;
    m_timeoutTimer->stop();
    m_receiver->close();
    m_state.clear();
    m_verifier.clear();
    m_receiver->setAnswerPage(true, {});
    postTokenRequest(
        {qMakePair(QStringLiteral("client_id"), clientId()),
         qMakePair(QStringLiteral("grant_type"), QStringLiteral("authorization_code")),
         qMakePair(QStringLiteral("code"), code),
         qMakePair(QStringLiteral("redirect_uri"), m_redirectUri.toString(QUrl::FullyEncoded)),
         qMakePair(QStringLiteral("code_verifier"), verifier),
         qMakePair(QStringLiteral("scope"), scope())},
        [this](Result<TokenAnswer> r) { completeSignIn(r); });
}

} // namespace pbi
