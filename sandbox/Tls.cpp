#include "Tls.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/buffer.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>

namespace pbi::sandbox {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Name = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;

bool fail(std::string* error, std::string message)
{
    if (error)
        *error = std::move(message);
    return false;
}

/// `what`, with the reason OpenSSL queued first; the queue is left empty.
std::string openSslError(const std::string& what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return what;
    char reason[256];
    ERR_error_string_n(code, reason, sizeof reason);
    return what + " (" + reason + ")";
}

Bio memoryBio(const std::string& text)
{
    return Bio(BIO_new_mem_buf(text.data(), int(text.size())));
}

std::string bioText(BIO* bio)
{
    BUF_MEM* mem = nullptr;
    BIO_get_mem_ptr(bio, &mem);
    return mem ? std::string(mem->data, mem->length) : std::string();
}

/// Never ask for a pass phrase: OpenSSL's default would prompt on the terminal.
int noPassPhrase(char*, int, int, void*)
{
    return 0;
}

struct ParsedIdentity {
    std::vector<Cert> chain;
    Key key;
};

std::optional<ParsedIdentity> parseIdentity(const TlsIdentity& identity,
                                            const std::string& certName, const std::string& keyName,
                                            std::string* error)
{
    ERR_clear_error();
    ParsedIdentity out;
    Bio certs = memoryBio(identity.certificateChainPem);
    while (X509* c =
               certs ? PEM_read_bio_X509(certs.get(), nullptr, noPassPhrase, nullptr) : nullptr)
        out.chain.emplace_back(c);
    ERR_clear_error(); // the read past the last certificate always queues "no start line"
    if (out.chain.empty()) {
        fail(error, certName + " holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")");
        return std::nullopt;
    }
    Bio key = memoryBio(identity.privateKeyPem);
    out.key.reset(key ? PEM_read_bio_PrivateKey(key.get(), nullptr, noPassPhrase, nullptr)
                      : nullptr);
    if (!out.key) {
        if (identity.privateKeyPem.find("ENCRYPTED") != std::string::npos)
            fail(error, keyName +
                            " is protected by a pass phrase; give the sandbox an unencrypted key "
                            "(openssl pkey -in KEY -out PLAIN)");
        else
            fail(error, keyName + " holds no PEM private key (\"-----BEGIN PRIVATE KEY-----\")");
        ERR_clear_error();
        return std::nullopt;
    }
    if (X509_check_private_key(out.chain.front().get(), out.key.get()) != 1) {
        ERR_clear_error();
        fail(error, "the private key in " + keyName + " does not belong to the certificate in " +
                        certName);
        return std::nullopt;
    }
    return out;
}

std::string toPem(X509* cert)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return bioText(bio.get());
}

std::string toPem(EVP_PKEY* key)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bioText(bio.get());
}

Key newKey()
{
    // P-256: every TLS client takes it, and it is generated in well under a millisecond.
    return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

bool addExtension(X509* cert, X509* issuer, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

/// A certificate for `key`, signed by `issuerKey` (`issuer`'s, or its own when issuer is null).
Cert makeCertificate(const std::string& commonName, EVP_PKEY* key, X509* issuer,
                     EVP_PKEY* issuerKey, int validityDays,
                     const std::vector<std::pair<int, std::string>>& extensions, std::string* error)
{
    Cert cert(X509_new());
    Name name(X509_NAME_new());
    auto addEntry = [&](const char* field, const std::string& value) {
        return X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                          -1, 0) == 1;
    };
    X509_NAME* issuerName = issuer ? X509_get_subject_name(issuer) : name.get();
    const bool built = cert && name && X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
                       addEntry("O", "PBI Console sandbox") && addEntry("CN", commonName) &&
                       X509_set_subject_name(cert.get(), name.get()) == 1 &&
                       X509_set_issuer_name(cert.get(), issuerName) == 1 &&
                       X509_set_pubkey(cert.get(), key) == 1;
    if (!built) {
        fail(error, openSslError("cannot build the certificate '" + commonName + "'"));
        return {};
    }
    // A random positive serial, as RFC 5280 asks of a CA: unique per issuer.
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) {
        fail(error, openSslError("cannot draw a serial number"));
        return {};
    }
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serialSet = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    // Valid from five minutes ago, for a client whose clock runs a little behind.
    if (!serialSet || !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(validityDays) * 86400)) {
        fail(error, openSslError("cannot set the serial number and validity"));
        return {};
    }
    for (const auto& [nid, value] : extensions) {
        if (!addExtension(cert.get(), issuer ? issuer : cert.get(), nid, value)) {
            fail(error, openSslError("cannot add the extension '" + value + "'"));
            return {};
        }
    }
    if (X509_sign(cert.get(), issuerKey, EVP_sha256()) <= 0) {
        fail(error, openSslError("cannot sign the certificate '" + commonName + "'"));
        return {};
    }
    return cert;
}

std::string utcText(const ASN1_TIME* time)
{
    std::tm tm{};
    if (ASN1_TIME_to_tm(time, &tm) != 1)
        return {};
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buffer;
}

enum class HostKind { Dns, Ipv4, Ipv6, Unusable };

HostKind hostKind(const std::string& host)
{
    in_addr v4{};
    in6_addr v6{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
        return v4.s_addr == 0 ? HostKind::Unusable : HostKind::Ipv4;
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
        return IN6_IS_ADDR_UNSPECIFIED(&v6) ? HostKind::Unusable : HostKind::Ipv6;
    if (host.empty() || host.size() > 253)
        return HostKind::Unusable;
    for (char c : host)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-')
            return HostKind::Unusable;
    return HostKind::Dns;
}

} // namespace

std::optional<GeneratedTls> generateTls(const std::vector<std::string>& extraHosts,
                                        int validityDays, std::string* error)
{
    ERR_clear_error();
    if (validityDays < 1 || validityDays > 3650) {
        fail(error, "a generated certificate lives 1 to 3650 days");
        return std::nullopt;
    }
    // Loopback names always; the extra ones when the sandbox listens elsewhere (--allow-remote).
    std::string subjectAltNames = "DNS:localhost,IP:127.0.0.1,IP:::1";
    std::string permitted = "critical,permitted;DNS:localhost,permitted;IP:127.0.0.0/255.0.0.0,"
                            "permitted;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
    for (const std::string& host : extraHosts) {
        if (host == "localhost" || host == "127.0.0.1" || host == "::1")
            continue;
        switch (hostKind(host)) {
        case HostKind::Dns:
            subjectAltNames += ",DNS:" + host;
            permitted += ",permitted;DNS:" + host;
            break;
        case HostKind::Ipv4:
            subjectAltNames += ",IP:" + host;
            permitted += ",permitted;IP:" + host + "/255.255.255.255";
            break;
        case HostKind::Ipv6:
            subjectAltNames += ",IP:" + host;
            permitted += ",permitted;IP:" + host + "/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
            break;
        case HostKind::Unusable:
            // "Any address" (0.0.0.0, ::) is no name a client connects to.
            break;
        }
    }

    Key caKey = newKey();
    Key serverKey = newKey();
    if (!caKey || !serverKey) {
        fail(error, openSslError("cannot generate a P-256 key"));
        return std::nullopt;
    }
    // The CA signs exactly one certificate, for exactly these names.
    Cert ca =
        makeCertificate("PBI Console sandbox CA", caKey.get(), nullptr, caKey.get(), validityDays,
                        {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                         {NID_key_usage, "critical,keyCertSign,cRLSign"},
                         {NID_subject_key_identifier, "hash"},
                         {NID_name_constraints, permitted}},
                        error);
    if (!ca)
        return std::nullopt;
    Cert server = makeCertificate("localhost", serverKey.get(), ca.get(), caKey.get(), validityDays,
                                  {{NID_basic_constraints, "critical,CA:FALSE"},
                                   {NID_key_usage, "critical,digitalSignature"},
                                   {NID_ext_key_usage, "serverAuth"},
                                   {NID_subject_key_identifier, "hash"},
                                   {NID_authority_key_identifier, "keyid:always"},
                                   {NID_subject_alt_name, subjectAltNames}},
                                  error);
    if (!server)
        return std::nullopt;

    GeneratedTls out;
    out.server.certificateChainPem = toPem(server.get());
    out.server.privateKeyPem = toPem(serverKey.get());
    out.caCertificatePem = toPem(ca.get());
    out.notAfter = utcText(X509_get0_notAfter(server.get()));
    if (out.server.certificateChainPem.empty() || out.server.privateKeyPem.empty() ||
        out.caCertificatePem.empty()) {
        fail(error, openSslError("cannot write the generated certificates as PEM"));
        return std::nullopt;
    }
    return out;
}

std::optional<TlsIdentity> readTlsIdentity(const std::string& certificateFile,
                                           const std::string& keyFile, std::string* error)
{
    auto read = [&](const std::string& path, std::string& out) {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return fail(error, "cannot read '" + path + "': " + std::strerror(errno));
        std::ostringstream text;
        text << in.rdbuf();
        out = text.str();
        return true;
    };
    TlsIdentity identity;
    if (!read(certificateFile, identity.certificateChainPem) ||
        !read(keyFile, identity.privateKeyPem))
        return std::nullopt;
    if (!parseIdentity(identity, "'" + certificateFile + "'", "'" + keyFile + "'", error))
        return std::nullopt;
    return identity;
}

bool configureServerContext(ssl_ctx_st* context, const TlsIdentity& identity, std::string* error)
{
    auto parsed = parseIdentity(identity, "the TLS certificate", "the TLS key", error);
    if (!parsed)
        return false;
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate(context, parsed->chain.front().get()) != 1)
        return fail(error, openSslError("the TLS certificate is not usable"));
    for (std::size_t i = 1; i < parsed->chain.size(); ++i)
        if (SSL_CTX_add1_chain_cert(context, parsed->chain[i].get()) != 1)
            return fail(error, openSslError("certificate " + std::to_string(i + 1) +
                                            " of the TLS chain is not usable"));
    if (SSL_CTX_use_PrivateKey(context, parsed->key.get()) != 1 ||
        SSL_CTX_check_private_key(context) != 1)
        return fail(error, openSslError("the TLS key is not usable"));
    return true;
}

bool writeFileAtomically(const std::string& path, const std::string& text, std::string* error)
{
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out || !(out << text) || !out.flush()) {
            const std::string why = std::strerror(errno);
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            return fail(error, "cannot write '" + path + "': " + why);
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        return fail(error, "cannot write '" + path + "': " + ec.message());
    }
    return true;
}

} // namespace pbi::sandbox
