#include "semantics/normalisation.h"

#include "semantics/embedding.h"
#include "util/error.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace zsi::semantics {

std::string Normalisation::toString() const {
    switch (kind) {
        case Kind::None:
            return "none";
        case Kind::UnitL2:
            return "unit-l2";
        case Kind::ConstantNorm: {
            std::ostringstream s;
            s << "norm:" << norm;
            return s.str();
        }
    }
    return "none";
}

Normalisation Normalisation::parse(std::string_view text) {
    if (text == "none" || text.empty()) return none();
    if (text == "unit-l2" || text == "l2") return unitL2();
    if (text.substr(0, 5) == "norm:") {
        float n = 0;
        const auto s = text.substr(5);
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc() && ptr == s.data() + s.size() && n > 0 && std::isfinite(n))
            return constantNorm(n);
    }
    throw Error(ErrorCode::InvalidArgument,
                "Unknown normalisation \"" + std::string(text) +
                    "\" (expected none, unit-l2 or norm:<value>)",
                {{"name", "normalisation"}, {"reason", std::string(text)}});
}

void Normalisation::apply(std::vector<float>& v) const {
    if (kind == Kind::None || v.empty()) return;
    // The norm rounded to float before the square root, as since the first bundles: the scaled
    // vectors (and so every model trained on them) stay bit-identical across versions.
    const float n =
        std::sqrt(static_cast<float>(dot(v.data(), v.data(), static_cast<int>(v.size()))));
    if (n == 0.f) return;
    const float s = (kind == Kind::UnitL2 ? 1.f : norm) / n;
    for (float& x : v) x *= s;
}

}  // namespace zsi::semantics
