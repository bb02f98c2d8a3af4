#include "common_options.h"

#include "util/data_paths.h"
#include "util/error.h"

#include <iostream>

namespace zsi::cli {

std::filesystem::path resolveDataDir(const GlobalOptions& global) {
    std::optional<std::filesystem::path> explicitDir;
    if (!global.dataDir.empty()) explicitDir = global.dataDir;
    return findDataDir(explicitDir, global.exeDir);
}

int reportError(const std::exception& e) {
    if (auto* ze = dynamic_cast<const Error*>(&e))
        std::cerr << "error [" << errorCodeName(ze->code()) << "]: " << ze->what() << "\n";
    else
        std::cerr << "error: " << e.what() << "\n";
    return 1;
}

}  // namespace zsi::cli
