#include "Logging.h"

Q_LOGGING_CATEGORY(lcPbiHttp, "pbi.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPbiAuth, "pbi.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPbiApi, "pbi.api", QtInfoMsg)
