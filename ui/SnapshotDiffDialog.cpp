#include "SnapshotDiffDialog.h"

#include "DialogSeam.h"
#include "SnapshotDiffModel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace pbi::ui {

namespace {

QString describe(const pbi::InventorySnapshot& s, const QString& file)
{
    int items = 0;
    for (const auto& w : s.workspaces)
        items +=
            int(w.reports.size() + w.datasets.size() + w.dashboards.size() + w.dataflows.size());
    return SnapshotDiffDialog::tr("<b>%1</b> — %2, %3 scope, taken %4 · %5 workspaces, %6 items")
        .arg(file.toHtmlEscaped(),
             (s.connection.isEmpty() ? SnapshotDiffDialog::tr("unnamed connection") : s.connection)
                 .toHtmlEscaped(),
             s.scope.isEmpty() ? SnapshotDiffDialog::tr("unknown") : s.scope.toHtmlEscaped(),
             s.takenAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
        .arg(s.workspaces.size())
        .arg(items);
}

} // namespace

SnapshotDiffDialog::SnapshotDiffDialog(const pbi::InventorySnapshot& before,
                                       const QString& beforeName,
                                       const pbi::InventorySnapshot& after,
                                       const QString& afterName, DialogSeam* dialogs,
                                       QWidget* parent)
    : QDialog(parent)
    , m_dialogs(dialogs)
    , m_ownDialogs(dialogs ? nullptr : std::make_unique<WidgetDialogs>())
    , m_model(new SnapshotDiffModel(this))
    , m_proxy(new SnapshotDiffProxy(this))
    , m_sources(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_text(new QLineEdit(this))
    , m_change(new QComboBox(this))
    , m_kind(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_shown(new QLabel(this))
    , m_export(new QPushButton(tr("&Export CSV…"), this))
{
    if (!m_dialogs)
        m_dialogs = m_ownDialogs.get();
    setObjectName(QStringLiteral("snapshotDiffDialog"));
    setWindowTitle(tr("Compare snapshots — %1 → %2").arg(beforeName, afterName));
    resize(1100, 640);

    auto changes = pbi::Snapshot::diff(before, after);
    int added = 0, removed = 0, changed = 0;
    QStringList kinds;
    for (const auto& c : changes) {
        added += c.kind == pbi::InventoryChange::Kind::Added;
        removed += c.kind == pbi::InventoryChange::Kind::Removed;
        changed += c.kind == pbi::InventoryChange::Kind::Changed;
        if (!kinds.contains(c.itemKind))
            kinds << c.itemKind;
    }
    m_model->setChanges(std::move(changes));
    m_proxy->setDiffModel(m_model);

    m_sources->setObjectName(QStringLiteral("diffSources"));
    m_sources->setTextFormat(Qt::RichText);
    m_sources->setWordWrap(true);
    m_sources->setText(tr("Before: %1<br>After: %2")
                           .arg(describe(before, beforeName), describe(after, afterName)));
    m_summary->setObjectName(QStringLiteral("diffSummary"));
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_summary->setText(
        m_model->rowCount() == 0
            ? tr("No differences: both snapshots hold the same workspaces, items and roles.")
            : tr("%1 added · %2 removed · %3 changed").arg(added).arg(removed).arg(changed));

    m_text->setObjectName(QStringLiteral("diffFilter"));
    m_text->setPlaceholderText(tr("Filter by name, workspace, id or what changed"));
    m_text->setClearButtonEnabled(true);
    m_change->setObjectName(QStringLiteral("diffChangeFilter"));
    m_change->addItem(tr("All changes"), -1);
    m_change->addItem(tr("Added"), int(pbi::InventoryChange::Kind::Added));
    m_change->addItem(tr("Removed"), int(pbi::InventoryChange::Kind::Removed));
    m_change->addItem(tr("Changed"), int(pbi::InventoryChange::Kind::Changed));
    m_kind->setObjectName(QStringLiteral("diffKindFilter"));
    m_kind->addItem(tr("All kinds"), QString());
    std::sort(kinds.begin(), kinds.end());
    for (const QString& k : kinds)
        m_kind->addItem(k, k);

    m_table->setObjectName(QStringLiteral("diffTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SnapshotDiffModel::ChangeColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(SnapshotDiffModel::DetailsColumn,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->resizeSection(SnapshotDiffModel::ChangeColumn, 90);
    m_table->horizontalHeader()->resizeSection(SnapshotDiffModel::KindColumn, 140);
    m_table->horizontalHeader()->resizeSection(SnapshotDiffModel::WorkspaceColumn, 190);
    m_table->horizontalHeader()->resizeSection(SnapshotDiffModel::NameColumn, 200);
    m_table->horizontalHeader()->resizeSection(SnapshotDiffModel::IdColumn, 120);
    m_table->setWordWrap(false);

    m_details->setObjectName(QStringLiteral("diffDetails"));
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a row to see everything that changed."));
    m_shown->setObjectName(QStringLiteral("diffShown"));

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_text, 1);
    filters->addWidget(m_change);
    filters->addWidget(m_kind);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    split->setSizes({460, 90});
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_export, QDialogButtonBox::ActionRole);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_shown, 1);
    bottom->addWidget(buttons);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_sources);
    layout->addWidget(m_summary);
    layout->addLayout(filters);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);

    connect(m_text, &QLineEdit::textChanged, this, &SnapshotDiffDialog::applyFilter);
    connect(m_change, &QComboBox::currentIndexChanged, this, &SnapshotDiffDialog::applyFilter);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &SnapshotDiffDialog::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SnapshotDiffDialog::showCurrent);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path =
            m_dialogs->saveFileName(this, tr("Export differences"),
                                    QStringLiteral("snapshot-diff.csv"), tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!exportCsv(path, &error))
            m_dialogs->inform(this, tr("Export differences"), error);
    });
    applyFilter();
}

SnapshotDiffDialog::~SnapshotDiffDialog() = default;

void SnapshotDiffDialog::applyFilter()
{
    m_proxy->setText(m_text->text().trimmed());
    m_proxy->setChangeKind(m_change->currentData().toInt());
    m_proxy->setItemKind(m_kind->currentData().toString());
    m_shown->setText(
        m_proxy->rowCount() == m_model->rowCount()
            ? tr("%1 differences").arg(m_model->rowCount())
            : tr("%1 of %2 differences shown").arg(m_proxy->rowCount()).arg(m_model->rowCount()));
    m_export->setEnabled(m_proxy->rowCount() > 0);
    showCurrent();
}

void SnapshotDiffDialog::showCurrent()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const pbi::InventoryChange* c = current.isValid() ? m_model->changeAt(current.row()) : nullptr;
    if (!c) {
        m_details->clear();
        return;
    }
    QStringList lines;
    lines
        << QStringLiteral("%1 %2 “%3” in %4 (id %5)")
               .arg(
                   m_model->index(current.row(), SnapshotDiffModel::ChangeColumn).data().toString(),
                   c->itemKind, c->name, c->workspace, c->id);
    for (const QString& d : c->details)
        lines << QStringLiteral("  • ") + d;
    m_details->setPlainText(lines.join(QLatin1Char('\n')));
}

QString SnapshotDiffDialog::summaryText() const
{
    return m_summary->text();
}

bool SnapshotDiffDialog::exportCsv(const QString& path, QString* error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(pbi::Snapshot::changesToCsv(m_proxy->shownChanges())) < 0 || !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace pbi::ui
