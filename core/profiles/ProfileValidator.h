#pragma once

#include "profiles/ConnectionProfile.h"

#include <QList>
#include <QString>

namespace pbi {

/// One reason a profile field is not acceptable, for the dialog to show beside the field.
struct FieldProblem {
    QString field; ///< "displayName", "tenant", "clientId", …
    QString message;
};

/// Field-by-field validation of connection profiles, usable as the user types.
/// Each check returns an empty string when the value is acceptable.
namespace ProfileValidator {

QString displayName(const QString& value);
/// A GUID or a verified domain; service principals cannot use common/organizations.
QString tenant(const QString& value, CredentialKind kind);
QString clientId(const QString& value);
/// An https URL (http only for loopback), used for custom clouds.
QString serviceUrl(const QString& value);
QString resource(const QString& value);
QString color(const QString& value);
QString userName(const QString& value);
QString certificatePath(const QString& value);
/// Optional (empty is fine): a readable PEM file of unexpired CA certificates.
QString caCertificatePath(const QString& value);

bool isGuid(const QString& value);

QList<FieldProblem> validate(const ConnectionProfile& profile);

} // namespace ProfileValidator
} // namespace pbi
