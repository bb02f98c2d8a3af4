#pragma once
// Small helpers shared by the test suites.
#include "util/error.h"

#include <stdexcept>
#include <string>

namespace zsi::test {

// Runs f and expects it to throw Error(code); returns the error for argument checks. Throws
// std::runtime_error (which fails the test) on no error or another code.
template <class F>
Error expectError(ErrorCode code, F&& f) {
    try {
        f();
    } catch (const Error& e) {
        if (e.code() != code)
            throw std::runtime_error(std::string("wrong error code ") + errorCodeName(e.code()) +
                                     ": " + e.what());
        return e;
    }
    throw std::runtime_error(std::string("no error thrown, expected ") + errorCodeName(code));
}

// The code of the Error f throws; ErrorCode::Unknown when it throws none.
template <class F>
ErrorCode errorCodeOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::Unknown;
}

}  // namespace zsi::test
