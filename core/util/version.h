#pragma once
#include <string>

namespace zsi {

// The application version (from CMake's project() version).
std::string appVersion();

}  // namespace zsi
