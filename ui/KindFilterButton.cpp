#include "KindFilterButton.h"

#include "ExplorerProxy.h"
#include "KindIcons.h"
#include "WorkspaceTreeModel.h"

#include <QKeyEvent>
#include <QMouseEvent>

namespace pbi::ui {

void StayOpenMenu::mouseReleaseEvent(QMouseEvent* event)
{
    QAction* a = actionAt(event->position().toPoint());
    if (a && a->isEnabled() && a->isCheckable()) {
        a->trigger();
        return;
    }
    QMenu::mouseReleaseEvent(event);
}

void StayOpenMenu::keyPressEvent(QKeyEvent* event)
{
    const int key = event->key();
    QAction* a = activeAction();
    if ((key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Space) && a &&
        a->isEnabled() && a->isCheckable()) {
        a->trigger();
        return;
    }
    QMenu::keyPressEvent(event);
}

KindFilterButton::KindFilterButton(QWidget* parent)
    : QToolButton(parent)
{
    using K = WorkspaceTreeModel::NodeKind;
    setObjectName(QStringLiteral("kindFilter"));
    setToolTip(tr("Which kinds of item to show: tick any combination"));
    setPopupMode(QToolButton::InstantPopup);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    setFocusPolicy(Qt::StrongFocus);
    auto* menu = new StayOpenMenu(this);
    menu->setObjectName(QStringLiteral("kindFilterMenu"));
    const struct {
        K kind;
        QString text;
        int flag;
    } entries[] = {
        {K::Report, tr("&Reports"), ExplorerProxy::Reports},
        {K::SemanticModel, tr("&Semantic models"), ExplorerProxy::SemanticModels},
        {K::Dashboard, tr("&Dashboards"), ExplorerProxy::Dashboards},
        {K::Dataflow, tr("Data&flows"), ExplorerProxy::Dataflows},
        {K::Member, tr("&Members"), ExplorerProxy::Members},
    };
    for (const auto& k : entries) {
        QAction* a = menu->addAction(kindIcon(k.kind), k.text);
        a->setCheckable(true);
        a->setChecked(true);
        a->setData(k.flag);
        m_kindActions << a;
        connect(a, &QAction::triggered, this, [this] {
            // Unticking the last kind would show an empty tree nobody asked for: all again.
            updateLabel();
            Q_EMIT kindsChosen(kinds());
        });
    }
    menu->addSeparator();
    m_all = menu->addAction(tr("&All kinds"));
    m_all->setObjectName(QStringLiteral("allKindsAction"));
    connect(m_all, &QAction::triggered, this, [this] {
        setKinds(ExplorerProxy::AllKinds);
        Q_EMIT kindsChosen(ExplorerProxy::AllKinds);
    });
    setMenu(menu);
    updateLabel();
}

int KindFilterButton::kinds() const
{
    int flags = 0;
    for (QAction* a : m_kindActions)
        if (a->isChecked())
            flags |= a->data().toInt();
    return flags == 0 ? int(ExplorerProxy::AllKinds) : flags;
}

void KindFilterButton::setKinds(int kinds)
{
    if (kinds == 0)
        kinds = ExplorerProxy::AllKinds;
    for (QAction* a : m_kindActions)
        a->setChecked(kinds & a->data().toInt());
    updateLabel();
}

void KindFilterButton::updateLabel()
{
    QStringList names;
    for (QAction* a : m_kindActions)
        if (a->isChecked())
            names << QString(a->text()).remove(QLatin1Char('&'));
    QString label;
    if (names.isEmpty() || names.size() == m_kindActions.size())
        label = tr("All kinds");
    else if (names.size() <= 2)
        label = names.join(QStringLiteral(", "));
    else
        label = tr("%1 kinds").arg(names.size());
    setText(label);
    setAccessibleName(tr("Kinds shown: %1").arg(label));
    m_all->setEnabled(names.size() != m_kindActions.size());
}

} // namespace pbi::ui
