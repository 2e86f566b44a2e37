#pragma once

#include "auth/DelegatedCredential.h"

#include <QDateTime>

class QTimer;

namespace pbi {

/// What the user needs to finish a device-code sign-in on another device.
struct DeviceCodePrompt {
    QString userCode;     ///< e.g. "FJ7KQ2TPL"
    QUrl verificationUri; ///< e.g. https://microsoft.com/devicelogin
    QString message;      ///< Entra's own sentence, localisable with ?mkt=
    QDateTime expiresAt;  ///< UTC; after this the code is useless
    int intervalSecs = 5; ///< how often the core polls
};

/// A user signing in with the device code flow (RFC 8628): the core asks for a code, emits
/// deviceCodeReady() for the UI to show, and polls the token endpoint until the user approves,
/// declines, or the code expires. Cancellable with cancel(); polls on a QTimer.
class DeviceCodeCredential final : public DelegatedCredential {
    Q_OBJECT
public:
    DeviceCodeCredential(Transport* transport, const Clock* clock, Cloud cloud, QString tenant,
                         QString clientId, QString refreshToken = {}, QObject* parent = nullptr);

    QString identityLabel() const override;

Q_SIGNALS:
    /// Show the code and the address to the user; polling has started.
    void deviceCodeReady(const pbi::DeviceCodePrompt& prompt);

protected:
    void signIn() override;
    void abortAcquire() override;

private:
    void poll();
    void schedulePoll();

    QTimer* m_pollTimer;
    QString m_deviceCode;
    DeviceCodePrompt m_prompt;
    int m_transientFailures = 0; ///< failed polls in a row that were not Entra's answer
};

} // namespace pbi

Q_DECLARE_METATYPE(pbi::DeviceCodePrompt)
