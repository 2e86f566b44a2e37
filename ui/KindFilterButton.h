#pragma once

#include <QList>
#include <QMenu>
#include <QToolButton>

namespace pbi::ui {

/// A menu whose checkable entries toggle without closing it (mouse, Enter or Space), so several
/// can be ticked in one visit; Escape or a click outside closes it.
class StayOpenMenu : public QMenu {
    Q_OBJECT
public:
    using QMenu::QMenu;

protected:
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
};

/// The filter bar's choice of item kinds: a button naming what is shown ("All kinds",
/// "Reports, Dataflows", "3 kinds") with a menu of checkable kinds, any combination. Keyboard:
/// focus it, Space / Enter / Alt+Down opens the menu, arrows move, Space or Enter ticks.
class KindFilterButton : public QToolButton {
    Q_OBJECT
public:
    explicit KindFilterButton(QWidget* parent = nullptr);

    /// The kinds ticked, as ExplorerProxy::Kinds flags (AllKinds when every one is).
    int kinds() const;
    /// Ticks these kinds (ExplorerProxy::Kinds); emits nothing.
    void setKinds(int kinds);
    /// One checkable action per kind, then "All kinds": for the View menu to share.
    QList<QAction*> kindActions() const { return m_kindActions; }
    QAction* allKindsAction() const { return m_all; }

Q_SIGNALS:
    /// The user ticked or unticked a kind: the new set (ExplorerProxy::Kinds).
    void kindsChosen(int kinds);

private:
    void updateLabel();

    QList<QAction*> m_kindActions;
    QAction* m_all;
};

} // namespace pbi::ui
