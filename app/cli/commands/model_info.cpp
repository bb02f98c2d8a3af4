// zsi model-info: architecture summary, parameter count, every parameter/buffer with --keys,
// and an optional forward-time measurement with random class vectors (--time HxW).
// Torch-free: the work is done by io::ModelInspector in core.
#include "command_registry.h"
#include "common_options.h"

#include "io/model_inspector.h"
#include "util/error.h"

#include <iostream>
#include <optional>

namespace {

using namespace zsi;

int parseSize(const std::string& s, int& h, int& w) {
    const auto x = s.find('x');
    try {
        if (x == std::string::npos) throw std::invalid_argument(s);
        h = std::stoi(s.substr(0, x));
        w = std::stoi(s.substr(x + 1));
    } catch (const std::exception&) {
        throw Error(ErrorCode::InvalidArgument, "--time expects HxW, e.g. 800x1333",
                    {{"name", "--time"}, {"reason", "not HxW: " + s}});
    }
    if (h < 1 || w < 1 || static_cast<int64_t>(h) * w > 40'000'000)
        throw Error(ErrorCode::InvalidArgument, "--time size out of range",
                    {{"name", "--time"}, {"reason", s}});
    return 0;
}

zsi::cli::RegisterCommand reg(
    "model-info",
    "Architecture summary, parameter count and (--keys) every parameter/buffer\n"
    "  zsi model-info --config resources/configs/zsi_r101_fpn_48_17.json --time 800x1333",
    [](CLI::App& sub, zsi::cli::GlobalOptions&) -> zsi::cli::CommandRun {
        struct Opts {
            std::string model, config, time;
            bool keys = false;
            int repeat = 3;
        };
        auto o = std::make_shared<Opts>();
        auto* modelOpt = sub.add_option("--model", o->model, "Model bundle folder");
        auto* configOpt =
            sub.add_option("--config", o->config, "Model config JSON (random weights)");
        modelOpt->excludes(configOpt);
        sub.add_flag("--keys", o->keys, "Print every parameter and buffer as 'name (d0, d1, ...)'");
        sub.add_option("--time", o->time,
                       "Time a forward pass on a random HxW image, e.g. 800x1333");
        sub.add_option("--repeat", o->repeat, "Timed repetitions for --time")
            ->check(CLI::Range(1, 100));
        return [o]() -> int {
            std::optional<io::ModelInspector> m;
            if (!o->model.empty()) {
                m = io::ModelInspector::fromBundle(o->model);
            } else if (!o->config.empty()) {
                m = io::ModelInspector::fromConfig(o->config);
            } else {
                throw Error(ErrorCode::InvalidArgument, "model-info needs --model or --config",
                            {{"name", "--model"}, {"reason", "missing"}});
            }
            if (o->keys) {
                for (const auto& k : m->keys()) std::cout << k << "\n";
                return 0;
            }
            std::cout << m->summary();
            if (!o->time.empty()) {
                int h = 0, w = 0;
                parseSize(o->time, h, w);
                std::cout << m->timeForward(h, w, o->repeat);
            }
            return 0;
        };
    });

}  // namespace
