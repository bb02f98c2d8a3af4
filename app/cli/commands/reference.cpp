// zsi import-reference / zsi export-reference: the published ZSI checkpoints (MMDetection v1)
// to a model bundle and back. The work is io::importReferenceCheckpoint /
// exportReferenceCheckpoint in core; this file is options and printing.
#include "command_registry.h"
#include "common_options.h"
#include "interrupt.h"
#include "progress_line.h"

#include "io/reference_checkpoint.h"
#include "util/error.h"

#include <chrono>
#include <cmath>
#include <iostream>

namespace {

using namespace zsi;
namespace fs = std::filesystem;

// Maps the 0..1 progress of a core job onto a ProgressLine in megabytes of `bytes`.
io::ImportProgress megabyteProgress(cli::ProgressLine& line, std::uintmax_t bytes) {
    auto start =
        std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
    const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    return [&line, start, mb](double f, const std::string& stage) {
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - *start).count();
        const double eta = f > 0.02 ? s * (1 - f) / f : -1;
        line.update(static_cast<size_t>(std::lround(f * mb)), static_cast<size_t>(std::lround(mb)),
                    f * mb / std::max(s, 1e-3), eta, stage);
    };
}

std::uintmax_t sizeOr0(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}

zsi::cli::RegisterCommand importCmd(
    "import-reference",
    "Turn a published ZSI checkpoint (MMDetection v1 .pth) into a model bundle\n"
    "  zsi import-reference zsi_48_17.pth --preset 48_17 --vectors word_w2v_withbg_48_17.txt\n"
    "      --voc vocabulary_w2v.txt --out models/zsi-48-17",
    [](CLI::App& sub, zsi::cli::GlobalOptions& global) -> zsi::cli::CommandRun {
        auto o = std::make_shared<io::ReferenceImportOptions>();
        auto paths = std::make_shared<std::array<std::string, 7>>();
        sub.add_option("checkpoint", (*paths)[0],
                       "The checkpoint (.pth), legacy or zip torch format")
            ->required();
        auto* preset =
            sub.add_option("--preset", o->preset, "The split it was trained on: 48_17 or 65_15")
                ->check(CLI::IsMember(io::referencePresets()));
        auto* config = sub.add_option("--config", (*paths)[1],
                                      "A model config JSON instead of a preset (other backbones)");
        preset->excludes(config);
        sub.add_option("--vectors", (*paths)[2],
                       "Class vectors the model was trained with (word_w2v_withbg_<split>.txt)")
            ->required();
        sub.add_option("--classes", (*paths)[3],
                       "Names of the vector columns 1.. (default: the preset's COCO list)");
        sub.add_option("--voc", (*paths)[4],
                       "VOC matrix of the box head (vocabulary_w2v.txt, 300 x 4717)");
        sub.add_option("--embeddings", (*paths)[5],
                       "Word vectors of the model's space for typed names "
                       "(GoogleNews-vectors-negative300.bin)");
        sub.add_option("--out", (*paths)[6], "Output bundle folder")->required();
        return [o, paths, &global]() -> int {
            o->checkpoint = (*paths)[0];
            o->config = (*paths)[1];
            o->vectors = (*paths)[2];
            o->classes = (*paths)[3];
            o->voc = (*paths)[4];
            o->embeddings = (*paths)[5];
            o->out = (*paths)[6];
            o->dataDir = cli::resolveDataDir(global);
            cli::StopOnInterrupt stop("\nstopping the import (nothing is written)...\n");
            o->cancel = stop.flag();
            cli::ProgressLine line("MB");
            o->progress = megabyteProgress(line, sizeOr0(o->checkpoint));
            const io::ReferenceImportReport r = io::importReferenceCheckpoint(*o);
            line.finish();
            std::cout << "imported " << o->checkpoint.filename().string() << " (" << r.format
                      << " format" << (r.strippedModulePrefix ? ", 'module.' prefix stripped" : "")
                      << (r.skippedOptimizer ? ", optimizer state skipped" : "") << ") in "
                      << r.seconds << " s\n"
                      << "  " << r.tensors << " tensors, " << r.numSeen << " seen classes, "
                      << r.numUnseen << " unseen classes (the default vocabulary), VOC "
                      << r.vocSize << " words, D = " << r.semanticDim << "\n";
            if (!r.tolerated.empty())
                std::cout << "  " << r.tolerated.size()
                          << " BatchNorm counters absent from the file were set to 0\n";
            for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
            std::cout << "bundle: " << o->out.string() << "\n";
            return 0;
        };
    });

zsi::cli::RegisterCommand exportCmd(
    "export-reference",
    "Write a model bundle as a reference checkpoint (legacy torch format, MMDetection v1 keys)\n"
    "  zsi export-reference models/zsi-48-17 --out zsi_48_17_finetuned.pth",
    [](CLI::App& sub, zsi::cli::GlobalOptions&) -> zsi::cli::CommandRun {
        auto bundle = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        sub.add_option("bundle", *bundle, "Model bundle folder")->required();
        sub.add_option("--out", *out, "Checkpoint file to write (.pth)")->required();
        return [bundle, out]() -> int {
            cli::ProgressLine line("MB");
            io::ReferenceExportOptions o;
            o.bundle = *bundle;
            o.out = *out;
            o.progress = megabyteProgress(line, sizeOr0(fs::path(*bundle) / "weights.pt"));
            const io::ReferenceExportReport r = io::exportReferenceCheckpoint(o);
            line.finish();
            std::cout << "wrote " << *out << ": " << r.tensors << " tensors, "
                      << r.bytes / (1024 * 1024) << " MiB, meta.CLASSES " << r.classes.size()
                      << " names\n";
            return 0;
        };
    });

}  // namespace
