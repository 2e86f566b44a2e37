// The sandbox's sign-in pages: /{tenant}/oauth2/v2.0/authorize (authorization code + PKCE),
// the device-code page /sandbox/devicelogin, and the test control endpoint for device codes.
// Real Entra ID pages are far richer; these are the minimum a person or a test needs, and
// every page says plainly that it is the sandbox, not Microsoft.

#include "EntraService.h"

#include "Ids.h"
#include "Sandbox.h"
#include "WireHelpers.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace pbi::sandbox {

namespace {

std::string html(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string urlEncode(const std::string& text)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

std::string queryOf(const std::string& target)
{
    const auto q = target.find('?');
    return q == std::string::npos ? std::string() : target.substr(q + 1);
}

std::string get(const std::map<std::string, std::string>& m, const char* key)
{
    auto it = m.find(key);
    return it == m.end() ? std::string() : it->second;
}

void page(Response& res, int status, const std::string& title, const std::string& body)
{
    res.status = status;
    res.contentType = "text/html; charset=utf-8";
    res.body = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               "<title>" +
               html(title) +
               "</title><style>"
               "body{font-family:system-ui,sans-serif;background:#f2f2f2;margin:0}"
               "main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;"
               "box-shadow:0 2px 6px rgba(0,0,0,.2)}"
               ".banner{background:#fff4ce;padding:.5rem;font-size:.9rem}"
               ".error{color:#a80000}label{display:block;margin:.8rem 0}"
               "input,select{width:100%;padding:.4rem;box-sizing:border-box}"
               "button{margin-top:1rem;margin-right:.5rem;padding:.4rem 1.2rem}"
               "</style></head><body><main><h1>" +
               html(title) +
               "</h1>"
               "<p class=\"banner\">PBI Console <b>sandbox</b> tenant: a local emulator, not "
               "Microsoft Entra ID. No real account or password is involved.</p>" +
               body + "</main></body></html>\n";
}

/// Entra's error page: the AADSTS code and the trace id a person would quote.
void errorPage(Response& res, int aadsts, const std::string& message)
{
    page(res, 400, "Sorry, but we're having trouble signing you in.",
         "<p class=\"error\">AADSTS" + std::to_string(aadsts) + ": " + html(message) +
             "</p><p>Trace ID: " + randomGuid() + "<br>Correlation ID: " + randomGuid() +
             "<br>Timestamp: " + html(isoNow()) + "</p>");
}

/// http://127.0.0.1[:port][/…], http://localhost[:port][/…], http://[::1][:port][/…]
bool isLoopbackRedirect(const std::string& uri)
{
    std::string u = uri;
    std::transform(u.begin(), u.end(), u.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    for (const std::string prefix : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
        if (u.rfind(prefix, 0) != 0)
            continue;
        std::size_t i = prefix.size();
        if (i < u.size() && u[i] == ':') {
            const std::size_t start = ++i;
            while (i < u.size() && std::isdigit((unsigned char)u[i]))
                ++i;
            if (i == start || i - start > 5)
                return false;
        }
        return i == u.size() || u[i] == '/' || u[i] == '?';
    }
    return false;
}

void redirect(Response& res, const std::string& uri, const std::string& query)
{
    res.status = 302;
    res.contentType = "text/html; charset=utf-8";
    const std::string location = uri + (uri.find('?') == std::string::npos ? "?" : "&") + query;
    res.setHeader("Location", location);
    res.body =
        "<html><body>Object moved to <a href=\"" + html(location) + "\">here</a>.</body></html>";
}

std::string userOptions(const std::vector<User>& users, const std::string& selected)
{
    std::string out;
    for (const auto& u : users) {
        std::string lowerUpn = u.userPrincipalName, lowerSel = selected;
        std::transform(lowerUpn.begin(), lowerUpn.end(), lowerUpn.begin(), ::tolower);
        std::transform(lowerSel.begin(), lowerSel.end(), lowerSel.begin(), ::tolower);
        out += "<option value=\"" + html(u.userPrincipalName) + "\"" +
               (lowerUpn == lowerSel ? " selected" : "") + ">" + html(u.displayName) + " (" +
               html(u.userPrincipalName) + ")</option>";
    }
    return out;
}

std::string normaliseUserCode(const std::string& code)
{
    std::string out;
    for (unsigned char c : code)
        if (std::isalnum(c))
            out += char(std::toupper(c));
    return out;
}

} // namespace

void EntraService::handleAuthorize(const Request& req, Response& res)
{
    const std::string segment = req.pathParams.at(0);
    // OAuth parameters come from the query string in both GET and POST (the form posts back to
    // the same URL); the sign-in fields come from the POST body.
    auto params = wire::parseForm(queryOf(req.target));
    // v1 (/oauth2/authorize) names a resource instead of scopes, and its codes always come
    // with a refresh token.
    const bool v1 = req.path.find("/oauth2/v2.0/") == std::string::npos;
    if (v1 && get(params, "scope").find('/') == std::string::npos &&
        !get(params, "resource").empty())
        params["scope"] =
            get(params, "resource") + "/.default offline_access" +
            (get(params, "scope").find("openid") != std::string::npos ? " openid" : "");

    std::lock_guard lock(m_sandbox.m_mutex);
    const std::int64_t now = nowMs();
    purgeExpired(now);
    const Tenant& tenant = m_sandbox.m_tenant;
    if (const auto problem = tenantProblem(segment, true)) {
        errorPage(res, problem->first, problem->second);
        return;
    }
    const std::string clientId = get(params, "client_id");
    if (clientId.empty()) {
        errorPage(res, 900144,
                  "The request body must contain the following parameter: 'client_id'.");
        return;
    }
    const AppRegistration* app = tenant.findApp(clientId);
    if (!app) {
        errorPage(
            res, 700016,
            "Application with identifier '" + clientId + "' was not found in the directory '" +
                tenant.displayName +
                "'. This can happen if the application has not been "
                "installed by the administrator of the tenant or consented to by any user in "
                "the tenant. You may have sent your authentication request to the wrong tenant.");
        return;
    }
    if (tenantKind(segment) == TenantKind::Common && !app->isMultiTenant) {
        errorPage(res, 50194,
                  "Application '" + app->clientId + "'(" + app->displayName +
                      ") is not configured as a multi-tenant application. Usage of the /common "
                      "endpoint is not supported for such applications created after '10/15/2018'. "
                      "Use a tenant-specific endpoint or configure the application to be "
                      "multi-tenant.");
        return;
    }
    // Entra falls back to the app's first registered redirect URI; the sandbox asks for one
    // (inferred: every native client library sends it).
    const std::string redirectUri = get(params, "redirect_uri");
    if (redirectUri.empty()) {
        errorPage(res, 900144,
                  "The request body must contain the following parameter: 'redirect_uri'.");
        return;
    }
    const bool registered = std::find(app->redirectUris.begin(), app->redirectUris.end(),
                                      redirectUri) != app->redirectUris.end();
    if (!registered && !isLoopbackRedirect(redirectUri)) {
        // AADSTS50011: an untrusted redirect URI gets an error page, never a redirect.
        errorPage(
            res, 50011,
            "The redirect URI '" + redirectUri +
                "' specified in the request does not match "
                "the redirect URIs configured for the application '" +
                app->clientId +
                "'. Make "
                "sure the redirect URI sent in the request matches one added to your application "
                "in the Azure portal.");
        return;
    }

    // From here on errors go back to the application through its redirect URI.
    const std::string state = get(params, "state");
    auto redirectError = [&](const std::string& error, int aadsts, const std::string& description) {
        std::string q =
            "error=" + urlEncode(error) + "&error_description=" +
            urlEncode("AADSTS" + std::to_string(aadsts) + ": " + description +
                      "\r\nTrace ID: " + randomGuid() + "\r\nCorrelation ID: " + randomGuid() +
                      "\r\nTimestamp: " + isoNow()) +
            "&error_uri=" +
            urlEncode("https://login.microsoftonline.com/error?code=" + std::to_string(aadsts));
        if (!state.empty())
            q += "&state=" + urlEncode(state);
        redirect(res, redirectUri, q);
    };
    const std::string responseType = get(params, "response_type");
    if (responseType.empty()) {
        redirectError("invalid_request", 900144,
                      "The request body must contain the following parameter: 'response_type'.");
        return;
    }
    if (responseType != "code") {
        // AADSTS700054 / 70005 family; the sandbox does the code flow only.
        redirectError("unsupported_response_type", 70005,
                      "response_type '" + responseType +
                          "' is not enabled for the application. "
                          "The sandbox supports response_type=code only.");
        return;
    }
    const std::string responseMode = get(params, "response_mode");
    if (!responseMode.empty() && responseMode != "query") {
        redirectError("invalid_request", 900144,
                      "response_mode '" + responseMode +
                          "' is not supported by the sandbox; use "
                          "'query' (the default for the code flow).");
        return;
    }
    const std::string scope = get(params, "scope");
    if (scope.empty()) {
        redirectError("invalid_request", 900144,
                      "The request body must contain the following parameter: 'scope'.");
        return;
    }
    std::string error, description;
    int aadsts = 0;
    const auto scopes = parseDelegatedScopes(scope, &error, &aadsts, &description);
    if (!scopes) {
        redirectError(error, aadsts, description);
        return;
    }
    const std::string challenge = get(params, "code_challenge");
    std::string method = get(params, "code_challenge_method");
    if (!challenge.empty()) {
        if (method.empty())
            method = "plain"; // RFC 7636 §4.3
        if ((method != "S256" && method != "plain") || challenge.size() < 43 ||
            challenge.size() > 128) {
            // AADSTS501491 [unverified]: Entra's "invalid code_challenge" code.
            redirectError("invalid_request", 501491,
                          "Invalid size of Code_Challenge parameter, or unsupported "
                          "code_challenge_method '" +
                              method + "' (S256 or plain).");
            return;
        }
    }
    if (get(params, "prompt") == "none") {
        // The sandbox keeps no browser session, so silent sign-in never works.
        redirectError("login_required", 50058,
                      "A silent sign-in request was sent but no user is signed in.");
        return;
    }

    const std::string loginHint = get(params, "login_hint");
    auto signInPage = [&](int status, const std::string& problem, const std::string& login) {
        std::string scopesHtml;
        for (const auto& s : scopes->powerBi)
            scopesHtml += "<li>" + html(s) + "</li>";
        if (scopes->isDefault)
            scopesHtml += "<li>every Power BI permission the app has consent for</li>";
        page(
            res, status, "Sign in to " + tenant.displayName,
            "<p><b>" + html(app->displayName) + "</b> wants to use Power BI as you:</p><ul>" +
                scopesHtml + "</ul>" +
                (problem.empty() ? std::string() : "<p class=\"error\">" + html(problem) + "</p>") +
                "<form method=\"post\" action=\"" + html(req.target) +
                "\">"
                "<label>Account <select name=\"login\">" +
                userOptions(tenant.users, login) +
                "</select></label><label>Password <input type=\"password\" name=\"password\" "
                "autocomplete=\"off\" autofocus></label>"
                "<button type=\"submit\" name=\"action\" value=\"signin\">Sign in</button>"
                "<button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>"
                "</form><p>The demo users and their password are listed in "
                "docs/sandbox-identities.md.</p>");
    };
    if (req.method != "POST") {
        signInPage(200, {}, loginHint);
        return;
    }
    const auto form = wire::parseForm(req.body);
    if (get(form, "action") == "cancel") {
        // AADSTS65004: what Entra says when the user declines.
        redirectError("access_denied", 65004, "User declined to consent to access the app.");
        return;
    }
    const std::string login = get(form, "login");
    const User* user = findUser(login);
    if (!user) {
        signInPage(200,
                   "AADSTS50034: The user account " + login + " does not exist in the " +
                       tenant.displayName + " directory.",
                   login);
        return;
    }
    if (user->password != get(form, "password")) {
        signInPage(200,
                   "AADSTS50126: Error validating credentials due to invalid username or "
                   "password.",
                   login);
        return;
    }
    AuthorizationCode ac;
    ac.clientId = app->clientId;
    ac.redirectUri = redirectUri;
    ac.scopes = *scopes;
    ac.codeChallenge = challenge;
    ac.codeChallengeMethod = method;
    ac.nonce = get(params, "nonce");
    ac.userObjectId = user->objectId;
    ac.expiresAtMs =
        now + std::int64_t(m_sandbox.m_options.authorizationCodeLifetimeSeconds) * 1000;
    std::string code;
    do {
        code = "1.AQsA" + randomGuid() + "." + randomGuid();
    } while (m_codes.count(code));
    m_codes[code] = ac;
    std::string q = "code=" + urlEncode(code);
    if (!state.empty())
        q += "&state=" + urlEncode(state);
    q += "&session_state=" + randomGuid();
    redirect(res, redirectUri, q);
}

void EntraService::handleLogout(const Request& req, Response& res)
{
    const auto params = wire::parseForm(queryOf(req.target));
    const std::string after = get(params, "post_logout_redirect_uri");
    std::lock_guard lock(m_sandbox.m_mutex);
    if (const auto problem = tenantProblem(req.pathParams.at(0), true)) {
        errorPage(res, problem->first, problem->second);
        return;
    }
    // The sandbox keeps no session; signing out only sends the browser back.
    if (!after.empty() && isLoopbackRedirect(after)) {
        res.status = 302;
        res.setHeader("Location", after);
        return;
    }
    page(res, 200, "You signed out of your account",
         "<p>It's a good idea to close all browser windows.</p>");
}

std::string EntraService::decideDeviceCode(const std::string& userCode, bool approve,
                                           const User* user, int* status)
{
    const std::string wanted = normaliseUserCode(userCode);
    auto it = std::find_if(m_deviceCodes.begin(), m_deviceCodes.end(),
                           [&](const auto& e) { return e.second.userCode == wanted; });
    if (wanted.empty() || it == m_deviceCodes.end()) {
        *status = 404;
        return "We don't recognize this code. Check the code and try again.";
    }
    DeviceCode& dc = it->second;
    if (nowMs() >= dc.expiresAtMs) {
        *status = 410;
        return "That code has expired. Go back to the application and sign in again to get a "
               "new code.";
    }
    if (dc.state != DeviceCode::State::Pending) {
        *status = 409;
        return std::string("That code was already ") +
               (dc.state == DeviceCode::State::Approved ? "approved" : "declined") + ".";
    }
    const AppRegistration* app = m_sandbox.m_tenant.findApp(dc.clientId);
    const std::string appName = app ? app->displayName : dc.clientId;
    *status = 200;
    if (!approve) {
        dc.state = DeviceCode::State::Declined;
        return "You declined to sign in to " + appName + " on your device.";
    }
    dc.state = DeviceCode::State::Approved;
    dc.userObjectId = user->objectId;
    return user->displayName + " signed in to " + appName +
           " on the device. You may now close this window.";
}

void EntraService::handleDeviceLogin(const Request& req, Response& res)
{
    const auto params = wire::parseForm(queryOf(req.target));
    std::lock_guard lock(m_sandbox.m_mutex);
    const Tenant& tenant = m_sandbox.m_tenant;
    auto form = [&](int status, const std::string& problem, const std::string& code,
                    const std::string& login) {
        page(
            res, status, "Enter code",
            "<p>Enter the code displayed on your app or device, pick a sandbox user and "
            "approve or decline the sign-in.</p>" +
                (problem.empty() ? std::string() : "<p class=\"error\">" + html(problem) + "</p>") +
                "<form method=\"post\" action=\"/sandbox/devicelogin\">"
                "<label>Code <input name=\"code\" value=\"" +
                html(code) +
                "\" autocomplete=\"off\" autofocus></label>"
                "<label>Account <select name=\"login\">" +
                userOptions(tenant.users, login) +
                "</select></label><label>Password <input type=\"password\" name=\"password\" "
                "autocomplete=\"off\"></label>"
                "<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>"
                "<button type=\"submit\" name=\"action\" value=\"decline\">Decline</button>"
                "</form>");
    };
    if (req.method != "POST") {
        form(200, {}, get(params, "code"), {});
        return;
    }
    const auto body = wire::parseForm(req.body);
    const std::string code = get(body, "code");
    const std::string action = get(body, "action");
    const std::string login = get(body, "login");
    if (action != "approve" && action != "decline") {
        form(400, "Choose Approve or Decline.", code, login);
        return;
    }
    const User* user = nullptr;
    if (action == "approve") {
        user = findUser(login);
        if (!user || user->password != get(body, "password")) {
            form(400,
                 "AADSTS50126: Error validating credentials due to invalid username or "
                 "password.",
                 code, login);
            return;
        }
    }
    int status = 0;
    const std::string message = decideDeviceCode(code, action == "approve", user, &status);
    if (status != 200) {
        form(status == 404 ? 400 : status, message, code, login);
        return;
    }
    page(res, 200, action == "approve" ? "You're signed in" : "Sign-in declined",
         "<p>" + html(message) + "</p>");
}

void EntraService::handleDeviceControl(const Request& req, Response& res)
{
    const std::string userCode = req.pathParams.at(0);
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    auto bad = [&](int status, const std::string& code, const std::string& message) {
        wire::serviceError(res, status, code, message);
    };
    if (!body.is_object() || !body.contains("action") || !body["action"].is_string()) {
        bad(400, "InvalidRequest",
            "Send a JSON object {\"action\": \"approve\" | \"decline\", \"user\": \"<upn>\"}.");
        return;
    }
    const std::string action = body["action"].get<std::string>();
    if (action != "approve" && action != "decline") {
        bad(400, "InvalidRequest",
            "'action' must be \"approve\" or \"decline\", not \"" + action + "\".");
        return;
    }
    std::lock_guard lock(m_sandbox.m_mutex);
    const User* user = nullptr;
    if (action == "approve") {
        if (!body.contains("user") || !body["user"].is_string()) {
            bad(400, "InvalidRequest", "Approving needs \"user\": the UPN of a sandbox user.");
            return;
        }
        user = findUser(body["user"].get<std::string>());
        if (!user) {
            bad(400, "UnknownUser",
                "No sandbox user has the UPN '" + body["user"].get<std::string>() + "'.");
            return;
        }
    }
    int status = 0;
    const std::string message = decideDeviceCode(userCode, action == "approve", user, &status);
    if (status != 200) {
        bad(status,
            status == 404   ? "UnknownUserCode"
            : status == 410 ? "ExpiredUserCode"
                            : "AlreadyDecided",
            message);
        return;
    }
    nlohmann::json out = {{"userCode", normaliseUserCode(userCode)},
                          {"status", action == "approve" ? "approved" : "declined"}};
    if (user)
        out["user"] = user->userPrincipalName;
    wire::json(res, 200, out);
}

} // namespace pbi::sandbox
