// OpenID Connect discovery and the signing keys (reference/api-digest.md §10): what standard
// OAuth2/OIDC client libraries read first when given the sandbox's authority URL.

#include "EntraService.h"

#include "Jwt.h"
#include "Sandbox.h"
#include "WireHelpers.h"

namespace pbi::sandbox {

namespace {

const nlohmann::json kClaimsSupported = {"sub",
                                         "iss",
                                         "cloud_instance_name",
                                         "cloud_instance_host_name",
                                         "cloud_graph_host_name",
                                         "msgraph_host",
                                         "aud",
                                         "exp",
                                         "iat",
                                         "auth_time",
                                         "acr",
                                         "nonce",
                                         "preferred_username",
                                         "name",
                                         "tid",
                                         "ver",
                                         "at_hash",
                                         "c_hash",
                                         "email"};

} // namespace

void EntraService::handleDiscovery(const Request& req, Response& res, bool v2)
{
    const std::string segment = req.pathParams.at(0);
    std::lock_guard lock(m_sandbox.m_mutex);
    const TenantKind kind = tenantKind(segment);
    if (kind == TenantKind::Unknown || kind == TenantKind::Invalid) {
        // Entra answers discovery for an unknown tenant with error "invalid_tenant".
        const auto problem = tenantProblem(segment, false);
        wire::entraError(res, 400, "invalid_tenant", problem->first, problem->second);
        return;
    }
    const std::string base = requestBase(req);
    // Endpoints name the tenant by id even when asked by domain, as Entra's do; /common and
    // /organizations keep their segment and publish the "{tenantid}" issuer template.
    const std::string t = kind == TenantKind::Own ? m_sandbox.m_tenant.id : segment;
    const std::string tenantTemplate =
        kind == TenantKind::Own ? m_sandbox.m_tenant.id : "{tenantid}";
    const std::string root = base + "/" + t;
    nlohmann::json doc;
    if (v2) {
        // Entra's v2.0 issuer is its own host; the sandbox's is its own address, so that
        // libraries which check issuer == authority accept it. Entra publishes no
        // code_challenge_methods_supported although it supports PKCE; neither does the sandbox.
        doc = {
            {"token_endpoint", root + "/oauth2/v2.0/token"},
            {"token_endpoint_auth_methods_supported",
             {"client_secret_post", "private_key_jwt", "client_secret_basic"}},
            {"jwks_uri", root + "/discovery/v2.0/keys"},
            {"response_modes_supported", {"query", "fragment", "form_post"}},
            {"subject_types_supported", {"pairwise"}},
            {"id_token_signing_alg_values_supported", {"RS256"}},
            {"response_types_supported", {"code", "id_token", "code id_token", "id_token token"}},
            {"scopes_supported", {"openid", "profile", "email", "offline_access"}},
            {"issuer", base + "/" + tenantTemplate + "/v2.0"},
            {"request_uri_parameter_supported", false},
            {"authorization_endpoint", root + "/oauth2/v2.0/authorize"},
            {"device_authorization_endpoint", root + "/oauth2/v2.0/devicecode"},
            {"http_logout_supported", true},
            {"frontchannel_logout_supported", true},
            {"end_session_endpoint", root + "/oauth2/v2.0/logout"},
            {"claims_supported", kClaimsSupported},
            {"tenant_region_scope", "EU"},
            {"cloud_instance_name", "microsoftonline.com"},
            {"cloud_graph_host_name", "graph.windows.net"},
            {"msgraph_host", "graph.microsoft.com"},
            {"rbac_url", "https://pas.windows.net"},
        };
    } else {
        // v1: the issuer is the one in the (v1.0) access tokens, which is an identifier, not an
        // address; the keys are the common ones (api-digest §10, "Validate v1 tokens").
        doc = {
            {"token_endpoint", root + "/oauth2/token"},
            {"token_endpoint_auth_methods_supported",
             {"client_secret_post", "private_key_jwt", "client_secret_basic"}},
            {"jwks_uri", base + "/common/discovery/keys"},
            {"response_modes_supported", {"query", "fragment", "form_post"}},
            {"subject_types_supported", {"pairwise"}},
            {"id_token_signing_alg_values_supported", {"RS256"}},
            {"response_types_supported",
             {"code", "id_token", "code id_token", "token id_token", "token"}},
            {"scopes_supported", {"openid"}},
            {"issuer", "https://sts.windows.net/" + tenantTemplate + "/"},
            {"microsoft_multi_refresh_token", true},
            {"authorization_endpoint", root + "/oauth2/authorize"},
            {"device_authorization_endpoint", root + "/oauth2/devicecode"},
            {"http_logout_supported", true},
            {"frontchannel_logout_supported", true},
            {"end_session_endpoint", root + "/oauth2/logout"},
            {"claims_supported", kClaimsSupported},
            {"tenant_region_scope", "EU"},
            {"cloud_instance_name", "microsoftonline.com"},
            {"cloud_graph_host_name", "graph.windows.net"},
            {"msgraph_host", "graph.microsoft.com"},
            {"rbac_url", "https://pas.windows.net"},
        };
    }
    wire::json(res, 200, doc);
}

void EntraService::handleKeys(const Request& req, Response& res)
{
    const std::string segment = req.pathParams.at(0);
    std::lock_guard lock(m_sandbox.m_mutex);
    const TenantKind kind = tenantKind(segment);
    if (kind == TenantKind::Unknown || kind == TenantKind::Invalid) {
        checkTenant(segment, res, false);
        return;
    }
    const RsaKey& key = *m_sandbox.m_key;
    // kid == x5t, as in Entra's keys. Entra also publishes x5c (the certificate) and, on
    // v2.0, an "issuer"; both are optional for validators and the sandbox's key has no
    // certificate, so they are left out.
    nlohmann::json jwk = {{"kty", "RSA"},       {"use", "sig"},       {"kid", key.keyId()},
                          {"x5t", key.keyId()}, {"n", key.modulus()}, {"e", key.exponent()}};
    wire::json(res, 200, {{"keys", nlohmann::json::array({jwk})}});
}

} // namespace pbi::sandbox
