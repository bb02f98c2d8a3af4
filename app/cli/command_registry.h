#pragma once
// Subcommands register themselves at static-initialisation time, so adding a command is
// adding one file under commands/ (they are linked into the executable, not a library,
// so the registrars are never dropped by the linker).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace zsi::cli {

struct GlobalOptions {
    std::string dataDir;  // --data-dir
    int threads = 0;      // --threads (0: all cores)
    std::filesystem::path exeDir;
};

// setup() adds the subcommand's options and returns the function that runs it.
using CommandRun = std::function<int()>;
using CommandSetup = std::function<CommandRun(CLI::App& sub, GlobalOptions& global)>;

struct CommandInfo {
    std::string name;
    std::string description;
    CommandSetup setup;
};

std::vector<CommandInfo>& commandRegistry();

struct RegisterCommand {
    RegisterCommand(std::string name, std::string description, CommandSetup setup) {
        commandRegistry().push_back({std::move(name), std::move(description), std::move(setup)});
    }
};

}  // namespace zsi::cli
