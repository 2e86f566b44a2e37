#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcPbiHttp)
Q_DECLARE_LOGGING_CATEGORY(lcPbiAuth)
Q_DECLARE_LOGGING_CATEGORY(lcPbiApi)
