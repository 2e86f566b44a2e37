#pragma once

// Runs pbictl as a user or a pipeline does: a separate process with its own configuration
// directory, output parsed back, exit code kept. Shared by the pbictl suites.

#include "SandboxFixture.h"

#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

struct PbictlRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    nlohmann::json json() const { return nlohmann::json::parse(out.toStdString(), nullptr, false); }
};

class PbictlRunner {
public:
    QString configFile() const { return m_home.filePath(QStringLiteral(".config/PBI Console/PBI Console.conf")); }

    PbictlRun run(const QStringList& args, const QByteArray& input = {}, const QStringList& extraEnv = {},
                  int timeoutMs = 60000) const
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral(".config")));
        env.remove(QStringLiteral("PBI_CLIENT_SECRET"));
        env.remove(QStringLiteral("PBICTL_PROFILE"));
        for (const QString& kv : extraEnv)
            env.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PBICTL), args);
        if (!input.isNull())
            p.write(input);
        p.closeWriteChannel();
        PbictlRun r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(5000);
            return r;
        }
        r.exitCode = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    /// A saved connection that points at `fixture`'s sandbox through a custom cloud (in the
    /// fixture's environment unless one is given).
    QString saveProfile(const SandboxFixture& fixture, const QString& name,
                        std::optional<pbi::Environment> environment = std::nullopt) const
    {
        QSettings settings(configFile(), QSettings::IniFormat);
        pbi::MemorySecretStore secrets;
        pbi::ProfileStore store(&settings, &secrets);
        pbi::ConnectionProfile p = fixture.profile(name);
        if (environment)
            p.environment = *environment;
        const QString id = store.save(p).value().id;
        settings.sync();
        return id;
    }

    /// A file in the runner's private home, e.g. for snapshots.
    QString filePath(const QString& name) const { return m_home.filePath(name); }

    void forgetProfiles() const { QFile::remove(configFile()); }

private:
    QTemporaryDir m_home;
};
