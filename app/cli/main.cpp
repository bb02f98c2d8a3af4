// zsi: the headless command line of ZSI Studio.
#include "command_registry.h"
#include "common_options.h"

#include "runtime/runtime.h"
#include "util/data_paths.h"
#include "util/version.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

int main(int argc, char** argv) {
    using namespace zsi;
    CLI::App app{"zsi - zero-shot instance segmentation (ZSI, CVPR 2021) from the command line"};
    app.require_subcommand(0, 1);
    app.set_version_flag("--version", [] {
        initTorchThreads();
        const RuntimeInfo info = runtimeInfo();
        return "zsi " + appVersion() + "\nLibTorch " + info.torchVersion + "\nintra-op threads " +
               std::to_string(info.intraOpThreads) + "\nCUDA " +
               (info.cudaAvailable
                    ? "available (" + std::to_string(info.cudaDevices) + " device(s))"
                    : std::string("not available")) +
               "\nallocator " + (info.allocatorTuned ? "tuned for large tensors" : "default");
    });

    cli::GlobalOptions global;
    global.exeDir = executableDir(argc > 0 ? argv[0] : nullptr);
    app.add_option("--data-dir", global.dataDir,
                   "Folder with demo/ (default: ZSI_DATA_DIR, install share folder, source tree)");
    app.add_option("--threads", global.threads, "LibTorch intra-op threads (0: all cores)");

    auto& registry = cli::commandRegistry();
    std::sort(registry.begin(), registry.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    std::vector<std::pair<CLI::App*, cli::CommandRun>> runs;
    // A description's first line is the summary; the lines after it are examples, shown in the
    // command's own help and gathered under "Examples" in zsi --help.
    std::string examples = "\nExamples:\n";
    for (auto& cmd : registry) {
        const auto nl = cmd.description.find('\n');
        CLI::App* sub = app.add_subcommand(cmd.name, cmd.description.substr(0, nl));
        if (nl != std::string::npos) {
            std::string lines = cmd.description.substr(nl + 1);
            sub->footer("\nExamples:\n" + lines);
            while (!lines.empty() && lines.back() == '\n') lines.pop_back();
            examples += lines + "\n";
        }
        runs.emplace_back(sub, cmd.setup(*sub, global));
    }
    app.footer(examples + "\nRun zsi COMMAND --help for every option of a command.");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    initTorchThreads(global.threads);
    for (auto& [sub, run] : runs) {
        if (sub->parsed()) {
            try {
                return run();
            } catch (const std::exception& e) {
                return cli::reportError(e);
            }
        }
    }
    std::cout << app.help();
    return 0;
}
