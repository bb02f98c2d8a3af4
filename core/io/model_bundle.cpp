#include "io/model_bundle.h"

#include "model/detector.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/hash.h"

#include <torch/csrc/jit/serialization/pickle.h>

#include <chrono>
#include <sstream>
#include <unordered_map>

namespace zsi::io {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kFormat = "zsi-model-bundle";
constexpr const char* kSeenKey = "zsi.seen_class_vectors";
constexpr const char* kBackgroundKey = "zsi.initial_background";
constexpr const char* kVocKey = "zsi.voc";

std::string shapeString(const at::Tensor& t) {
    std::ostringstream s;
    s << "(";
    for (int64_t i = 0; i < t.dim(); ++i) s << (i ? ", " : "") << t.size(i);
    s << ")";
    return s.str();
}

[[noreturn]] void checkpointInvalid(const fs::path& path, const std::string& reason,
                                    Error::Args extra = {}) {
    extra["path"] = path.string();
    extra["reason"] = reason;
    throw Error(ErrorCode::CheckpointInvalid, "invalid weights " + path.string() + ": " + reason,
                std::move(extra));
}

[[noreturn]] void schemaError(const fs::path& path, const std::string& field,
                              const std::string& reason) {
    throw Error(ErrorCode::JsonSchema, path.string() + ": field '" + field + "': " + reason,
                {{"path", path.string()}, {"field", field}, {"reason", reason}});
}

void requireFile(const fs::path& p) {
    if (!fs::is_regular_file(p))
        throw Error(ErrorCode::FileNotFound, "model bundle file not found: " + p.string(),
                    {{"path", p.string()}});
}

BundleInfo parseInfo(const fs::path& jsonPath) {
    requireFile(jsonPath);
    const std::string bytes = readFileBytes(jsonPath);
    json j;
    try {
        j = json::parse(bytes);
    } catch (const json::parse_error& e) {
        throw Error(ErrorCode::JsonMalformed, jsonPath.string() + ": " + e.what(),
                    {{"path", jsonPath.string()}, {"reason", e.what()}});
    }
    if (!j.is_object()) schemaError(jsonPath, "", "expected an object");
    if (j.value("format", std::string()) != kFormat)
        schemaError(jsonPath, "format", std::string("expected \"") + kFormat + "\"");
    if (!j.contains("format_version") || !j["format_version"].is_number_integer() ||
        j["format_version"].get<int>() > kBundleFormatVersion)
        schemaError(jsonPath, "format_version",
                    "expected an integer <= " + std::to_string(kBundleFormatVersion));
    if (!j.contains("config") || !j["config"].is_object())
        schemaError(jsonPath, "config", "expected an object");
    BundleInfo info;
    info.config = modelConfigFromJson(j["config"], jsonPath.string());
    if (!j.contains("semantic_dim") || !j["semantic_dim"].is_number_integer() ||
        j["semantic_dim"].get<int>() != info.config.semanticDim)
        schemaError(jsonPath, "semantic_dim", "must equal config.semantic_dim");
    if (!j.contains("seen_classes") || !j["seen_classes"].is_array())
        schemaError(jsonPath, "seen_classes", "expected an array of names");
    for (const auto& n : j["seen_classes"]) {
        if (!n.is_string()) schemaError(jsonPath, "seen_classes", "expected strings");
        info.seenClasses.push_back(n.get<std::string>());
    }
    if (static_cast<int>(info.seenClasses.size()) != info.config.numSeen)
        schemaError(jsonPath, "seen_classes",
                    "has " + std::to_string(info.seenClasses.size()) +
                        " names, config.num_seen is " + std::to_string(info.config.numSeen));
    if (j.contains("embedding")) {
        if (!j["embedding"].is_object()) schemaError(jsonPath, "embedding", "expected an object");
        info.embedding = j["embedding"];
    }
    if (j.contains("provenance")) {
        if (!j["provenance"].is_object()) schemaError(jsonPath, "provenance", "expected an object");
        info.provenance = j["provenance"];
    }
    if (j.contains("weights_sha256")) {
        if (!j["weights_sha256"].is_string())
            schemaError(jsonPath, "weights_sha256", "expected a string");
        info.weightsSha256 = j["weights_sha256"].get<std::string>();
    }
    return info;
}

std::unordered_map<std::string, at::Tensor> readWeights(const fs::path& path,
                                                        const std::string& expectedSha) {
    requireFile(path);
    const std::string bytes = readFileBytes(path);
    if (!expectedSha.empty() && sha256Bytes(bytes) != expectedSha)
        checkpointInvalid(path,
                          "checksum mismatch (the file is truncated, corrupt or was replaced)");
    c10::IValue value;
    try {
        value = torch::jit::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
    } catch (const std::exception& e) {
        std::string what = e.what();
        what = what.substr(0, what.find('\n'));
        checkpointInvalid(path, "not a readable LibTorch archive (" + what + ")");
    }
    if (!value.isGenericDict()) checkpointInvalid(path, "expected a dict of named tensors");
    std::unordered_map<std::string, at::Tensor> out;
    for (const auto& item : value.toGenericDict()) {
        if (!item.key().isString() || !item.value().isTensor())
            checkpointInvalid(path, "expected a dict of named tensors");
        out.emplace(item.key().toStringRef(), item.value().toTensor());
    }
    return out;
}

const at::Tensor& takeTensor(const std::unordered_map<std::string, at::Tensor>& weights,
                             const fs::path& path, const std::string& key,
                             const std::vector<int64_t>& expected) {
    const auto it = weights.find(key);
    const at::Tensor probe = at::empty(expected);
    if (it == weights.end())
        checkpointInvalid(path, "missing key " + key,
                          {{"key", key}, {"expected", shapeString(probe)}, {"found", "missing"}});
    if (it->second.sizes() != probe.sizes())
        checkpointInvalid(
            path,
            "key " + key + " has shape " + shapeString(it->second) + ", expected " +
                shapeString(probe),
            {{"key", key}, {"expected", shapeString(probe)}, {"found", shapeString(it->second)}});
    return it->second;
}

std::string uniqueSuffix() {
    return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

BundleInfo readBundleInfo(const fs::path& folder) {
    if (!fs::is_directory(folder))
        throw Error(ErrorCode::FileNotFound, "model bundle not found: " + folder.string(),
                    {{"path", folder.string()}});
    return parseInfo(folder / "model.json");
}

ModelBundle readModelBundle(const fs::path& folder) {
    ModelBundle bundle;
    bundle.info = readBundleInfo(folder);
    const fs::path weightsPath = folder / "weights.pt";
    const auto weights = readWeights(weightsPath, bundle.info.weightsSha256);
    const ModelConfig& c = bundle.info.config;
    auto detector = model::ZsiDetector(c);
    std::unordered_map<std::string, bool> known;
    {
        torch::NoGradGuard g;
        for (auto& [name, t] : model::stateEntries(*detector)) {
            known[name] = true;
            t.copy_(takeTensor(weights, weightsPath, name, t.sizes().vec()));
        }
    }
    const int64_t D = c.semanticDim;
    const at::Tensor seen = takeTensor(weights, weightsPath, kSeenKey, {D, c.numSeen});
    const at::Tensor bg = takeTensor(weights, weightsPath, kBackgroundKey, {D});
    known[kSeenKey] = known[kBackgroundKey] = true;
    if (c.vocSize > 0) {
        detector->setVoc(takeTensor(weights, weightsPath, kVocKey, {D, c.vocSize}));
        known[kVocKey] = true;
    }
    for (const auto& [name, t] : weights)
        if (!known.count(name))
            checkpointInvalid(weightsPath, "unexpected key " + name + " (another architecture?)",
                              {{"key", name}, {"expected", "absent"}, {"found", shapeString(t)}});
    detector->setSeenClassVectors(seen, bg);
    detector->eval();
    bundle.detector = detector.ptr();
    return bundle;
}

void writeModelBundle(const fs::path& folder, const ModelBundle& bundle) {
    if (!bundle.detector)
        throw Error(ErrorCode::InvalidArgument, "no model to write",
                    {{"name", "detector"}, {"reason", "null"}});
    model::ZsiDetectorImpl& det = *bundle.detector;
    const ModelConfig& c = det.config();
    if (static_cast<int>(bundle.info.seenClasses.size()) != c.numSeen)
        throw Error(ErrorCode::InvalidArgument,
                    "the model has " + std::to_string(c.numSeen) + " seen classes but " +
                        std::to_string(bundle.info.seenClasses.size()) + " names were given",
                    {{"name", "seen_classes"}, {"reason", "count mismatch"}});

    c10::Dict<std::string, at::Tensor> dict;
    for (const auto& [name, t] : model::stateEntries(det))
        dict.insert(name, t.detach().cpu().contiguous());
    dict.insert(kSeenKey, det.seenClassVectors().detach().cpu().contiguous());
    dict.insert(kBackgroundKey, det.initialBackground().detach().cpu().contiguous());
    if (c.vocSize > 0) dict.insert(kVocKey, det.voc().detach().cpu().contiguous());
    const std::vector<char> raw = torch::jit::pickle_save(c10::IValue(dict));
    const std::string_view weights(raw.data(), raw.size());

    json j;
    j["format"] = kFormat;
    j["format_version"] = kBundleFormatVersion;
    j["config"] = modelConfigToJson(c);
    j["semantic_dim"] = c.semanticDim;
    j["seen_classes"] = bundle.info.seenClasses;
    j["embedding"] = bundle.info.embedding.is_null() ? json::object() : bundle.info.embedding;
    j["weights"] = "weights.pt";
    j["weights_sha256"] = sha256Bytes(weights);
    j["provenance"] = bundle.info.provenance.is_null() ? json::object() : bundle.info.provenance;

    // Build beside the target, then swap it in: a failure leaves the old bundle untouched.
    const fs::path parent = folder.has_parent_path() ? folder.parent_path() : fs::path(".");
    const std::string base = folder.filename().string();
    const fs::path tmp = parent / ("." + base + ".tmp-" + uniqueSuffix());
    const fs::path old = parent / ("." + base + ".old-" + uniqueSuffix());
    std::error_code ec;
    try {
        fs::create_directories(tmp);
        writeFileAtomic(tmp / "weights.pt", weights);
        writeFileAtomic(tmp / "model.json", j.dump(2) + "\n");
        const bool replacing = fs::exists(folder);
        if (replacing) fs::rename(folder, old);
        fs::rename(tmp, folder);
        if (replacing) fs::remove_all(old, ec);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        if (!fs::exists(folder) && fs::exists(old)) fs::rename(old, folder, ec);
        throw Error(ErrorCode::FileWriteFailed,
                    "cannot write model bundle " + folder.string() + ": " + e.what(),
                    {{"path", folder.string()}, {"reason", e.code().message()}});
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

}  // namespace zsi::io
