#pragma once
// The project's own random generator: the same seed gives the same numbers with every
// compiler and standard library (std:: distributions differ between libstdc++ and libc++).
#include <cstdint>

namespace zsi {

class Rng {
public:
    explicit Rng(uint64_t seed = 0x9E3779B97F4A7C15ull);

    uint64_t nextU64();
    uint32_t nextU32() { return static_cast<uint32_t>(nextU64() >> 32); }
    // Uniform in [0, 1).
    double uniform();
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [lo, hi] (inclusive), unbiased.
    int64_t uniformInt(int64_t lo, int64_t hi);
    // Standard normal (Box-Muller, no cached second value so state is one number).
    double normal(double mean = 0.0, double stddev = 1.0);
    bool bernoulli(double p) { return uniform() < p; }
    // An independent stream derived from this one (for per-image generators).
    Rng split(uint64_t salt);

private:
    uint64_t s_[4];
};

}  // namespace zsi
