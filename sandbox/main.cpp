// pbi-sandbox: the sandbox tenant as a standalone server.

#include "EntraCertificate.h"
#include "EntraDemo.h"
#include "HttpServer.h"
#include "Sandbox.h"
#include "Tenant.h"
#include "TenantCommandLine.h"
#include "Tls.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

void usage(FILE* out)
{
    std::fputs("Usage: pbi-sandbox [--host ADDRESS] [--port N] [--seed N] [--token-lifetime SECONDS]\n"
               "                   [--tls-generate-ca FILE | --tls-cert FILE --tls-key FILE]\n"
               "\n"
               "Runs the PBI Console sandbox tenant: a local emulator of Entra ID and the\n"
               "Power BI REST API, on loopback.\n"
               "\n"
               "  --host ADDRESS           address to listen on (default 127.0.0.1); only loopback\n"
               "                           addresses (127.0.0.0/8, ::1, localhost) unless --allow-remote\n"
               "  --allow-remote           let --host be any address: the sandbox's secrets and\n"
               "                           passwords are public, so only on a network you trust\n"
               "  --port N                 port (default 0: any free port, printed at start)\n"
               "  --tls-generate-ca FILE   serve https with a certificate made at start for localhost,\n"
               "                           127.0.0.1 and ::1 (and --host), signed by a new local CA\n"
               "                           that can sign nothing else; write that CA's certificate\n"
               "                           (PEM) to FILE for clients to trust (docs/sandbox-tls.md)\n"
               "  --tls-cert FILE          serve https with this PEM certificate (chain, server first)\n"
               "  --tls-key FILE           and this unencrypted PEM private key\n"
               "  --seed N                 seed of the generated ids (default 7)\n"
               "  --token-lifetime SECONDS access-token lifetime (default: 60-90 min at random)\n"
               "  --device-code-interval SECONDS\n"
               "                           device-code polling interval (default 5)\n"
               "  --device-code-lifetime SECONDS\n"
               "                           device-code lifetime (default 900)\n"
               "  --write-demo-certificate DIR\n"
               "                           write the demo app's sandbox-only key and certificate\n"
               "                           (PEM, and PKCS#12 with pass phrase 'sandbox') to DIR\n"
               "                           and exit\n"
               "  --fault SPEC             inject a fault, e.g. 429,path=^/v1.0/myorg/admin,rate=0.2,retry-after=30\n"
               "                           (kinds 429 500 503 reset truncated malformed slow; keys method,\n"
               "                           path, rate, after, count, retry-after, duration; repeatable)\n"
               "  --latency SPEC           add latency, e.g. fixed=200,jitter=100,path=^/v1.0/ (repeatable)\n"
               "  --fault-seed N           seed of the fault and latency choices (default 1)\n"
               "                           (all three can be changed at run time: docs/sandbox-control.md)\n"
               "  --time-scale X           run the sandbox clock X times as fast as real time: token\n"
               "                           lifetimes, throttling windows, refresh durations and refresh\n"
               "                           schedules (default 1; 0 freezes it; docs/sandbox-powerbi.md)\n"
               "  --refresh-duration MS    every refresh takes MS of sandbox time (default: 3-8 s per\n"
               "                           model, from the seed)\n"
               "  --refresh-visibility-delay MS\n"
               "                           a new refresh is listed in the history after MS of sandbox\n"
               "                           time (default 1000; 0: at once)\n"
               "  --no-refresh-schedules   do not fire refresh schedules\n"
               "  -h, --help               this text\n",
               out);
    std::fputs(pbi::sandbox::TenantCommandLine::usage(), out);
}

bool parseInt(const char* text, long min, long max, long& out)
{
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(text, &end, 10);
    if (errno != 0 || !end || *end != '\0' || v < min || v > max)
        return false;
    out = v;
    return true;
}

/// Writes the sandbox-only demo key and certificate (sandbox/demo/README.md) for a client to
/// sign in with; the sandbox registers that certificate on the demo app.
int writeDemoCertificate(const std::string& dir)
{
    namespace demo = pbi::sandbox::demo;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::filesystem::path base(dir);
    auto write = [](const std::filesystem::path& path, const char* text) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
        return bool(out.flush());
    };
    const auto key = base / "demo-app.key.pem";
    const auto cert = base / "demo-app.cert.pem";
    const auto pfx = base / "demo-app.pfx";
    std::string error;
    if (!write(key, demo::privateKeyPem()) || !write(cert, demo::certificatePem()) ||
        !pbi::sandbox::writePkcs12(demo::privateKeyPem(), demo::certificatePem(),
                                   demo::kCertificatePassPhrase, "PBI Console sandbox demo app",
                                   pfx.string(), &error)) {
        std::fprintf(stderr, "pbi-sandbox: cannot write the demo certificate to '%s'%s%s\n",
                     dir.c_str(), error.empty() ? "" : ": ", error.c_str());
        return 1;
    }
    std::printf("Wrote the sandbox-only demo certificate (trusted nowhere):\n"
                "  %s\n  %s\n  %s (PKCS#12, pass phrase '%s')\n"
                "It is registered on the demo app %s (x5t %s).\n",
                key.string().c_str(), cert.string().c_str(), pfx.string().c_str(),
                demo::kCertificatePassPhrase, pbi::sandbox::demo::kAppClientId,
                demo::kCertificateX5t);
    return 0;
}

/// --tls-cert/--tls-key or --tls-generate-ca into `options.tls`; the exit status on failure.
/// `note` gets the lines the start banner shows about it.
int setUpTls(pbi::sandbox::SandboxOptions& options, const std::string& cert, const std::string& key,
             const std::string& caFile, std::string& note)
{
    if (cert.empty() != key.empty()) {
        std::fprintf(stderr, "pbi-sandbox: --tls-cert and --tls-key go together\n");
        return 2;
    }
    if (!cert.empty() && !caFile.empty()) {
        std::fprintf(stderr, "pbi-sandbox: choose --tls-generate-ca or --tls-cert/--tls-key, not both\n");
        return 2;
    }
    std::string error;
    if (!cert.empty()) {
        auto identity = pbi::sandbox::readTlsIdentity(cert, key, &error);
        if (!identity) {
            std::fprintf(stderr, "pbi-sandbox: %s\n", error.c_str());
            return 2;
        }
        options.tls = std::move(*identity);
        note = "  TLS:        certificate " + cert + "\n";
        return 0;
    }
    if (caFile.empty())
        return 0;
    std::vector<std::string> names;
    if (!pbi::sandbox::isLoopbackHost(options.host))
        names.push_back(options.host);
    auto generated = pbi::sandbox::generateTls(names, 30, &error);
    // Written before the server listens: once the banner is out, the file is there, whole.
    if (!generated || !pbi::sandbox::writeFileAtomically(caFile, generated->caCertificatePem, &error)) {
        std::fprintf(stderr, "pbi-sandbox: %s\n", error.c_str());
        return 1;
    }
    options.tls = std::move(generated->server);
    std::string hosts = "localhost, 127.0.0.1, ::1";
    for (const auto& n : names)
        hosts += ", " + n;
    note = "  TLS:        certificate for " + hosts + ", valid until " + generated->notAfter +
           ",\n              signed by a CA made for this run: trust " + caFile +
           "\n              (e.g. curl --cacert " + caFile + "; docs/sandbox-tls.md)\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    pbi::sandbox::SandboxOptions options;
    long seed = 7;
    std::string tlsCert, tlsKey, tlsCaFile;
    pbi::sandbox::TenantCommandLine tenantArgs;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](const char* name) -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "pbi-sandbox: %s needs a value\n", name);
                std::exit(2);
            }
            return argv[++i];
        };
        long n = 0;
        if (arg == "-h" || arg == "--help") {
            usage(stdout);
            return 0;
        } else if (arg == "--host") {
            options.host = value("--host");
        } else if (arg == "--allow-remote") {
            options.allowRemote = true;
        } else if (arg == "--tls-cert" || arg == "--tls-key" || arg == "--tls-generate-ca") {
            const char* v = value(arg.c_str());
            if (*v == '\0') {
                std::fprintf(stderr, "pbi-sandbox: %s needs a file name\n", arg.c_str());
                return 2;
            }
            (arg == "--tls-cert" ? tlsCert : arg == "--tls-key" ? tlsKey : tlsCaFile) = v;
        } else if (arg == "--port") {
            const char* v = value("--port");
            if (!parseInt(v, 0, 65535, n)) {
                std::fprintf(stderr, "pbi-sandbox: --port must be a number from 0 to 65535, not '%s'\n", v);
                return 2;
            }
            options.port = int(n);
        } else if (arg == "--seed") {
            const char* v = value("--seed");
            if (!parseInt(v, 0, 0x7fffffffL, seed)) {
                std::fprintf(stderr, "pbi-sandbox: --seed must be a non-negative number, not '%s'\n", v);
                return 2;
            }
        } else if (arg == "--write-demo-certificate") {
            return writeDemoCertificate(value("--write-demo-certificate"));
        } else if (arg == "--token-lifetime") {
            const char* v = value("--token-lifetime");
            if (!parseInt(v, 1, 86400, n)) {
                std::fprintf(stderr, "pbi-sandbox: --token-lifetime must be 1 to 86400 seconds, not '%s'\n", v);
                return 2;
            }
            options.tokenLifetimeSeconds = int(n);
        } else if (arg == "--device-code-interval" || arg == "--device-code-lifetime") {
            const bool interval = arg == "--device-code-interval";
            const char* v = value(arg.c_str());
            if (!parseInt(v, interval ? 0 : 1, 3600, n)) {
                std::fprintf(stderr, "pbi-sandbox: %s must be %d to 3600 seconds, not '%s'\n",
                             arg.c_str(), interval ? 0 : 1, v);
                return 2;
            }
            (interval ? options.deviceCodeIntervalSeconds : options.deviceCodeLifetimeSeconds) = int(n);
        } else if (arg == "--fault" || arg == "--latency") {
            const char* v = value(arg.c_str());
            try {
                if (arg == "--fault")
                    options.faults.push_back(pbi::sandbox::Faults::faultFromSpec(v));
                else
                    options.latency.push_back(pbi::sandbox::Faults::latencyFromSpec(v));
            } catch (const std::invalid_argument& e) {
                std::fprintf(stderr, "pbi-sandbox: %s: %s\n", arg.c_str(), e.what());
                return 2;
            }
        } else if (arg == "--fault-seed") {
            const char* v = value("--fault-seed");
            if (!parseInt(v, 0, 0x7fffffffL, n)) {
                std::fprintf(stderr, "pbi-sandbox: --fault-seed must be a non-negative number, not '%s'\n", v);
                return 2;
            }
            options.faultSeed = std::uint64_t(n);
        } else if (arg == "--time-scale") {
            const char* v = value("--time-scale");
            char* end = nullptr;
            const double x = std::strtod(v, &end);
            if (!end || *end != '\0' || !(x >= 0) || x > 1000000) {
                std::fprintf(stderr, "pbi-sandbox: --time-scale must be a number from 0 to 1000000, not '%s'\n", v);
                return 2;
            }
            options.timeScale = x;
        } else if (arg == "--refresh-duration" || arg == "--refresh-visibility-delay") {
            const bool duration = arg == "--refresh-duration";
            const char* v = value(arg.c_str());
            if (!parseInt(v, duration ? 1 : 0, 7L * 24 * 3600 * 1000, n)) {
                std::fprintf(stderr, "pbi-sandbox: %s must be %d to 604800000 milliseconds, not '%s'\n",
                             arg.c_str(), duration ? 1 : 0, v);
                return 2;
            }
            (duration ? options.refreshDurationMs : options.refreshVisibilityDelayMs) = n;
        } else if (arg == "--no-refresh-schedules") {
            options.refreshSchedules = false;
        } else if (const int rc = tenantArgs.parse(arg, [&] { return value(arg.c_str()); }); rc >= 0) {
            if (rc != 0)
                return rc;
        } else {
            std::fprintf(stderr, "pbi-sandbox: unknown option '%s'\n\n", arg.c_str());
            usage(stderr);
            return 2;
        }
    }

    // Block the stop signals before the server's threads start, then wait for one here.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    if (tenantArgs.listRoutes) {
        pbi::sandbox::TenantCommandLine::printRoutes();
        return 0;
    }
    std::string tenantError;
    auto tenant = tenantArgs.build(std::uint64_t(seed), &tenantError);
    if (!tenant) {
        std::fprintf(stderr, "pbi-sandbox: %s\n", tenantError.c_str());
        return 2;
    }
    if (const int rc = tenantArgs.beforeServing(*tenant); rc >= 0)
        return rc;
    options.throttleScale = tenantArgs.throttleScale;
    options.refreshSeed = std::uint64_t(seed);
    if (!options.allowRemote && !pbi::sandbox::isLoopbackHost(options.host)) {
        std::fprintf(stderr, "pbi-sandbox: refusing to listen on %s: it is not a loopback address, "
                             "and the sandbox's secrets and passwords are published. Add "
                             "--allow-remote to listen there anyway.\n",
                     options.host.c_str());
        return 2;
    }
    std::string tlsNote;
    if (const int rc = setUpTls(options, tlsCert, tlsKey, tlsCaFile, tlsNote); rc != 0)
        return rc;
    pbi::sandbox::Sandbox sandbox(std::move(*tenant), options);
    std::string error;
    if (!sandbox.start(&error)) {
        std::fprintf(stderr, "pbi-sandbox: %s\n", error.c_str());
        return 1;
    }
    std::printf("PBI Console sandbox tenant listening on %s\n"
                "  authority:  %s/%s\n"
                "  API base:   %s/v1.0/myorg\n"
                "  tenant:     %s (%s)\n"
                "  app:        client id %s, secret %s\n"
                "              (or the certificate from --write-demo-certificate)\n"
                "  public app: client id %s (device code, sign-in page)\n"
                "  users:      admin@%s and others, password %s\n"
                "  devices:    %s/sandbox/devicelogin\n"
                "  (all identities: docs/sandbox-identities.md)\n"
                "%s"
                "Press Ctrl+C to stop.\n",
                sandbox.baseUrl().c_str(), sandbox.baseUrl().c_str(), pbi::sandbox::demo::kTenantId,
                sandbox.baseUrl().c_str(), pbi::sandbox::demo::kTenantId,
                pbi::sandbox::demo::kTenantDomain, pbi::sandbox::demo::kAppClientId,
                pbi::sandbox::demo::kAppSecret, pbi::sandbox::demo::kPublicClientId,
                pbi::sandbox::demo::kTenantDomain, pbi::sandbox::demo::kUserPassword,
                sandbox.baseUrl().c_str(), tlsNote.c_str());
    std::fflush(stdout);
    int sig = 0;
    sigwait(&signals, &sig);
    sandbox.stop();
    return 0;
}
