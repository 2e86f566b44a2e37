#include "TriggerRefreshDialog.h"

#include "DialogSeam.h"
#include "ErrorBanner.h"
#include "ModelObjectPicker.h"

#include "api/PowerBiClient.h"

#include <QCheckBox>
#include <QCompleter>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStringListModel>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pbi::ui {

namespace {

constexpr int kDefaultParallelism = 10; // the service's defaults: sent only when changed
constexpr int kDefaultRetries = 0;

QString problemColour(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QStringLiteral("#ff8a80")
                                                             : QStringLiteral("#b3261e");
}

/// Offers the table and partition names the service has shown while a cell is edited; any
/// other name can still be typed.
class ObjectNameDelegate : public QStyledItemDelegate {
public:
    using Source = std::function<QStringList(int row, int column)>;
    ObjectNameDelegate(Source source, QObject* parent)
        : QStyledItemDelegate(parent)
        , m_source(std::move(source))
    {
    }

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override
    {
        QWidget* editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto* line = qobject_cast<QLineEdit*>(editor)) {
            const QStringList names = m_source(index.row(), index.column());
            if (!names.isEmpty()) {
                auto* completer = new QCompleter(names, line);
                completer->setCaseSensitivity(Qt::CaseInsensitive);
                completer->setFilterMode(Qt::MatchContains);
                completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
                line->setCompleter(completer);
            }
        }
        return editor;
    }

private:
    Source m_source;
};

/// The label a problem of `field` belongs beside: "objects[2].table" → "objects".
QString fieldKey(const QString& field)
{
    if (field.startsWith(QLatin1String("objects")))
        return QStringLiteral("objects");
    return field;
}

} // namespace

TriggerRefreshDialog::TriggerRefreshDialog(Context context, QWidget* parent)
    : QDialog(parent)
    , m_context(std::move(context))
    , m_plain(new QRadioButton(tr("&Plain refresh"), this))
    , m_enhanced(new QRadioButton(tr("&Enhanced refresh"), this))
    , m_notify(new QComboBox(this))
    , m_enhancedBox(new QGroupBox(tr("Enhanced refresh"), this))
    , m_type(new QComboBox(this))
    , m_commitMode(new QComboBox(this))
    , m_maxParallelism(new QSpinBox(this))
    , m_retryCount(new QSpinBox(this))
    , m_timeout(new QLineEdit(this))
    , m_objects(new QTableWidget(0, 2, this))
    , m_addObject(new QPushButton(tr("&Add table"), this))
    , m_removeObject(new QPushButton(tr("Re&move"), this))
    , m_pick(new QPushButton(tr("P&ick…"), this))
    , m_scan(new QPushButton(tr("Look up with the &scanner"), this))
    , m_known(new QLabel(this))
    , m_applyPolicy(new QCheckBox(tr("Apply the incremental refresh &policy"), this))
    , m_useEffectiveDate(new QCheckBox(tr("E&ffective date:"), this))
    , m_effectiveDate(new QDateEdit(this))
    , m_summary(new QLabel(this))
    , m_error(new ErrorBanner(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_send(m_buttons->addButton(tr("&Send refresh"), QDialogButtonBox::AcceptRole))
{
    setObjectName(QStringLiteral("triggerRefreshDialog"));
    setWindowTitle(tr("Refresh “%1”").arg(m_context.datasetName));
    setMinimumWidth(560);

    auto* heading = new QLabel(tr("<b>%1</b> in workspace <b>%2</b><br>%3")
                                   .arg(m_context.datasetName.toHtmlEscaped(),
                                        m_context.workspaceName.toHtmlEscaped(),
                                        m_context.connection.isProduction
                                            ? tr("<span style=\"color:%1\"><b>Production</b> (%2): "
                                                 "you will be asked to confirm.</span>")
                                                  .arg(problemColour(palette()),
                                                       m_context.connection.title.toHtmlEscaped())
                                            : m_context.connection.title.toHtmlEscaped()),
                               this);
    heading->setObjectName(QStringLiteral("triggerHeading"));
    heading->setWordWrap(true);

    m_plain->setObjectName(QStringLiteral("plainRadio"));
    m_enhanced->setObjectName(QStringLiteral("enhancedRadio"));
    m_plain->setChecked(true);
    if (m_context.target.premium && !*m_context.target.premium)
        m_enhanced->setText(
            tr("&Enhanced refresh (needs Premium; this workspace is on shared capacity)"));

    m_notify->setObjectName(QStringLiteral("notifyCombo"));
    m_notify->addItem(tr("No notification"), QStringLiteral("NoNotification"));
    m_notify->addItem(tr("Mail on failure"), QStringLiteral("MailOnFailure"));
    m_notify->addItem(tr("Mail on completion"), QStringLiteral("MailOnCompletion"));
    // A service principal has no mailbox: start from the only option it may use.
    m_notify->setCurrentIndex(m_context.target.servicePrincipal ? 0 : 1);

    m_type->setObjectName(QStringLiteral("typeCombo"));
    m_type->addItem(tr("Full — reload the data and recalculate"), QStringLiteral("Full"));
    m_type->addItem(tr("Automatic — only what needs it (service default)"),
                    QStringLiteral("Automatic"));
    m_type->addItem(tr("Data only — reload without recalculating"), QStringLiteral("DataOnly"));
    m_type->addItem(tr("Calculate — recalculate without reloading"), QStringLiteral("Calculate"));
    m_type->addItem(tr("Clear values — empty the tables"), QStringLiteral("ClearValues"));
    m_type->addItem(tr("Defragment — tidy dictionaries"), QStringLiteral("Defragment"));
    m_commitMode->setObjectName(QStringLiteral("commitModeCombo"));
    m_commitMode->addItem(tr("Transactional — all or nothing (default)"),
                          QStringLiteral("Transactional"));
    m_commitMode->addItem(tr("Partial batch — commit in batches"), QStringLiteral("PartialBatch"));
    m_maxParallelism->setObjectName(QStringLiteral("maxParallelismSpin"));
    m_maxParallelism->setRange(1, 200);
    m_maxParallelism->setValue(kDefaultParallelism);
    m_retryCount->setObjectName(QStringLiteral("retryCountSpin"));
    m_retryCount->setRange(0, 20);
    m_retryCount->setValue(kDefaultRetries);
    m_timeout->setObjectName(QStringLiteral("timeoutEdit"));
    m_timeout->setPlaceholderText(tr("hh:mm:ss per attempt — empty: 05:00:00"));
    m_objects->setObjectName(QStringLiteral("objectsTable"));
    m_objects->setHorizontalHeaderLabels({tr("Table"), tr("Partition (optional)")});
    m_objects->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_objects->verticalHeader()->setDefaultSectionSize(22);
    m_objects->setMinimumHeight(96);
    m_objects->setToolTip(
        tr("No rows: the whole model. Otherwise only these tables, or partitions of them."));
    m_objects->setItemDelegate(new ObjectNameDelegate(
        [this](int row, int column) { return completionsFor(row, column); }, m_objects));
    m_addObject->setObjectName(QStringLiteral("addObjectButton"));
    m_pick->setObjectName(QStringLiteral("pickObjectsButton"));
    m_pick->setToolTip(tr("Choose from the tables and partitions the service has shown for this model."));
    m_scan->setObjectName(QStringLiteral("scanObjectsButton"));
    m_scan->setToolTip(
        tr("Ask the admin scanner for this model's tables (needs a Fabric administrator or a service "
           "principal allowed to use read-only admin APIs, and the \"detailed metadata\" tenant "
           "setting)."));
    m_known->setObjectName(QStringLiteral("knownObjectsLabel"));
    m_known->setWordWrap(true);
    m_known->setTextFormat(Qt::PlainText);
    m_removeObject->setObjectName(QStringLiteral("removeObjectButton"));
    m_applyPolicy->setObjectName(QStringLiteral("applyPolicyCheck"));
    m_applyPolicy->setChecked(true);
    m_applyPolicy->setToolTip(
        tr("Refreshing single partitions, or a partial batch, needs this off."));
    m_useEffectiveDate->setObjectName(QStringLiteral("effectiveDateCheck"));
    m_effectiveDate->setObjectName(QStringLiteral("effectiveDateEdit"));
    m_effectiveDate->setCalendarPopup(true);
    m_effectiveDate->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_effectiveDate->setDate(QDate::currentDate());
    m_effectiveDate->setEnabled(false);
    m_summary->setObjectName(QStringLiteral("requestSummary"));
    m_summary->setWordWrap(true);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setDefault(true);

    const auto withProblem = [this](QWidget* field, const QString& key) {
        auto* box = new QWidget(this);
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        v->addWidget(field);
        v->addWidget(problemLabel(key));
        return box;
    };

    auto* plainForm = new QFormLayout;
    plainForm->addRow(tr("&Notify:"), withProblem(m_notify, QStringLiteral("notifyOption")));

    auto* objectButtons = new QVBoxLayout;
    objectButtons->addWidget(m_pick);
    objectButtons->addWidget(m_addObject);
    objectButtons->addWidget(m_removeObject);
    objectButtons->addStretch();
    auto* objectsRow = new QHBoxLayout;
    objectsRow->addWidget(m_objects, 1);
    objectsRow->addLayout(objectButtons);
    auto* objectsBox = new QWidget(this);
    auto* objectsV = new QVBoxLayout(objectsBox);
    objectsV->setContentsMargins(0, 0, 0, 0);
    objectsV->addLayout(objectsRow);
    objectsV->addWidget(problemLabel(QStringLiteral("objects")));
    auto* knownRow = new QHBoxLayout;
    knownRow->addWidget(m_known, 1);
    knownRow->addWidget(m_scan, 0, Qt::AlignTop);
    objectsV->addLayout(knownRow);

    auto* dateRow = new QWidget(this);
    auto* dateH = new QHBoxLayout(dateRow);
    dateH->setContentsMargins(0, 0, 0, 0);
    dateH->addWidget(m_useEffectiveDate);
    dateH->addWidget(m_effectiveDate);
    dateH->addStretch();

    auto* enhancedForm = new QFormLayout(m_enhancedBox);
    enhancedForm->addRow(tr("&Type:"), withProblem(m_type, QStringLiteral("type")));
    enhancedForm->addRow(tr("&Commit mode:"),
                         withProblem(m_commitMode, QStringLiteral("commitMode")));
    enhancedForm->addRow(tr("Max &parallelism:"),
                         withProblem(m_maxParallelism, QStringLiteral("maxParallelism")));
    enhancedForm->addRow(tr("&Retries:"), withProblem(m_retryCount, QStringLiteral("retryCount")));
    enhancedForm->addRow(tr("T&imeout:"), withProblem(m_timeout, QStringLiteral("timeout")));
    enhancedForm->addRow(tr("Tables:"), objectsBox);
    enhancedForm->addRow(QString(),
                         withProblem(m_applyPolicy, QStringLiteral("applyRefreshPolicy")));
    enhancedForm->addRow(QString(), withProblem(dateRow, QStringLiteral("effectiveDate")));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(m_plain);
    layout->addLayout(plainForm);
    layout->addWidget(m_enhanced);
    layout->addWidget(m_enhancedBox);
    layout->addWidget(problemLabel(QString()));
    layout->addWidget(m_summary);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    const auto changed = [this] { revalidate(); };
    connect(m_plain, &QRadioButton::toggled, this, changed);
    connect(m_enhanced, &QRadioButton::toggled, this, [this](bool on) {
        if (on)
            lookUpObjects();
    });
    connect(m_pick, &QPushButton::clicked, this, [this] { openPicker(); });
    connect(m_scan, &QPushButton::clicked, this, [this] {
        if (!m_finder)
            return;
        m_scannerProblem.clear();
        m_finder->findWithScanner();
        showKnownObjects();
        updateEnabled();
    });
    connect(m_notify, &QComboBox::currentIndexChanged, this, changed);
    connect(m_type, &QComboBox::currentIndexChanged, this, changed);
    connect(m_commitMode, &QComboBox::currentIndexChanged, this, changed);
    connect(m_maxParallelism, &QSpinBox::valueChanged, this, changed);
    connect(m_retryCount, &QSpinBox::valueChanged, this, changed);
    connect(m_timeout, &QLineEdit::textChanged, this, changed);
    connect(m_objects, &QTableWidget::itemChanged, this, changed);
    connect(m_applyPolicy, &QCheckBox::toggled, this, changed);
    connect(m_useEffectiveDate, &QCheckBox::toggled, this, [this](bool on) {
        m_effectiveDate->setEnabled(on && m_enhanced->isChecked());
        revalidate();
    });
    connect(m_effectiveDate, &QDateEdit::dateChanged, this, changed);
    connect(m_addObject, &QPushButton::clicked, this, [this] {
        addObjectRow();
        m_objects->setCurrentCell(m_objects->rowCount() - 1, 0);
        m_objects->editItem(m_objects->item(m_objects->rowCount() - 1, 0));
    });
    connect(m_removeObject, &QPushButton::clicked, this, [this] {
        const int row = m_objects->currentRow();
        if (row >= 0)
            m_objects->removeRow(row);
        revalidate();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &TriggerRefreshDialog::send);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_error, &ErrorBanner::retryRequested, this, &TriggerRefreshDialog::send);
    if (m_context.client) {
        m_finder = new pbi::refresh::ModelObjectFinder(m_context.client, m_context.groupId,
                                                       m_context.datasetId, this);
        connect(m_finder, &pbi::refresh::ModelObjectFinder::refreshesSearched, this, [this] {
            showKnownObjects();
            updateEnabled();
        });
        connect(m_finder, &pbi::refresh::ModelObjectFinder::refreshesFailed, this,
                [this](const pbi::Error& e) {
                    m_refreshesProblem = tr("The refresh history could not be read: %1").arg(e.summary());
                    showKnownObjects();
                    updateEnabled();
                });
        connect(m_finder, &pbi::refresh::ModelObjectFinder::scannerSearched, this, [this] {
            showKnownObjects();
            updateEnabled();
        });
        connect(m_finder, &pbi::refresh::ModelObjectFinder::scannerFailed, this,
                [this](const pbi::Error& e) {
                    m_scannerProblem = tr("The scanner did not answer: %1").arg(e.summary());
                    if (!e.hint.isEmpty())
                        m_scannerProblem += QLatin1Char('\n') + e.hint;
                    showKnownObjects();
                    updateEnabled();
                });
    }
    showKnownObjects();
    revalidate();
}

const pbi::refresh::ModelObjects& TriggerRefreshDialog::knownObjects() const
{
    static const pbi::refresh::ModelObjects none;
    return m_finder ? m_finder->objects() : none;
}

void TriggerRefreshDialog::lookUpObjects()
{
    // Once per dialog; the scanner button asks again on demand.
    if (!m_finder || m_lookedUp)
        return;
    m_lookedUp = true;
    m_finder->findFromRefreshes();
    showKnownObjects();
    updateEnabled();
}

void TriggerRefreshDialog::showKnownObjects(const QString& problem)
{
    QStringList lines;
    const pbi::refresh::ModelObjects& known = knownObjects();
    if (!m_finder) {
        lines << tr("Type table and partition names.");
    } else if (m_finder->isBusy()) {
        lines << (m_finder->isScanning() ? tr("Asking the scanner for this model's tables…")
                                         : tr("Looking for tables in recent enhanced refreshes…"));
    } else if (!known.tables.empty()) {
        QStringList from;
        if (known.fromRefreshAt)
            from << tr("the enhanced refresh of %1")
                        .arg(QLocale().toString(known.fromRefreshAt->toLocalTime(), QLocale::ShortFormat));
        if (known.fromScanner)
            from << tr("the scanner");
        lines << tr("%1 tables and %2 partitions known, from %3. Pick them, or type any name.")
                     .arg(known.tables.size())
                     .arg(known.partitionCount())
                     .arg(from.join(tr(" and ")));
    } else if (m_lookedUp) {
        lines << tr("No tables known yet. The REST API lists a model's tables only in the details of "
                    "its enhanced refreshes and through the admin scanner; type names, or look them up "
                    "with the scanner.");
    }
    if (m_finder && m_finder->objects().fromScanner && m_finder->scannedTables() == 0)
        lines << tr("The scanner returned no tables for this model: the tenant setting \"Enhance admin "
                    "APIs responses with detailed metadata\" may be off.");
    if (!m_refreshesProblem.isEmpty())
        lines << m_refreshesProblem;
    if (!m_scannerProblem.isEmpty())
        lines << m_scannerProblem;
    if (!problem.isEmpty())
        lines << problem;
    m_known->setText(lines.join(QLatin1Char('\n')));
}

QStringList TriggerRefreshDialog::completionsFor(int row, int column) const
{
    const pbi::refresh::ModelObjects& known = knownObjects();
    if (column == 0) {
        QStringList names;
        for (const auto& t : known.tables)
            names << t.name;
        return names;
    }
    const auto* tableItem = m_objects->item(row, 0);
    const auto* t = tableItem ? known.table(tableItem->text().trimmed()) : nullptr;
    return t ? t->partitions : QStringList();
}

ModelObjectPicker* TriggerRefreshDialog::openPicker()
{
    auto* picker = new ModelObjectPicker(knownObjects(), request().objects, this);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    connect(picker, &QDialog::accepted, this, [this, picker] {
        const auto picked = picker->selection();
        {
            const QSignalBlocker block(m_objects);
            m_objects->setRowCount(0);
        }
        for (const auto& o : picked)
            addObjectRow(o.table, o.partition);
        revalidate();
    });
    picker->open();
    return picker;
}

QLabel* TriggerRefreshDialog::problemLabel(const QString& field)
{
    auto* label = new QLabel(this);
    label->setObjectName(QStringLiteral("problem_") +
                         (field.isEmpty() ? QStringLiteral("general") : field));
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(problemColour(palette())));
    label->hide();
    m_problemLabels.insert(field, label);
    return label;
}

void TriggerRefreshDialog::addObjectRow(const QString& table, const QString& partition)
{
    const QSignalBlocker block(m_objects);
    const int row = m_objects->rowCount();
    m_objects->insertRow(row);
    m_objects->setItem(row, 0, new QTableWidgetItem(table));
    m_objects->setItem(row, 1, new QTableWidgetItem(partition));
    revalidate();
}

pbi::RefreshRequest TriggerRefreshDialog::request() const
{
    pbi::RefreshRequest r;
    if (m_plain->isChecked()) {
        r.notifyOption = m_notify->currentData().toString();
        return r;
    }
    // Enhanced: the type and commit mode always (they make the request enhanced), the rest only
    // where it differs from the service's default, so the request says what the user chose.
    r.type = m_type->currentData().toString();
    r.commitMode = m_commitMode->currentData().toString();
    if (m_maxParallelism->value() != kDefaultParallelism)
        r.maxParallelism = m_maxParallelism->value();
    if (m_retryCount->value() != kDefaultRetries)
        r.retryCount = m_retryCount->value();
    if (!m_timeout->text().trimmed().isEmpty())
        r.timeout = m_timeout->text().trimmed();
    for (int row = 0; row < m_objects->rowCount(); ++row) {
        const auto* table = m_objects->item(row, 0);
        const auto* partition = m_objects->item(row, 1);
        r.objects.push_back({table ? table->text().trimmed() : QString(),
                             partition ? partition->text().trimmed() : QString()});
    }
    if (!m_applyPolicy->isChecked())
        r.applyRefreshPolicy = false;
    if (m_useEffectiveDate->isChecked())
        r.effectiveDate = m_effectiveDate->date();
    return r;
}

QString TriggerRefreshDialog::problemText(const QString& field) const
{
    const QLabel* label = m_problemLabels.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

void TriggerRefreshDialog::revalidate()
{
    const pbi::RefreshRequest r = request();
    m_problems = pbi::refresh::validate(r, m_context.target);
    QHash<QString, QStringList> byField;
    for (const auto& p : m_problems) {
        const QString key = fieldKey(p.field);
        if (key == QLatin1String("objects") && p.field.startsWith(QLatin1String("objects["))) {
            // "objects[2].table" → "Row 3: …"
            const int open = p.field.indexOf(QLatin1Char('['));
            const int close = p.field.indexOf(QLatin1Char(']'));
            const int row = p.field.mid(open + 1, close - open - 1).toInt();
            byField[key] << tr("Row %1: %2").arg(row + 1).arg(p.message);
        } else {
            byField[m_problemLabels.contains(key) ? key : QString()] << p.message;
        }
    }
    for (auto it = m_problemLabels.begin(); it != m_problemLabels.end(); ++it) {
        const QStringList lines = byField.value(it.key());
        it.value()->setText(lines.join(QLatin1Char('\n')));
        it.value()->setVisible(!lines.isEmpty());
    }
    // Mark the object cells that have a problem.
    {
        const QSignalBlocker block(m_objects);
        for (int row = 0; row < m_objects->rowCount(); ++row) {
            for (int col = 0; col < 2; ++col) {
                auto* item = m_objects->item(row, col);
                if (!item)
                    continue;
                const QString prefix = QStringLiteral("objects[%1]").arg(row);
                QString tip;
                for (const auto& p : m_problems)
                    if (p.field == prefix ||
                        p.field == prefix + (col == 0 ? QStringLiteral(".table")
                                                      : QStringLiteral(".partition")))
                        tip = p.message;
                item->setToolTip(tip);
                item->setData(Qt::ForegroundRole, tip.isEmpty()
                                                      ? QVariant()
                                                      : QVariant(QColor(problemColour(palette()))));
            }
        }
    }
    if (r.isEnhanced()) {
        const QString what = r.objects.empty() ? tr("the whole model")
                             : r.objects.size() == 1
                                 ? tr("1 table or partition")
                                 : tr("%1 tables or partitions").arg(r.objects.size());
        m_summary->setText(
            tr("Sends an enhanced refresh of %1: %2, %3. Progress is followed per table; it can be "
               "cancelled.")
                .arg(what, r.type.value_or(QString()), r.commitMode.value_or(QString())));
    } else {
        m_summary->setText(tr("Sends a plain refresh of the whole model (%1).")
                               .arg(m_notify->currentText().toLower()));
    }
    updateEnabled();
}

void TriggerRefreshDialog::updateEnabled()
{
    const bool enhanced = m_enhanced->isChecked();
    m_notify->setEnabled(!enhanced && !m_sending);
    m_enhancedBox->setEnabled(enhanced && !m_sending);
    m_effectiveDate->setEnabled(enhanced && m_useEffectiveDate->isChecked() && !m_sending);
    m_plain->setEnabled(!m_sending);
    m_enhanced->setEnabled(!m_sending);
    m_pick->setEnabled(enhanced && !m_sending && m_finder && !m_finder->isBusy());
    m_scan->setEnabled(enhanced && !m_sending && m_finder && !m_finder->isScanning());
    m_send->setEnabled(m_problems.empty() && !m_sending && m_context.client);
    m_send->setText(m_sending ? tr("Sending…") : tr("&Send refresh"));
}

void TriggerRefreshDialog::send()
{
    revalidate();
    if (!m_problems.empty() || m_sending || !m_context.client)
        return;
    if (m_context.connection.isProduction) {
        WidgetDialogs fallback;
        DialogSeam* dialogs = m_context.dialogs ? m_context.dialogs : &fallback;
        const bool go = dialogs->confirm(
            this, tr("Refresh a production model?"),
            tr("Refresh the semantic model “%1” in workspace “%2” on %3 (%4)?\n\nThis starts a "
               "refresh on "
               "the production service and counts against the model's daily refreshes.")
                .arg(m_context.datasetName, m_context.workspaceName, m_context.connection.title,
                     m_context.connection.environmentName),
            tr("Refresh %1").arg(m_context.datasetName));
        if (!go)
            return;
    }
    const pbi::RefreshRequest r = request();
    m_sending = true;
    m_error->clear();
    updateEnabled();
    m_context.client->triggerRefresh(
        m_context.groupId, m_context.datasetId, r, this,
        [this, r](pbi::Result<pbi::TriggeredRefresh> result) {
            m_sending = false;
            if (!result) {
                m_error->showError(tr("The service did not start the refresh."), result.error());
                updateEnabled();
                return;
            }
            Q_EMIT triggered(result.value(), r);
            accept();
        });
}

} // namespace pbi::ui
