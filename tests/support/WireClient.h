#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <nlohmann/json.hpp>

/// A bare HTTP client for testing the sandbox's wire format directly, without the core.
struct WireReply {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool finished = false;

    QByteArray header(const QByteArray& name) const;
    nlohmann::json json() const; ///< discarded value when the body is not JSON
};

WireReply wireSend(const QByteArray& method, const QUrl& url,
                   const QList<QPair<QByteArray, QByteArray>>& headers = {},
                   const QByteArray& body = {});
