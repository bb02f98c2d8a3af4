#pragma once
// Reading JSON objects field by field with errors that name the field: enum <-> name tables
// and a reader that turns wrong types and unknown names into Error(JsonSchema)
// "<what> <source>: field '<prefix>.<key>': reason" (args path, field, reason). Used by the
// model config and the inference settings (their .cpp files only: this includes nlohmann).
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <string>

namespace zsi::json_fields {

template <typename E>
struct EnumName {
    E value;
    const char* name;
};

template <typename E, std::size_t N>
std::string enumName(const EnumName<E> (&table)[N], E v) {
    for (const auto& e : table)
        if (e.value == v) return e.name;
    return "?";
}

// Throws Error(InvalidArgument, name = what) listing the accepted names. Command lines spell
// multi-word names with '-' ("p-weighted"); files use '_'.
template <typename E, std::size_t N>
E enumParse(const EnumName<E> (&table)[N], std::string s, const char* what) {
    const std::string given = s;
    std::replace(s.begin(), s.end(), '-', '_');
    std::string allowed;
    for (const auto& e : table) {
        if (s == e.name) return e.value;
        allowed += (allowed.empty() ? "" : ", ") + std::string(e.name);
    }
    throw Error(
        ErrorCode::InvalidArgument,
        "unknown " + std::string(what) + " '" + given + "' (expected one of: " + allowed + ")",
        {{"name", what}, {"reason", "unknown value '" + given + "'"}});
}

// Reads json[key] into `out` when present.
class Reader {
public:
    Reader(const nlohmann::json& j, std::string what, std::string source, std::string prefix)
        : j_(j), what_(std::move(what)), source_(std::move(source)), prefix_(std::move(prefix)) {}

    template <typename T>
    void get(const char* key, T& out) const {
        if (!j_.contains(key)) return;
        try {
            out = j_.at(key).get<T>();
        } catch (const nlohmann::json::exception& e) {
            fail(key, e.what());
        }
    }
    template <typename E, std::size_t N>
    void getEnum(const char* key, const EnumName<E> (&table)[N], E& out) const {
        if (!j_.contains(key)) return;
        if (!j_.at(key).is_string()) fail(key, "expected a string");
        try {
            out = enumParse(table, j_.at(key).get<std::string>(), key);
        } catch (const Error& e) {
            fail(key, e.what());
        }
    }
    // The object at `key` (an empty one when absent).
    Reader child(const char* key) const {
        static const nlohmann::json kEmpty = nlohmann::json::object();
        if (!j_.contains(key)) return Reader(kEmpty, what_, source_, field(key));
        if (!j_.at(key).is_object()) fail(key, "expected an object");
        return Reader(j_.at(key), what_, source_, field(key));
    }
    [[noreturn]] void fail(const char* key, const std::string& reason) const {
        throw Error(ErrorCode::JsonSchema,
                    what_ + (source_.empty() ? "" : " " + source_) + ": field '" + field(key) +
                        "': " + reason,
                    {{"path", source_}, {"field", field(key)}, {"reason", reason}});
    }

private:
    std::string field(const char* key) const { return prefix_.empty() ? key : prefix_ + "." + key; }
    const nlohmann::json& j_;
    std::string what_;
    std::string source_;
    std::string prefix_;
};

}  // namespace zsi::json_fields
