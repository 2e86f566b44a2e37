#include "ODataFilter.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace pbi::sandbox {

using nlohmann::json;

struct ODataFilter::Node {
    enum Kind { Literal, Path, Compare, And, Or, Not, Call, Any } kind = Literal;
    json value;                    ///< Literal
    std::vector<std::string> path; ///< Path, Any (the collection)
    std::string op;                ///< Compare: eq ne gt ge lt le; Call: function name
    std::string lambdaVar;         ///< Any
    std::vector<std::shared_ptr<const Node>> args;
};

namespace {

using NodePtr = std::shared_ptr<const ODataFilter::Node>;
using Node = ODataFilter::Node;

struct Token {
    enum Kind { End, Ident, String, Number, LParen, RParen, Comma, Colon, Slash } kind = End;
    std::string text;
};

class Parser {
public:
    explicit Parser(const std::string& text)
        : m_text(text) {
        advance();
    }

    NodePtr parseAll() {
        NodePtr n = orExpr();
        if (m_tok.kind != Token::End)
            fail("unexpected '" + m_tok.text + "'");
        return n;
    }
    std::string error;

private:
    const std::string& m_text;
    std::size_t m_pos = 0;
    Token m_tok;
    std::vector<std::string> m_lambdaVars;
    int m_depth = 0;

    [[noreturn]] void fail(const std::string& why) { throw std::runtime_error(why); }

    void advance() {
        while (m_pos < m_text.size() && std::isspace((unsigned char)m_text[m_pos]))
            ++m_pos;
        if (m_pos >= m_text.size()) {
            m_tok = {Token::End, ""};
            return;
        }
        const char c = m_text[m_pos];
        auto single = [&](Token::Kind k) {
            m_tok = {k, std::string(1, c)};
            ++m_pos;
        };
        switch (c) {
        case '(':
            return single(Token::LParen);
        case ')':
            return single(Token::RParen);
        case ',':
            return single(Token::Comma);
        case ':':
            return single(Token::Colon);
        case '/':
            return single(Token::Slash);
        case '\'': {
            std::string s;
            ++m_pos;
            for (;;) {
                if (m_pos >= m_text.size())
                    fail("unterminated string literal");
                if (m_text[m_pos] == '\'') {
                    if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\'') {
                        s += '\'';
                        m_pos += 2;
                        continue;
                    }
                    ++m_pos;
                    break;
                }
                s += m_text[m_pos++];
            }
            m_tok = {Token::String, s};
            return;
        }
        default:
            break;
        }
        if (std::isdigit((unsigned char)c) || c == '-') {
            std::size_t end = m_pos + 1;
            while (end < m_text.size() &&
                   (std::isdigit((unsigned char)m_text[end]) || m_text[end] == '.'))
                ++end;
            m_tok = {Token::Number, m_text.substr(m_pos, end - m_pos)};
            m_pos = end;
            return;
        }
        if (std::isalpha((unsigned char)c) || c == '_' || c == '@') {
            std::size_t end = m_pos + 1;
            while (end < m_text.size() && (std::isalnum((unsigned char)m_text[end]) ||
                                           m_text[end] == '_' || m_text[end] == '.'))
                ++end;
            std::string ident = m_text.substr(m_pos, end - m_pos);
            m_pos = end;
            // An enum literal: Microsoft.PowerBI.…GroupUserAccessRight'Admin'.
            if (m_pos < m_text.size() && m_text[m_pos] == '\'') {
                advance();
                m_tok.kind = Token::String;
                return;
            }
            m_tok = {Token::Ident, ident};
            return;
        }
        fail(std::string("unexpected character '") + c + "'");
    }

    bool isKeyword(const char* word) const {
        return m_tok.kind == Token::Ident && m_tok.text == word;
    }

    void expect(Token::Kind k, const char* what) {
        if (m_tok.kind != k)
            fail(std::string("expected ") + what);
        advance();
    }

    NodePtr orExpr() {
        if (++m_depth > 100)
            fail("expression too deeply nested");
        NodePtr left = andExpr();
        while (isKeyword("or")) {
            advance();
            auto n = std::make_shared<Node>();
            n->kind = Node::Or;
            n->args = {left, andExpr()};
            left = n;
        }
        --m_depth;
        return left;
    }

    NodePtr andExpr() {
        NodePtr left = unary();
        while (isKeyword("and")) {
            advance();
            auto n = std::make_shared<Node>();
            n->kind = Node::And;
            n->args = {left, unary()};
            left = n;
        }
        return left;
    }

    NodePtr unary() {
        if (isKeyword("not")) {
            advance();
            if (++m_depth > 100)
                fail("expression too deeply nested");
            auto n = std::make_shared<Node>();
            n->kind = Node::Not;
            n->args = {unary()};
            --m_depth;
            return n;
        }
        return comparison();
    }

    NodePtr comparison() {
        NodePtr left = operand();
        static const char* ops[] = {"eq", "ne", "gt", "ge", "lt", "le"};
        for (const char* op : ops) {
            if (isKeyword(op)) {
                advance();
                auto n = std::make_shared<Node>();
                n->kind = Node::Compare;
                n->op = op;
                n->args = {left, operand()};
                return n;
            }
        }
        return left;
    }

    NodePtr operand() {
        auto n = std::make_shared<Node>();
        switch (m_tok.kind) {
        case Token::LParen: {
            advance();
            NodePtr inner = orExpr();
            expect(Token::RParen, "')'");
            return inner;
        }
        case Token::String:
            n->kind = Node::Literal;
            n->value = m_tok.text;
            advance();
            return n;
        case Token::Number: {
            n->kind = Node::Literal;
            json parsed = json::parse(m_tok.text, nullptr, false);
            if (parsed.is_discarded() || !parsed.is_number())
                fail("invalid number '" + m_tok.text + "'");
            n->value = parsed;
            advance();
            return n;
        }
        case Token::Ident:
            break;
        default:
            fail(m_tok.kind == Token::End ? "unexpected end of expression"
                                          : "unexpected '" + m_tok.text + "'");
        }
        const std::string ident = m_tok.text;
        advance();
        if (ident == "true" || ident == "false" || ident == "null") {
            n->kind = Node::Literal;
            n->value = ident == "null" ? json() : json(ident == "true");
            return n;
        }
        if (m_tok.kind == Token::LParen) {
            static const char* functions[] = {"contains", "startswith", "endswith", "tolower",
                                              "toupper",  "trim",       "length"};
            if (std::find_if(std::begin(functions), std::end(functions),
                             [&](const char* f) { return ident == f; }) == std::end(functions))
                fail("unknown function '" + ident + "'");
            advance();
            n->kind = Node::Call;
            n->op = ident;
            if (m_tok.kind != Token::RParen) {
                n->args.push_back(orExpr());
                while (m_tok.kind == Token::Comma) {
                    advance();
                    n->args.push_back(orExpr());
                }
            }
            expect(Token::RParen, "')'");
            const std::size_t arity =
                (ident == "contains" || ident == "startswith" || ident == "endswith") ? 2 : 1;
            if (n->args.size() != arity)
                fail("wrong number of arguments to '" + ident + "'");
            return n;
        }
        n->kind = Node::Path;
        n->path.push_back(ident);
        while (m_tok.kind == Token::Slash) {
            advance();
            if (m_tok.kind != Token::Ident)
                fail("expected a property name after '/'");
            const std::string seg = m_tok.text;
            advance();
            if (seg == "any" && m_tok.kind == Token::LParen) {
                advance();
                n->kind = Node::Any;
                if (m_tok.kind != Token::RParen) {
                    if (m_tok.kind != Token::Ident)
                        fail("expected a lambda variable");
                    n->lambdaVar = m_tok.text;
                    advance();
                    expect(Token::Colon, "':'");
                    m_lambdaVars.push_back(n->lambdaVar);
                    n->args.push_back(orExpr());
                    m_lambdaVars.pop_back();
                }
                expect(Token::RParen, "')'");
                return n;
            }
            n->path.push_back(seg);
        }
        return n;
    }
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

struct Scope {
    const json* entity;
    std::vector<std::pair<std::string, const json*>> vars;
};

json eval(const Node& n, const Scope& scope);

bool truthy(const json& v) {
    return v.is_boolean() && v.get<bool>();
}

json resolve(const std::vector<std::string>& path, const Scope& scope) {
    const json* cur = scope.entity;
    std::size_t i = 0;
    for (auto it = scope.vars.rbegin(); it != scope.vars.rend(); ++it)
        if (it->first == path[0]) {
            cur = it->second;
            i = 1;
            break;
        }
    for (; i < path.size(); ++i) {
        if (!cur->is_object() || !cur->contains(path[i]))
            return json(); // a missing optional field reads as null
        cur = &(*cur)[path[i]];
    }
    return *cur;
}

int compare(const json& a, const json& b) {
    if (a.is_number() && b.is_number()) {
        const double x = a.get<double>(), y = b.get<double>();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.is_string() && b.is_string()) {
        // Enum and GUID comparisons in the service are case-insensitive.
        const std::string x = lower(a.get<std::string>()), y = lower(b.get<std::string>());
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a == b)
        return 0;
    return 2; // incomparable
}

json eval(const Node& n, const Scope& scope) {
    switch (n.kind) {
    case Node::Literal:
        return n.value;
    case Node::Path:
        return resolve(n.path, scope);
    case Node::And:
        return truthy(eval(*n.args[0], scope)) && truthy(eval(*n.args[1], scope));
    case Node::Or:
        return truthy(eval(*n.args[0], scope)) || truthy(eval(*n.args[1], scope));
    case Node::Not:
        return !truthy(eval(*n.args[0], scope));
    case Node::Compare: {
        const int c = compare(eval(*n.args[0], scope), eval(*n.args[1], scope));
        if (n.op == "eq")
            return c == 0;
        if (n.op == "ne")
            return c != 0;
        if (c == 2)
            return false;
        if (n.op == "gt")
            return c > 0;
        if (n.op == "ge")
            return c >= 0;
        if (n.op == "lt")
            return c < 0;
        return c <= 0;
    }
    case Node::Call: {
        const json a = eval(*n.args[0], scope);
        if (n.op == "tolower" || n.op == "toupper" || n.op == "trim" || n.op == "length") {
            if (!a.is_string())
                return json();
            std::string s = a.get<std::string>();
            if (n.op == "length")
                return s.size();
            if (n.op == "trim") {
                const auto b = s.find_first_not_of(' ');
                return b == std::string::npos ? std::string()
                                              : s.substr(b, s.find_last_not_of(' ') - b + 1);
            }
            std::transform(s.begin(), s.end(), s.begin(), [&](unsigned char c) {
                return char(n.op == "tolower" ? std::tolower(c) : std::toupper(c));
            });
            return s;
        }
        const json b = eval(*n.args[1], scope);
        if (!a.is_string() || !b.is_string())
            return false;
        // The service's name filters are case-insensitive (contains(name,'sales') finds "Sales").
        const std::string x = lower(a.get<std::string>()), y = lower(b.get<std::string>());
        if (n.op == "contains")
            return x.find(y) != std::string::npos;
        if (n.op == "startswith")
            return x.rfind(y, 0) == 0;
        return x.size() >= y.size() && x.compare(x.size() - y.size(), y.size(), y) == 0;
    }
    case Node::Any: {
        const json coll = resolve(n.path, scope);
        if (!coll.is_array())
            return false;
        if (n.args.empty())
            return !coll.empty();
        for (const auto& el : coll) {
            Scope inner = scope;
            inner.vars.emplace_back(n.lambdaVar, &el);
            if (truthy(eval(*n.args[0], inner)))
                return true;
        }
        return false;
    }
    }
    return json();
}

bool refers(const Node& n, const std::string& field) {
    if ((n.kind == Node::Path || n.kind == Node::Any) && !n.path.empty() && n.path[0] == field)
        return true;
    for (const auto& a : n.args)
        if (refers(*a, field))
            return true;
    return false;
}

} // namespace

std::optional<ODataFilter> ODataFilter::parse(const std::string& text, std::string* error) {
    try {
        Parser p(text);
        ODataFilter f;
        f.m_root = p.parseAll();
        f.m_text = text;
        return f;
    } catch (const std::exception& e) {
        if (error)
            *error = e.what();
        return std::nullopt;
    }
}

bool ODataFilter::matches(const json& entity) const {
    Scope scope{&entity, {}};
    return truthy(eval(*m_root, scope));
}

bool ODataFilter::references(const std::string& field) const {
    return refers(*m_root, field);
}

} // namespace pbi::sandbox
