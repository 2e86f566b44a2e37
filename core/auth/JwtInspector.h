#pragma once

#include "http/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace pbi {

class Clock;

/// One header field or claim of a decoded token, ready to show.
struct JwtClaim {
    QString name;
    QString raw;         ///< the JSON value exactly as the token carries it (compact JSON)
    QString display;     ///< human rendering: UTC date-times, lists joined, codes named
    QStringList values;  ///< the items of a list claim (scp split on spaces, amr, roles, wids…)
    QString explanation; ///< one sentence on what the claim means; empty for an unknown claim
};

/// Where a token stands against "now".
enum class TokenExpiry { NoExpiry, NotYetValid, Valid, Expired };

/// A compact JWT decoded for display. Nothing here is verified: no trust decision may be made
/// from it (the service verifies signatures; we only show what the token says).
struct DecodedJwt {
    QList<JwtClaim> header;
    QList<JwtClaim> claims;
    std::optional<QDateTime> issuedAt;
    std::optional<QDateTime> notBefore;
    std::optional<QDateTime> expiresAt;
    bool hasSignature = false; ///< a third part is present (it is still not checked)

    const JwtClaim* claim(const QString& name) const;
    const JwtClaim* headerField(const QString& name) const;
    /// A string claim's value, or the display text of any other claim; empty when absent.
    QString claimText(const QString& name) const;
    TokenExpiry expiry(const Clock& clock) const;
    /// "Expires in 42 min (2026-11-28 14:00:00 UTC)." / "Expired 3 h 5 min ago (…)." / …
    QString expirySentence(const Clock& clock) const;
    /// "app-only (service principal)", "delegated (user)", or empty when the token does not say.
    QString identityKind() const;
};

/// Decodes any compact JWT without verifying it and explains its claims, like jwt.ms.
namespace JwtInspector {

/// Accepts a bare token or "Bearer <token>", surrounding whitespace and quotes. Fails with a
/// Parse error that says what is wrong: not three parts, bad base64url, not a JSON object, an
/// encrypted token, or a Power BI embed token (which is not a JWT at all).
Result<DecodedJwt> decode(const QString& token);
/// One sentence on a claim Entra ID or Power BI tokens carry; empty for an unknown name.
QString explainClaim(const QString& name);
/// One sentence on a JOSE header field; empty for an unknown name.
QString explainHeader(const QString& name);

} // namespace JwtInspector
} // namespace pbi
