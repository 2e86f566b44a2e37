#include "ModelObjectPicker.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pbi::ui {

namespace {

constexpr int kTypedRole = Qt::UserRole + 1; ///< the service never named it; the user typed it
/// On a table: the table itself was ticked, so it is sent whole. Ticking each listed partition
/// is not the same: the list holds only the partitions recent refreshes named, and a whole
/// table refresh would also process the ones not listed (old incremental partitions).
constexpr int kWholeRole = Qt::UserRole + 2;

bool sameName(const QString& a, const QString& b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

ModelObjectPicker::ModelObjectPicker(const pbi::refresh::ModelObjects& known,
                                     const std::vector<pbi::RefreshObject>& current, QWidget* parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_tree(new QTreeWidget(this))
    , m_count(new QLabel(this))
{
    setObjectName(QStringLiteral("modelObjectPicker"));
    setWindowTitle(tr("Pick tables and partitions"));
    resize(460, 480);

    m_filter->setObjectName(QStringLiteral("pickerFilter"));
    m_filter->setPlaceholderText(tr("Filter by table or partition name"));
    m_filter->setClearButtonEnabled(true);
    m_tree->setObjectName(QStringLiteral("pickerTree"));
    m_tree->setHeaderLabels({tr("Table / partition"), tr("Known from")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    m_count->setObjectName(QStringLiteral("pickerCount"));

    const QString seen = known.fromScanner && known.fromRefreshAt ? tr("scanner, refresh")
                         : known.fromScanner                     ? tr("scanner")
                                                                 : tr("refresh details");
    for (const auto& t : known.tables) {
        QTreeWidgetItem* item = tableItem(t.name, true, t.hidden);
        const QString from = t.partitions.isEmpty() && known.fromScanner ? tr("scanner") : seen;
        item->setText(1, t.hidden ? tr("%1 (hidden)").arg(from) : from);
        for (const QString& p : t.partitions) {
            auto* child = new QTreeWidgetItem(item, {p, tr("refresh details")});
            child->setFlags(child->flags() | Qt::ItemIsUserCheckable);
            child->setCheckState(0, Qt::Unchecked);
        }
    }
    // Check what the form already holds; keep typed names the service never showed.
    for (const auto& o : current) {
        if (o.table.isEmpty())
            continue;
        QTreeWidgetItem* table = nullptr;
        for (int i = 0; i < m_tree->topLevelItemCount() && !table; ++i)
            if (sameName(m_tree->topLevelItem(i)->text(0), o.table))
                table = m_tree->topLevelItem(i);
        if (!table)
            table = tableItem(o.table, false, false);
        if (o.partition.isEmpty()) {
            table->setCheckState(0, Qt::Checked);
            table->setData(0, kWholeRole, true);
            continue;
        }
        QTreeWidgetItem* partition = nullptr;
        for (int i = 0; i < table->childCount() && !partition; ++i)
            if (sameName(table->child(i)->text(0), o.partition))
                partition = table->child(i);
        if (!partition) {
            partition = new QTreeWidgetItem(table, {o.partition, tr("typed by you")});
            partition->setFlags(partition->flags() | Qt::ItemIsUserCheckable);
            partition->setData(0, kTypedRole, true);
        }
        partition->setCheckState(0, Qt::Checked);
    }
    m_tree->expandAll();

    auto* hint = new QLabel(
        tr("Nothing checked sends the whole model. Ticking a table sends the whole table, with "
           "partitions not listed here; ticking partitions sends just those."),
        this);
    hint->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Use selection"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("pickerOk"));
    auto* clear = buttons->addButton(tr("C&lear"), QDialogButtonBox::ResetRole);
    clear->setObjectName(QStringLiteral("pickerClear"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_count);
    layout->addWidget(hint);
    layout->addWidget(buttons);

    connect(m_filter, &QLineEdit::textChanged, this, &ModelObjectPicker::applyFilter);
    connect(m_tree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item, int column) {
        if (column != 0)
            return;
        const QSignalBlocker block(m_tree);
        if (!item->parent()) {
            // A table ticked or unticked: the whole table, its partitions follow.
            if (item->checkState(0) != Qt::PartiallyChecked)
                for (int i = 0; i < item->childCount(); ++i)
                    item->child(i)->setCheckState(0, item->checkState(0));
            item->setData(0, kWholeRole, item->checkState(0) == Qt::Checked);
        } else {
            QTreeWidgetItem* table = item->parent();
            table->setData(0, kWholeRole, false);
            int checked = 0;
            for (int i = 0; i < table->childCount(); ++i)
                checked += table->child(i)->checkState(0) == Qt::Checked ? 1 : 0;
            table->setCheckState(0, checked == 0                       ? Qt::Unchecked
                                    : checked == table->childCount() ? Qt::Checked
                                                                       : Qt::PartiallyChecked);
        }
        updateCount();
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        const QSignalBlocker block(m_tree);
        for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem* t = m_tree->topLevelItem(i);
            t->setCheckState(0, Qt::Unchecked);
            t->setData(0, kWholeRole, false);
            for (int j = 0; j < t->childCount(); ++j)
                t->child(j)->setCheckState(0, Qt::Unchecked);
        }
        updateCount();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Tables checked from the form but with partitions listed: reflect on the children.
    {
        const QSignalBlocker block(m_tree);
        for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem* t = m_tree->topLevelItem(i);
            if (t->checkState(0) == Qt::Checked) {
                for (int j = 0; j < t->childCount(); ++j)
                    t->child(j)->setCheckState(0, Qt::Checked);
            } else if (t->childCount() > 0) {
                int checked = 0;
                for (int j = 0; j < t->childCount(); ++j)
                    checked += t->child(j)->checkState(0) == Qt::Checked ? 1 : 0;
                if (checked > 0)
                    t->setCheckState(0, checked == t->childCount() ? Qt::Checked : Qt::PartiallyChecked);
            }
        }
    }
    updateCount();
    m_filter->setFocus();
}

QTreeWidgetItem* ModelObjectPicker::tableItem(const QString& name, bool known, bool hidden)
{
    auto* item = new QTreeWidgetItem(m_tree, {name, known ? QString() : tr("typed by you")});
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(0, Qt::Unchecked);
    if (!known)
        item->setData(0, kTypedRole, true);
    if (hidden)
        item->setToolTip(0, tr("Hidden in the model; it can still be refreshed."));
    return item;
}

std::vector<pbi::RefreshObject> ModelObjectPicker::selection() const
{
    std::vector<pbi::RefreshObject> out;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* t = m_tree->topLevelItem(i);
        const bool whole = t->data(0, kWholeRole).toBool() || t->childCount() == 0;
        if (t->checkState(0) == Qt::Checked && whole) {
            out.push_back({t->text(0), {}});
            continue;
        }
        for (int j = 0; j < t->childCount(); ++j)
            if (t->child(j)->checkState(0) == Qt::Checked)
                out.push_back({t->text(0), t->child(j)->text(0)});
    }
    return out;
}

void ModelObjectPicker::applyFilter(const QString& text)
{
    const QString needle = text.trimmed();
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* t = m_tree->topLevelItem(i);
        const bool tableMatches = needle.isEmpty() || t->text(0).contains(needle, Qt::CaseInsensitive);
        bool anyChild = false;
        for (int j = 0; j < t->childCount(); ++j) {
            const bool match = tableMatches || t->child(j)->text(0).contains(needle, Qt::CaseInsensitive);
            t->child(j)->setHidden(!match);
            anyChild = anyChild || match;
        }
        t->setHidden(!tableMatches && !anyChild);
    }
}

void ModelObjectPicker::updateCount()
{
    const auto picked = selection();
    int tables = 0;
    for (const auto& o : picked)
        tables += o.partition.isEmpty() ? 1 : 0;
    const int partitions = int(picked.size()) - tables;
    m_count->setText(picked.empty()
                         ? tr("Nothing checked: the whole model.")
                         : tr("%1 whole table(s), %2 partition(s).").arg(tables).arg(partitions));
}

} // namespace pbi::ui
