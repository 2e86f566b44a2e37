#pragma once

#include <QString>

class QWidget;

namespace pbi::ui {

/// The modal questions the UI asks (files, confirmations), behind an interface so tests can
/// answer them without a real dialog.
class DialogSeam {
public:
    virtual ~DialogSeam() = default;
    virtual QString openFileName(QWidget* parent, const QString& title, const QString& filter) = 0;
    virtual QString saveFileName(QWidget* parent, const QString& title, const QString& suggested,
                                 const QString& filter) = 0;
    virtual bool confirm(QWidget* parent, const QString& title, const QString& text,
                         const QString& acceptLabel) = 0;
    virtual void inform(QWidget* parent, const QString& title, const QString& text) = 0;
};

/// The real dialogs: QFileDialog and QMessageBox.
class WidgetDialogs final : public DialogSeam {
public:
    QString openFileName(QWidget* parent, const QString& title, const QString& filter) override;
    QString saveFileName(QWidget* parent, const QString& title, const QString& suggested,
                         const QString& filter) override;
    bool confirm(QWidget* parent, const QString& title, const QString& text,
                 const QString& acceptLabel) override;
    void inform(QWidget* parent, const QString& title, const QString& text) override;
};

} // namespace pbi::ui
