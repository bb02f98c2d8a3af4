#pragma once
// How class vectors are scaled after averaging. The policy is part of a trained model (it
// is stored in the bundle) and is applied identically to seen and typed classes; the
// reference method scales every class column to the same L2 norm, 0.7666.
#include <string>
#include <string_view>
#include <vector>

namespace zsi::semantics {

struct Normalisation {
    enum class Kind { None, UnitL2, ConstantNorm };
    Kind kind = Kind::None;
    float norm = 1.f;  // target L2 norm (UnitL2: 1)

    static Normalisation none() { return {}; }
    static Normalisation unitL2() { return {Kind::UnitL2, 1.f}; }
    static Normalisation constantNorm(float n) { return {Kind::ConstantNorm, n}; }
    static Normalisation reference() { return constantNorm(0.7666f); }

    // "none", "unit-l2", "norm:0.7666"; parse() accepts the same (throws InvalidArgument).
    std::string toString() const;
    static Normalisation parse(std::string_view text);

    // Scales v in place; a zero vector stays zero.
    void apply(std::vector<float>& v) const;

    bool operator==(const Normalisation& o) const {
        return kind == o.kind && (kind != Kind::ConstantNorm || norm == o.norm);
    }
};

}  // namespace zsi::semantics
