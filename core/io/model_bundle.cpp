#include "io/model_bundle.h"

#include "checkpoint/torch_file.h"

#include "model/detector.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/hash.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/export.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/csrc/jit/serialization/pickler.h>

#include <chrono>
#include <fstream>
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
    auto stringField = [&](const char* field, std::string& out) {
        if (!j.contains(field)) return;
        if (!j[field].is_string()) schemaError(jsonPath, field, "expected a string");
        out = j[field].get<std::string>();
    };
    if (j.contains("default_unseen")) {
        if (!j["default_unseen"].is_array())
            schemaError(jsonPath, "default_unseen", "expected an array of names");
        for (const auto& n : j["default_unseen"]) {
            if (!n.is_string()) schemaError(jsonPath, "default_unseen", "expected strings");
            info.defaultUnseen.push_back(n.get<std::string>());
        }
    }
    if (j.contains("demo")) {
        if (!j["demo"].is_boolean()) schemaError(jsonPath, "demo", "expected true or false");
        info.demo = j["demo"].get<bool>();
    }
    if (j.contains("class_columns")) {
        const json& cc = j["class_columns"];
        if (!cc.is_object() || !cc.contains("file") || !cc["file"].is_string() ||
            !cc.contains("names") || !cc["names"].is_string())
            schemaError(jsonPath, "class_columns", "expected {\"file\": ..., \"names\": ...}");
        info.classColumnsFile = cc["file"].get<std::string>();
        info.classNamesFile = cc["names"].get<std::string>();
        for (const std::string* f : {&info.classColumnsFile, &info.classNamesFile})
            if (fs::path(*f).has_parent_path() || f->empty())
                schemaError(jsonPath, "class_columns",
                            "file names must be plain names inside the bundle");
    }
    stringField("embedding_hint", info.embeddingHint);
    stringField("description", info.description);
    stringField("demo_image", info.demoImage);
    if (j.contains("weights_sha256")) {
        if (!j["weights_sha256"].is_string())
            schemaError(jsonPath, "weights_sha256", "expected a string");
        info.weightsSha256 = j["weights_sha256"].get<std::string>();
    }
    return info;
}

// weights.pt read with the checkpoint reader: tensors are located in the archive and read
// straight into the model's own tensors, so loading holds one copy of the weights.
class WeightsFile {
public:
    WeightsFile(const fs::path& path, const std::string& expectedSha) : path_(path) {
        requireFile(path);
        if (!expectedSha.empty() && sha256File(path) != expectedSha)
            checkpointInvalid(path,
                              "checksum mismatch (the file is truncated, corrupt or was replaced)");
        file_ = std::make_unique<checkpoint::TorchFile>(checkpoint::TorchFile::open(path));
        const pickle::Value& root = file_->root();
        if (root.kind != pickle::Kind::Dict)
            checkpointInvalid(path, "expected a dict of named tensors");
        for (const auto& [k, v] : root.pairs) {
            auto t = file_->tensor(*v);
            if (!k->isString() || !t) checkpointInvalid(path, "expected a dict of named tensors");
            entries_.emplace(k->s, *t);
        }
    }

    const std::unordered_map<std::string, checkpoint::TensorInfo>& entries() const {
        return entries_;
    }

    // Reads `key` into `out` (float32 or int64, contiguous, of the expected shape).
    void readInto(const std::string& key, at::Tensor& out) {
        const auto it = entries_.find(key);
        const std::string expected = shapeString(out);
        if (it == entries_.end())
            checkpointInvalid(path_, "missing key " + key,
                              {{"key", key}, {"expected", expected}, {"found", "missing"}});
        if (it->second.sizes != out.sizes().vec()) {
            const at::Tensor probe = at::empty(it->second.sizes);
            checkpointInvalid(
                path_, "key " + key + " has shape " + shapeString(probe) + ", expected " + expected,
                {{"key", key}, {"expected", expected}, {"found", shapeString(probe)}});
        }
        if (out.scalar_type() == at::kLong)
            file_->readInt64(it->second, out.data_ptr<int64_t>());
        else
            file_->readFloat(it->second, out.data_ptr<float>());
    }
    at::Tensor read(const std::string& key, const std::vector<int64_t>& shape) {
        at::Tensor t = at::empty(shape, at::kFloat);
        readInto(key, t);
        return t;
    }

private:
    fs::path path_;
    std::unique_ptr<checkpoint::TorchFile> file_;
    std::unordered_map<std::string, checkpoint::TensorInfo> entries_;
};

// torch::pickle_save's archive, written record by record to the file.
void writeWeights(const fs::path& path, const c10::Dict<std::string, at::Tensor>& dict) {
    std::vector<char> pickle;
    torch::jit::Pickler pickler(
        [&](const char* buf, size_t size) { pickle.insert(pickle.end(), buf, buf + size); });
    pickler.protocol();
    pickler.pushIValue(c10::IValue(dict));
    pickler.stop();
    try {
        caffe2::serialize::PyTorchStreamWriter writer(path.string());
        torch::jit::writeArchiveAndTensors("data", pickle.data(), pickle.size(),
                                           pickler.tensorData(), writer);
        writer.writeEndOfFile();
    } catch (const c10::Error& e) {
        std::string what = e.what();
        throw Error(ErrorCode::FileWriteFailed,
                    "cannot write " + path.string() + ": " + what.substr(0, what.find('\n')),
                    {{"path", path.string()}, {"reason", what.substr(0, what.find('\n'))}});
    }
    std::ifstream check(path, std::ios::binary | std::ios::ate);
    if (!check || check.tellg() <= 0)
        throw Error(ErrorCode::FileWriteFailed, "cannot write " + path.string(),
                    {{"path", path.string()}, {"reason", "empty file"}});
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
    WeightsFile weights(weightsPath, bundle.info.weightsSha256);
    const ModelConfig& c = bundle.info.config;
    auto detector = model::ZsiDetector(c);
    std::unordered_map<std::string, bool> known;
    {
        torch::NoGradGuard g;
        for (auto& [name, t] : model::stateEntries(*detector)) {
            known[name] = true;
            weights.readInto(name, t);
        }
    }
    const int64_t D = c.semanticDim;
    const at::Tensor seen = weights.read(kSeenKey, {D, c.numSeen});
    const at::Tensor bg = weights.read(kBackgroundKey, {D});
    known[kSeenKey] = known[kBackgroundKey] = true;
    if (c.vocSize > 0) {
        detector->setVoc(weights.read(kVocKey, {D, c.vocSize}));
        known[kVocKey] = true;
    }
    for (const auto& [name, info] : weights.entries())
        if (!known.count(name)) {
            const std::string found = shapeString(at::empty(info.sizes));
            checkpointInvalid(weightsPath, "unexpected key " + name + " (another architecture?)",
                              {{"key", name}, {"expected", "absent"}, {"found", found}});
        }
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

    json j;
    j["format"] = kFormat;
    j["format_version"] = kBundleFormatVersion;
    j["config"] = modelConfigToJson(c);
    j["semantic_dim"] = c.semanticDim;
    j["seen_classes"] = bundle.info.seenClasses;
    j["embedding"] = bundle.info.embedding.is_null() ? json::object() : bundle.info.embedding;
    j["weights"] = "weights.pt";
    j["weights_sha256"] = "";  // filled in once weights.pt is written
    j["provenance"] = bundle.info.provenance.is_null() ? json::object() : bundle.info.provenance;
    if (!bundle.info.defaultUnseen.empty()) j["default_unseen"] = bundle.info.defaultUnseen;
    if (bundle.info.demo) j["demo"] = true;
    if (!bundle.info.classColumnsFile.empty())
        j["class_columns"] = {{"file", bundle.info.classColumnsFile},
                              {"names", bundle.info.classNamesFile}};
    if (!bundle.info.embeddingHint.empty()) j["embedding_hint"] = bundle.info.embeddingHint;
    if (!bundle.info.description.empty()) j["description"] = bundle.info.description;
    if (!bundle.info.demoImage.empty()) j["demo_image"] = bundle.info.demoImage;

    // Build beside the target, then swap it in: a failure leaves the old bundle untouched.
    const fs::path parent = folder.has_parent_path() ? folder.parent_path() : fs::path(".");
    const std::string base = folder.filename().string();
    const fs::path tmp = parent / ("." + base + ".tmp-" + uniqueSuffix());
    const fs::path old = parent / ("." + base + ".old-" + uniqueSuffix());
    std::error_code ec;
    try {
        fs::create_directories(tmp);
        // Streamed straight to the file: no second copy of the weights in memory.
        writeWeights(tmp / "weights.pt", dict);
        j["weights_sha256"] = sha256File(tmp / "weights.pt");
        for (const auto& [name, bytes] : bundle.extraFiles) writeFileAtomic(tmp / name, bytes);
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
