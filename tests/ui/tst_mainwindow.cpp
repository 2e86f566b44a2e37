// The main window driven through its real widgets, against the sandbox over loopback.

#include "SandboxFixture.h"

#include "ErrorBanner.h"
#include "MainWindow.h"
#include "WorkspaceTreeModel.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QTreeView>

class TestMainWindow : public QObject {
    Q_OBJECT

    struct Rig {
        explicit Rig(const QString& secret)
            : credential(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                         secret.isNull() ? f.clientSecret() : secret)
            , client(&f.transport, &credential, f.cloud())
            , window(&client, {QStringLiteral("Sandbox tenant"), QStringLiteral("local emulator"),
                               QColor(0x1b, 0x6e, 0x6a), true})
        {
            tester = std::make_unique<QAbstractItemModelTester>(
                window.workspaceModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            window.show();
        }
        bool load()
        {
            QSignalSpy done(&window, &pbi::ui::MainWindow::loadFinished);
            window.reload();
            return done.wait(15000) && done.at(0).at(0).toBool();
        }
        SandboxFixture f;
        pbi::ClientSecretCredential credential;
        pbi::PowerBiClient client;
        pbi::ui::MainWindow window;
        std::unique_ptr<QAbstractItemModelTester> tester;
    };

private Q_SLOTS:
    void showsTheSandboxWorkspaces()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        QVERIFY(rig.window.tree()->model()->rowCount() > 10);
        QVERIFY(rig.window.errorBanner()->isHidden());
        auto* band = rig.window.findChild<QLabel*>(QStringLiteral("environmentBand"));
        QVERIFY(band && band->isVisible());
        QVERIFY(band->text().contains(QStringLiteral("Sandbox tenant")));
        auto* status = rig.window.findChild<QLabel*>(QStringLiteral("statusText"));
        QVERIFY(status->text().contains(QStringLiteral("workspace")));
        // Sorted by name, and the names are the sandbox's.
        const QString first = rig.window.tree()->model()->index(0, 0).data().toString();
        QCOMPARE(first, QStringLiteral("Customer Success [Prod]"));
    }

    void wrongSecretShowsEntraIdsError()
    {
        Rig rig{QStringLiteral("definitely-not-the-secret")};
        QVERIFY(!rig.load());
        auto* banner = rig.window.errorBanner();
        QVERIFY(banner->isVisible());
        auto* details = banner->findChild<QLabel*>(QStringLiteral("errorDetails"));
        QVERIFY(details);
        const QString text = details->text();
        QVERIFY2(text.contains(QStringLiteral("Invalid client secret provided")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("invalid_client")));
        QVERIFY(text.contains(QStringLiteral("AADSTS7000215")));
        QVERIFY(text.contains(QStringLiteral("Request id: ")));
        QVERIFY(text.contains(QStringLiteral("Likely fix: ")));
        QVERIFY(!text.contains(QStringLiteral("definitely-not-the-secret")));
        QCOMPARE(rig.window.tree()->model()->rowCount(), 0);
        auto* status = rig.window.findChild<QLabel*>(QStringLiteral("statusText"));
        QVERIFY(status->text().startsWith(QStringLiteral("Failed")));
    }

    void filterByTyping()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        QTest::keyClick(&rig.window, Qt::Key_F, Qt::ControlModifier);
        auto* filter = rig.window.findChild<QLineEdit*>(QStringLiteral("filterEdit"));
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("finance"));
        QCOMPARE(rig.window.tree()->model()->rowCount(), 3);
        for (int row = 0; row < 3; ++row)
            QVERIFY(rig.window.tree()->model()->index(row, 0).data().toString().startsWith(QStringLiteral("Finance")));
        filter->clear();
        QVERIFY(rig.window.tree()->model()->rowCount() > 10);
    }

    void f5Reloads()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        const std::size_t before = rig.f.log.entries().size();
        QSignalSpy done(&rig.window, &pbi::ui::MainWindow::loadFinished);
        QTest::keyClick(&rig.window, Qt::Key_F5);
        QVERIFY(done.wait(10000));
        QCOMPARE(rig.f.log.entries().size(), before + 1); // cached token: one API call
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
