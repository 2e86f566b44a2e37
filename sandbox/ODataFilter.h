#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace pbi::sandbox {

/// The subset of OData $filter the Power BI API is called with (api-digest §0, §1):
/// eq ne gt ge lt le, and or not, parentheses, contains/startswith/endswith, tolower/toupper,
/// string/number/boolean/null literals, enum literals (Namespace.Type'Value'), and
/// collection/any() with an optional lambda (`users/any(u: u/groupUserAccessRight eq 'Admin')`).
/// Evaluated against an entity's wire JSON, so every field the wire has can be filtered on.
class ODataFilter {
public:
    struct Node;

    /// nullopt with `error` set when the expression does not parse.
    static std::optional<ODataFilter> parse(const std::string& text, std::string* error);

    bool matches(const nlohmann::json& entity) const;
    /// Whether the expression looks at `field` (e.g. "users"), so callers can include it.
    bool references(const std::string& field) const;

private:
    std::shared_ptr<const Node> m_root;
    std::string m_text;
};

} // namespace pbi::sandbox
