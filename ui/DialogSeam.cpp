#include "DialogSeam.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>

namespace pbi::ui {

QString WidgetDialogs::openFileName(QWidget* parent, const QString& title, const QString& filter)
{
    return QFileDialog::getOpenFileName(parent, title, QString(), filter);
}

QString WidgetDialogs::saveFileName(QWidget* parent, const QString& title, const QString& suggested,
                                    const QString& filter)
{
    return QFileDialog::getSaveFileName(parent, title, suggested, filter);
}

bool WidgetDialogs::confirm(QWidget* parent, const QString& title, const QString& text,
                            const QString& acceptLabel)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Cancel, parent);
    QPushButton* accept = box.addButton(acceptLabel, QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == accept;
}

void WidgetDialogs::inform(QWidget* parent, const QString& title, const QString& text)
{
    QMessageBox::information(parent, title, text);
}

} // namespace pbi::ui
