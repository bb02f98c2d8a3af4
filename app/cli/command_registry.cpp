#include "command_registry.h"

namespace zsi::cli {

std::vector<CommandInfo>& commandRegistry() {
    static std::vector<CommandInfo> registry;
    return registry;
}

}  // namespace zsi::cli
