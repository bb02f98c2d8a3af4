// Engine::open lives apart from engine.cpp so the engine's tests of scoring do not need the
// bundle reader.
#include "engine/engine_p.h"
#include "io/model_bundle.h"

namespace zsi {

std::unique_ptr<Engine> Engine::open(const std::filesystem::path& bundleDir,
                                     const EngineOptions& options) {
    io::ModelBundle bundle = io::readModelBundle(bundleDir);
    ModelSummary summary;
    summary.name = bundle.info.config.name;
    summary.bundlePath = bundleDir;
    summary.seenClasses = bundle.info.seenClasses;
    summary.weightsSha256 = bundle.info.weightsSha256;
    summary.embeddingJson =
        bundle.info.embedding.is_null() ? std::string() : bundle.info.embedding.dump();
    summary.defaultUnseen = bundle.info.defaultUnseen;
    summary.demo = bundle.info.demo;
    if (!bundle.info.classColumnsFile.empty()) {
        summary.classColumns = bundleDir / bundle.info.classColumnsFile;
        summary.classNames = bundleDir / bundle.info.classNamesFile;
    }
    summary.embeddingHint = bundle.info.embeddingHint;
    summary.description = bundle.info.description;
    summary.demoImage = bundle.info.demoImage;
    return EngineAccess::make(model::ZsiDetector(bundle.detector), std::move(summary), options);
}

}  // namespace zsi
