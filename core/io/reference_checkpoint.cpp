#include "io/reference_checkpoint.h"

#include "checkpoint/torch_file.h"
#include "checkpoint/torch_file_writer.h"
#include "io/model_bundle.h"
#include "model/detector.h"
#include "semantics/column_matrix.h"
#include "semantics/normalisation.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/version.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

namespace zsi::io {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kWord2VecFile = "GoogleNews-vectors-negative300.bin";
constexpr const char* kColumnsName = "class_vectors.txt";
constexpr const char* kNamesName = "classes.txt";

std::string shapeString(const std::vector<int64_t>& s) {
    std::string out = "(";
    for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + ")";
}

[[noreturn]] void checkpointError(const fs::path& path, const std::string& reason,
                                  Error::Args extra = {}) {
    extra["path"] = path.string();
    extra["reason"] = reason;
    throw Error(ErrorCode::CheckpointInvalid, path.string() + ": " + reason, std::move(extra));
}

void checkCancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) throw Error(ErrorCode::Cancelled, "import cancelled");
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string> readNames(const fs::path& path) {
    std::ifstream in(path);
    if (!fs::exists(path))
        throw Error(ErrorCode::FileNotFound, "class-name list not found: " + path.string(),
                    {{"path", path.string()}});
    if (!in)
        throw Error(ErrorCode::FileUnreadable, "cannot read " + path.string(),
                    {{"path", path.string()}, {"reason", "open failed"}});
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (!line.empty()) names.push_back(line);
    }
    return names;
}

// "word dim" header of word2vec / fastText .vec files (binary or text); 0 when unknown.
int probeDimension(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::FileNotFound, "word vectors not found: " + path.string(),
                    {{"path", path.string()}});
    std::string first;
    std::getline(in, first);
    std::istringstream s(first);
    long long count = 0, dim = 0;
    if (s >> count >> dim && count > 0 && dim > 0 && dim < 100000) return static_cast<int>(dim);
    return 0;
}

// The checkpoint entries by name.
std::map<std::string, const checkpoint::StateDictEntry*> index(const checkpoint::StateDict& sd) {
    std::map<std::string, const checkpoint::StateDictEntry*> out;
    for (const auto& e : sd.entries) out[e.name] = &e;
    return out;
}

int64_t sizeOf(const checkpoint::StateDict& sd, const std::string& key, int dim) {
    for (const auto& e : sd.entries)
        if (e.name == key && static_cast<int>(e.tensor.sizes.size()) > dim)
            return e.tensor.sizes[static_cast<std::size_t>(dim)];
    return -1;
}

ModelConfig presetConfig(const std::string& preset, const fs::path& dataDir) {
    const auto presets = referencePresets();
    if (std::find(presets.begin(), presets.end(), preset) == presets.end())
        throw Error(ErrorCode::InvalidArgument,
                    "unknown preset '" + preset + "' (use 48_17 or 65_15)",
                    {{"name", "--preset"}, {"reason", "unknown: " + preset}});
    return loadModelConfig(dataDir / "configs" / ("zsi_r101_fpn_" + preset + ".json"));
}

std::string nowIso() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

}  // namespace

std::vector<std::string> referencePresets() {
    return {"48_17", "65_15"};
}

ReferenceImportReport importReferenceCheckpoint(const ReferenceImportOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    auto progress = [&](double f, const char* stage) {
        if (o.progress) o.progress(std::clamp(f, 0.0, 1.0), stage);
    };
    ReferenceImportReport report;
    if (o.out.empty())
        throw Error(ErrorCode::InvalidArgument, "no output bundle folder given",
                    {{"name", "--out"}, {"reason", "missing"}});
    if (o.vectors.empty())
        throw Error(ErrorCode::InvalidArgument,
                    "the class vectors the model was trained with are needed (--vectors "
                    "word_w2v_withbg_<split>.txt)",
                    {{"name", "--vectors"}, {"reason", "missing"}});

    // 1. The configuration.
    ModelConfig config;
    if (!o.preset.empty() && !o.config.empty())
        throw Error(ErrorCode::InvalidArgument, "give either a preset or a config, not both",
                    {{"name", "--config"}, {"reason", "conflicts with --preset"}});
    if (!o.preset.empty())
        config = presetConfig(o.preset, o.dataDir);
    else if (!o.config.empty())
        config = loadModelConfig(o.config);
    else
        throw Error(ErrorCode::InvalidArgument,
                    "choose the split the checkpoint was trained on (--preset 48_17 or 65_15)",
                    {{"name", "--preset"}, {"reason", "missing"}});

    // 2. The checkpoint: parse the pickle, locate storages, find the state dict.
    progress(0, "reading");
    checkpoint::TorchFile file = checkpoint::TorchFile::open(o.checkpoint);
    const checkpoint::StateDict sd = checkpoint::findStateDict(file);
    report.format = checkpoint::formatName(file.format());
    report.strippedModulePrefix = sd.strippedModulePrefix;
    report.skippedOptimizer = sd.hadOptimizer;
    report.hadMeta = sd.hadMeta;
    report.storageLocations = sd.locations;
    checkCancel(o.cancel);

    // The split and the VOC size the checkpoint was trained with decide against the preset.
    const int64_t regRows = sizeOf(sd, "bbox_head.fc_reg.weight", 0);
    if (regRows > 0 && regRows % 4 == 0 && regRows / 4 - 1 != config.numSeen) {
        const int64_t s = regRows / 4 - 1;
        std::string hint = s == 48   ? " (use --preset 48_17)"
                           : s == 65 ? " (use --preset 65_15)"
                                     : "";
        checkpointError(o.checkpoint,
                        "the checkpoint has " + std::to_string(s) +
                            " seen classes (bbox_head.fc_reg.weight has " +
                            std::to_string(regRows) + " rows), the configuration " +
                            std::to_string(config.numSeen) + hint,
                        {{"key", "bbox_head.fc_reg.weight"},
                         {"expected", std::to_string(4 * (config.numSeen + 1))},
                         {"found", std::to_string(regRows)}});
    }
    const int64_t k = sizeOf(sd, "bbox_head.kernel_semantic.weight", 1);
    if (k > 0 && config.vocSize > 0) config.vocSize = static_cast<int>(k);
    config.validate();
    const int D = config.semanticDim, S = config.numSeen;

    // 3. The class vectors and names (what the reference reads from files).
    progress(0.02, "vectors");
    semantics::ColumnMatrix vectors = semantics::readColumnMatrix(o.vectors);
    if (static_cast<int>(vectors.rows) != D)
        throw Error(ErrorCode::DimensionMismatch,
                    o.vectors.string() + " has vectors of dimension " +
                        std::to_string(vectors.rows) + ", the model expects " + std::to_string(D),
                    {{"what", o.vectors.string()},
                     {"expected", std::to_string(D)},
                     {"found", std::to_string(vectors.rows)}});
    fs::path classesPath = o.classes;
    if (classesPath.empty() && !o.preset.empty())
        classesPath = o.dataDir / "reference" / ("classes_" + o.preset + ".txt");
    if (classesPath.empty())
        throw Error(ErrorCode::InvalidArgument,
                    "give the class names of the vector columns (--classes)",
                    {{"name", "--classes"}, {"reason", "missing"}});
    const std::vector<std::string> names = readNames(classesPath);
    if (names.size() + 1 != vectors.columns)
        throw Error(ErrorCode::DimensionMismatch,
                    classesPath.string() + " names " + std::to_string(names.size()) +
                        " classes but " + o.vectors.string() + " has " +
                        std::to_string(vectors.columns) + " columns (column 0 is the background)",
                    {{"what", "class names"},
                     {"expected", std::to_string(vectors.columns - 1)},
                     {"found", std::to_string(names.size())}});
    if (static_cast<int>(names.size()) < S)
        throw Error(ErrorCode::DimensionMismatch,
                    o.vectors.string() + " has " + std::to_string(names.size()) +
                        " classes, fewer than the model's " + std::to_string(S) + " seen classes",
                    {{"what", "class vectors"},
                     {"expected", ">= " + std::to_string(S)},
                     {"found", std::to_string(names.size())}});
    const int U = static_cast<int>(names.size()) - S;
    auto columnsTensor = [&](std::size_t first, std::size_t count) {
        at::Tensor t = at::empty({D, static_cast<int64_t>(count)}, at::kFloat);
        float* p = t.data_ptr<float>();
        for (int d = 0; d < D; ++d)
            for (std::size_t c = 0; c < count; ++c)
                p[static_cast<std::size_t>(d) * count + c] =
                    vectors.values[static_cast<std::size_t>(d) * vectors.columns + first + c];
        return t;
    };
    const at::Tensor initialBg = columnsTensor(0, 1).view({D});
    const at::Tensor seen = columnsTensor(1, static_cast<std::size_t>(S));

    at::Tensor voc;
    if (config.vocSize > 0) {
        if (o.voc.empty())
            throw Error(ErrorCode::InvalidArgument,
                        "the checkpoint's box head projects onto a VOC matrix of " +
                            std::to_string(config.vocSize) +
                            " words: give its file (--voc vocabulary_w2v.txt, " +
                            std::to_string(D) + " x " + std::to_string(config.vocSize) +
                            ", published with the PL-ZSD code)",
                        {{"name", "--voc"}, {"reason", "missing"}});
        semantics::ColumnMatrix v = semantics::readColumnMatrix(o.voc);
        if (static_cast<int>(v.rows) != D || static_cast<int>(v.columns) != config.vocSize)
            throw Error(ErrorCode::DimensionMismatch,
                        o.voc.string() + " is " + std::to_string(v.rows) + " x " +
                            std::to_string(v.columns) +
                            ", the checkpoint's bbox_head.kernel_semantic expects " +
                            std::to_string(D) + " x " + std::to_string(config.vocSize),
                        {{"what", o.voc.string()},
                         {"expected", std::to_string(D) + " x " + std::to_string(config.vocSize)},
                         {"found", std::to_string(v.rows) + " x " + std::to_string(v.columns)}});
        voc = at::from_blob(v.values.data(), {D, config.vocSize}, at::kFloat).clone();
    }
    int embeddingDim = 0;
    if (!o.embeddings.empty()) {
        embeddingDim = probeDimension(o.embeddings);
        if (embeddingDim != 0 && embeddingDim != D)
            throw Error(ErrorCode::DimensionMismatch,
                        o.embeddings.string() + " has vectors of dimension " +
                            std::to_string(embeddingDim) + ", the model expects " +
                            std::to_string(D),
                        {{"what", o.embeddings.string()},
                         {"expected", std::to_string(D)},
                         {"found", std::to_string(embeddingDim)}});
    }
    checkCancel(o.cancel);

    // 4. The weights: every parameter and buffer of the model from the checkpoint key of the
    // same name, read straight into the model's tensor (no second copy of the weights).
    progress(0.05, "weights");
    torch::NoGradGuard noGrad;
    auto detector = model::ZsiDetector(config);
    const auto byName = index(sd);
    std::vector<std::string> missing, unexpected, misshapen;
    Error::Args firstProblem;
    const auto entries = model::stateEntries(*detector);
    uint64_t totalBytes = 0, doneBytes = 0;
    for (const auto& [name, t] : entries) totalBytes += static_cast<uint64_t>(t.numel()) * 4;
    std::map<std::string, bool> used;
    for (const auto& [name, t] : entries) {
        checkCancel(o.cancel);
        const auto it = byName.find(name);
        if (it == byName.end()) {
            // BatchNorm's counter (torch >= 0.4.1) is absent from older checkpoints; it is
            // never read in eval mode.
            if (name.size() > 20 &&
                name.compare(name.size() - 20, 20, ".num_batches_tracked") == 0) {
                t.zero_();
                report.tolerated.push_back(name);
                continue;
            }
            if (missing.empty() && unexpected.empty() && misshapen.empty())
                firstProblem = {{"key", name},
                                {"expected", shapeString(t.sizes().vec())},
                                {"found", "missing"}};
            missing.push_back(name);
            continue;
        }
        used[name] = true;
        const checkpoint::TensorInfo& info = it->second->tensor;
        if (info.sizes != t.sizes().vec()) {
            if (missing.empty() && unexpected.empty() && misshapen.empty())
                firstProblem = {{"key", name},
                                {"expected", shapeString(t.sizes().vec())},
                                {"found", shapeString(info.sizes)}};
            misshapen.push_back(name + " " + shapeString(info.sizes) + ", expected " +
                                shapeString(t.sizes().vec()));
            continue;
        }
        if (!missing.empty() || !misshapen.empty()) continue;  // an error follows; skip reading
        if (t.scalar_type() == at::kFloat)
            file.readFloat(info, t.data_ptr<float>());
        else if (t.scalar_type() == at::kLong)
            file.readInt64(info, t.data_ptr<int64_t>());
        else
            checkpointError(o.checkpoint, "unexpected tensor type for " + name);
        if (t.is_floating_point() && !at::isfinite(t).all().item<bool>())
            checkpointError(o.checkpoint, "key " + name + " holds NaN or infinite values",
                            {{"key", name}});
        ++report.tensors;
        doneBytes += static_cast<uint64_t>(t.numel()) * 4;
        progress(0.05 + 0.8 * static_cast<double>(doneBytes) /
                            static_cast<double>(std::max<uint64_t>(totalBytes, 1)),
                 "weights");
    }
    for (const auto& e : sd.entries)
        if (!used.count(e.name)) {
            if (missing.empty() && unexpected.empty() && misshapen.empty())
                firstProblem = {{"key", e.name},
                                {"expected", "absent"},
                                {"found", shapeString(e.tensor.sizes)}};
            unexpected.push_back(e.name);
        }
    if (!missing.empty() || !unexpected.empty() || !misshapen.empty()) {
        auto list = [](const std::vector<std::string>& v) {
            std::string s;
            for (std::size_t i = 0; i < v.size() && i < 8; ++i) s += (i ? ", " : "") + v[i];
            if (v.size() > 8) s += " (+" + std::to_string(v.size() - 8) + " more)";
            return s;
        };
        std::string reason = "the checkpoint does not fit the " + config.name + " architecture:";
        if (!missing.empty()) reason += " missing keys: " + list(missing) + ";";
        if (!unexpected.empty()) reason += " unexpected keys: " + list(unexpected) + ";";
        if (!misshapen.empty()) reason += " wrong shapes: " + list(misshapen) + ";";
        reason.pop_back();
        checkpointError(o.checkpoint, reason, firstProblem);
    }

    // 5. The semantic inputs, and a check of the checkpoint's copy of the class vectors
    // (mask_head.conv_vec: rows 0..S = background and seen vectors as the model was trained).
    detector->setSeenClassVectors(seen, initialBg);
    if (voc.defined()) detector->setVoc(voc);
    {
        const at::Tensor filters =
            detector->mask_head->conv_vec->weight.detach().flatten(1);  // (1 + S) x D
        const double seenDiff = (filters.slice(0, 1) - seen.t()).abs().max().item<double>();
        if (seenDiff > 1e-3)  // half-precision checkpoints round the vectors by ~1e-4
            report.warnings.push_back("mask_head.conv_vec.weight rows 1-" + std::to_string(S) +
                                      " differ from the seen columns of " +
                                      o.vectors.filename().string() + " (max |difference| " +
                                      std::to_string(seenDiff) +
                                      "): the checkpoint's are kept for the mask head; check that "
                                      "the vector file is the one "
                                      "the model was trained with");
        const double bgDiff = (filters.select(0, 0) - initialBg).abs().max().item<double>();
        if (bgDiff > 1e-3)
            report.warnings.push_back(
                "mask_head.conv_vec.weight row 0 is not column 0 of " +
                o.vectors.filename().string() +
                " (the mask head synced V_b during training, as 65/15 does); it is used where the "
                "mask head does not sync");
    }
    detector->eval();
    checkCancel(o.cancel);

    // 6. The bundle: weights, names, the class columns shipped beside them, provenance.
    progress(0.87, "writing");
    ModelBundle bundle;
    bundle.detector = detector.ptr();
    bundle.info.config = config;
    bundle.info.seenClasses.assign(names.begin(), names.begin() + S);
    bundle.info.defaultUnseen.assign(names.begin() + S, names.end());
    const semantics::Normalisation norm = semantics::Normalisation::reference();
    const fs::path embName =
        o.embeddings.empty() ? fs::path(kWord2VecFile) : o.embeddings.filename();
    bundle.info.embedding = {{"kind", "text"},
                             {"dim", D},
                             {"normalisation", norm.toString()},
                             {"file", embName.string()},
                             {"sha256", ""}};
    bundle.info.classColumnsFile = kColumnsName;
    bundle.info.classNamesFile = kNamesName;
    bundle.info.description =
        "the published ZSI model (" + (o.preset.empty() ? config.name : "COCO " + o.preset) +
        "): " + std::to_string(S) + " seen COCO classes (" + names[0] + ", " + names[1] +
        ", ...); by default it looks for the " + std::to_string(U) + " unseen ones";
    bundle.info.embeddingHint =
        "word2vec GoogleNews 300-d (" + std::string(kWord2VecFile) +
        "): put it beside the bundle or choose it as the word vectors to type names "
        "other than the " +
        std::to_string(names.size()) + " classes of " + classesPath.filename().string();
    bundle.extraFiles.emplace_back(kColumnsName, readFileBytes(o.vectors));
    {
        std::string n;
        for (const auto& name : names) n += name + "\n";
        bundle.extraFiles.emplace_back(kNamesName, n);
    }
    json prov;
    prov["source"] = "reference checkpoint (MMDetection v1 ZSI)";
    prov["imported_by"] = std::string("zsi import-reference ") + appVersion();
    prov["date"] = nowIso();
    prov["checkpoint"] = o.checkpoint.filename().string();
    prov["checkpoint_bytes"] = file.fileSize();
    prov["checkpoint_format"] = report.format;
    prov["preset"] = o.preset;
    prov["vectors"] = o.vectors.filename().string();
    prov["voc"] = o.voc.empty() ? "" : o.voc.filename().string();
    prov["module_prefix_stripped"] = report.strippedModulePrefix;
    prov["optimizer_skipped"] = report.skippedOptimizer;
    prov["storage_locations"] = report.storageLocations;
    if (!sd.classNames.empty()) prov["meta_classes"] = sd.classNames;
    prov["warnings"] = report.warnings;
    bundle.info.provenance = prov;
    writeModelBundle(o.out, bundle);

    report.numSeen = S;
    report.numUnseen = U;
    report.vocSize = config.vocSize;
    report.semanticDim = D;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress(1, "done");
    return report;
}

ReferenceExportReport exportReferenceCheckpoint(const ReferenceExportOptions& o) {
    ModelBundle b = readModelBundle(o.bundle);
    model::ZsiDetectorImpl& det = *b.detector;
    std::vector<checkpoint::TensorToWrite> tensors;
    std::vector<at::Tensor> keep;  // contiguous CPU copies the writer reads from
    ReferenceExportReport report;
    for (const auto& [name, t] : model::stateEntries(det)) {
        at::Tensor c = t.detach().to(at::kCPU).contiguous();
        checkpoint::TensorToWrite w;
        w.name = name;
        w.sizes = c.sizes().vec();
        if (c.scalar_type() == at::kLong) {
            w.type = checkpoint::ElementType::Int64;
        } else {
            c = c.to(at::kFloat).contiguous();
            w.type = checkpoint::ElementType::Float32;
        }
        w.data = c.data_ptr();
        report.bytes += static_cast<uint64_t>(c.numel()) * static_cast<uint64_t>(c.element_size());
        keep.push_back(c);
        tensors.push_back(w);
    }
    report.tensors = tensors.size();
    // mmcv's meta; CLASSES as MMDetection's training run records it (the dataset's classes:
    // the unseen names for the reference splits' datasets).
    report.classes = b.info.defaultUnseen.empty() ? b.info.seenClasses : b.info.defaultUnseen;
    json meta;
    meta["CLASSES"] = report.classes;
    meta["seen_classes"] = b.info.seenClasses;
    meta["unseen_classes"] = b.info.defaultUnseen;
    meta["mmdet_version"] = "";
    meta["zsi_studio"] = {{"version", appVersion()},
                          {"model", b.info.config.name},
                          {"weights_sha256", b.info.weightsSha256},
                          {"date", nowIso()}};
    checkpoint::writeLegacyCheckpoint(o.out, tensors, meta, [&](uint64_t done, uint64_t total) {
        if (o.progress)
            o.progress(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
                       "writing");
    });
    return report;
}

}  // namespace zsi::io
