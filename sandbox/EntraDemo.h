#pragma once

// The demo tenant's Entra ID identities beyond Tenant.h's demo block: the public client apps,
// the users' password and the sandbox-only demo certificate (docs/sandbox-identities.md).

#include <string>
#include <vector>

namespace pbi::sandbox::demo {

/// "PBI Console Desktop": public client (device code, auth code + PKCE, ROPC), multi-tenant,
/// with consent for the delegated Power BI scopes of consentedScopes().
inline constexpr char kPublicClientId[] = "c4a8e2f6-1b3d-4f5a-8e7c-9d0b2a4c6e81";
inline constexpr char kPublicClientServicePrincipalId[] = "e1f3a5c7-9b2d-4e6f-a8c0-b2d4f6e8a0c3";
/// "Unconsented Report Tool": a public client nobody consented to (AADSTS65001).
inline constexpr char kUnconsentedClientId[] = "7a9c1e3f-5b7d-4f9a-b1c3-d5e7f9a1b3c5";
inline constexpr char kUnconsentedServicePrincipalId[] = "2b4d6f8a-0c2e-4a6c-8e0a-c2e4a6c8e0b2";
/// Every demo user's password.
inline constexpr char kUserPassword[] = "Sandbox!1";
/// Pass phrase of the PKCS#12 file `pbi-sandbox --write-demo-certificate` writes.
inline constexpr char kCertificatePassPhrase[] = "sandbox";
/// x5t of the demo certificate: base64url(SHA-1(DER)).
inline constexpr char kCertificateX5t[] = "CtZHqWFKYuB67_KsdgaK_NuD9DE";

/// sandbox/demo/demo-app.key.pem and demo-app.cert.pem, embedded at build time.
const char* privateKeyPem();
const char* certificatePem();

/// The delegated Power BI scopes "PBI Console Desktop" has consent for.
std::vector<std::string> consentedScopes();

} // namespace pbi::sandbox::demo
