// pbi-sandbox: the sandbox tenant as a standalone server.

#include "Sandbox.h"
#include "Tenant.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void usage(FILE* out)
{
    std::fputs("Usage: pbi-sandbox [--host ADDRESS] [--port N] [--seed N] [--token-lifetime SECONDS]\n"
               "\n"
               "Runs the PBI Console sandbox tenant: a local emulator of Entra ID and the\n"
               "Power BI REST API, on loopback.\n"
               "\n"
               "  --host ADDRESS           address to listen on (default 127.0.0.1)\n"
               "  --port N                 port (default 0: any free port, printed at start)\n"
               "  --seed N                 seed of the generated ids (default 7)\n"
               "  --token-lifetime SECONDS access-token lifetime (default: 60-90 min at random)\n"
               "  -h, --help               this text\n",
               out);
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

} // namespace

int main(int argc, char** argv)
{
    pbi::sandbox::SandboxOptions options;
    long seed = 7;
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
        } else if (arg == "--token-lifetime") {
            const char* v = value("--token-lifetime");
            if (!parseInt(v, 1, 86400, n)) {
                std::fprintf(stderr, "pbi-sandbox: --token-lifetime must be 1 to 86400 seconds, not '%s'\n", v);
                return 2;
            }
            options.tokenLifetimeSeconds = int(n);
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

    pbi::sandbox::Sandbox sandbox(pbi::sandbox::makeDemoTenant(std::uint64_t(seed)), options);
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
                "Press Ctrl+C to stop.\n",
                sandbox.baseUrl().c_str(), sandbox.baseUrl().c_str(), pbi::sandbox::demo::kTenantId,
                sandbox.baseUrl().c_str(), pbi::sandbox::demo::kTenantId,
                pbi::sandbox::demo::kTenantDomain, pbi::sandbox::demo::kAppClientId,
                pbi::sandbox::demo::kAppSecret);
    std::fflush(stdout);
    int sig = 0;
    sigwait(&signals, &sig);
    sandbox.stop();
    return 0;
}
