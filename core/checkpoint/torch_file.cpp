#include "checkpoint/torch_file.h"

#include "checkpoint/zip_archive.h"
#include "util/error.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <random>

namespace zsi::checkpoint {

namespace fs = std::filesystem;
using pickle::Kind;
using pickle::Value;

namespace {

// Legacy magic number 0x1950a86a20f9469cfc6c as pickled by Python (LONG1, little-endian).
constexpr std::array<unsigned char, 10> kMagic{0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                               0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::int64_t kProtocolVersion = 1001;
constexpr std::size_t kMaxDims = 16;

[[noreturn]] void invalid(const fs::path& path, const std::string& reason) {
    throw Error(ErrorCode::CheckpointInvalid, path.string() + ": " + reason,
                {{"path", path.string()}, {"reason", reason}});
}

std::optional<ElementType> storageType(const std::string& global) {
    static const std::map<std::string, ElementType> types{
        {"torch.FloatStorage", ElementType::Float32},
        {"torch.DoubleStorage", ElementType::Float64},
        {"torch.HalfStorage", ElementType::Float16},
        {"torch.BFloat16Storage", ElementType::BFloat16},
        {"torch.LongStorage", ElementType::Int64},
        {"torch.IntStorage", ElementType::Int32},
        {"torch.ShortStorage", ElementType::Int16},
        {"torch.CharStorage", ElementType::Int8},
        {"torch.ByteStorage", ElementType::UInt8},
        {"torch.BoolStorage", ElementType::Bool},
        {"torch.UntypedStorage", ElementType::UInt8},
        {"torch.cuda.FloatStorage", ElementType::Float32},
        {"torch.cuda.DoubleStorage", ElementType::Float64},
        {"torch.cuda.HalfStorage", ElementType::Float16},
        {"torch.cuda.LongStorage", ElementType::Int64},
        {"torch.cuda.IntStorage", ElementType::Int32},
        {"torch.cuda.ByteStorage", ElementType::UInt8},
        {"torch.cuda.BoolStorage", ElementType::Bool},
        {"torch.cuda.BFloat16Storage", ElementType::BFloat16},
    };
    const auto it = types.find(global);
    if (it == types.end()) return std::nullopt;
    return it->second;
}

std::optional<ElementType> dtypeType(const std::string& global) {
    static const std::map<std::string, ElementType> types{
        {"torch.float32", ElementType::Float32}, {"torch.float64", ElementType::Float64},
        {"torch.float16", ElementType::Float16}, {"torch.bfloat16", ElementType::BFloat16},
        {"torch.int64", ElementType::Int64},     {"torch.int32", ElementType::Int32},
        {"torch.int16", ElementType::Int16},     {"torch.int8", ElementType::Int8},
        {"torch.uint8", ElementType::UInt8},     {"torch.bool", ElementType::Bool},
    };
    const auto it = types.find(global);
    if (it == types.end()) return std::nullopt;
    return it->second;
}

float halfToFloat(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000) << 16;
    std::uint32_t exp = (h >> 10) & 0x1f;
    std::uint32_t mant = h & 0x3ff;
    std::uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            exp = 127 - 15 + 1;
            while (!(mant & 0x400)) {
                mant <<= 1;
                --exp;
            }
            mant &= 0x3ff;
            bits = sign | (exp << 23) | (mant << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

template <typename T>
T load(const unsigned char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

bool isInt(const Value* v) {
    return v && v->kind == Kind::Int && !v->big;
}

std::vector<std::int64_t> intTuple(const Value* v, const fs::path& path, const char* what) {
    if (!v || !v->isSequence()) invalid(path, std::string("tensor ") + what + " is not a tuple");
    if (v->items.size() > kMaxDims)
        invalid(path, std::string("tensor ") + what + " has too many dimensions");
    std::vector<std::int64_t> out;
    for (const Value* x : v->items) {
        if (!isInt(x) || x->i < 0)
            invalid(path, std::string("tensor ") + what + " is not a tuple of sizes");
        out.push_back(x->i);
    }
    return out;
}

std::string strOf(const Value* v) {
    return v && v->isString() ? v->s : std::string();
}

}  // namespace

const char* formatName(FileFormat f) {
    return f == FileFormat::Legacy ? "legacy" : "zip";
}

const char* elementTypeName(ElementType t) {
    switch (t) {
        case ElementType::Float32:
            return "float32";
        case ElementType::Float64:
            return "float64";
        case ElementType::Float16:
            return "float16";
        case ElementType::BFloat16:
            return "bfloat16";
        case ElementType::Int64:
            return "int64";
        case ElementType::Int32:
            return "int32";
        case ElementType::Int16:
            return "int16";
        case ElementType::Int8:
            return "int8";
        case ElementType::UInt8:
            return "uint8";
        case ElementType::Bool:
            return "bool";
    }
    return "?";
}

int elementSize(ElementType t) {
    switch (t) {
        case ElementType::Float64:
        case ElementType::Int64:
            return 8;
        case ElementType::Float32:
        case ElementType::Int32:
            return 4;
        case ElementType::Float16:
        case ElementType::BFloat16:
        case ElementType::Int16:
            return 2;
        default:
            return 1;
    }
}

bool isFloating(ElementType t) {
    return t == ElementType::Float32 || t == ElementType::Float64 || t == ElementType::Float16 ||
           t == ElementType::BFloat16;
}

std::int64_t TensorInfo::numel() const {
    std::int64_t n = 1;
    for (auto s : sizes) n *= s;
    return n;
}

bool TensorInfo::contiguous() const {
    std::int64_t expected = 1;
    for (std::size_t d = sizes.size(); d-- > 0;) {
        if (sizes[d] != 1 && strides[d] != expected) return false;
        expected *= sizes[d];
    }
    return true;
}

TorchFile::TorchFile() = default;
TorchFile::TorchFile(TorchFile&&) noexcept = default;
TorchFile& TorchFile::operator=(TorchFile&&) noexcept = default;
TorchFile::~TorchFile() = default;

const fs::path& TorchFile::path() const {
    return file_->path();
}
std::uint64_t TorchFile::fileSize() const {
    return file_->size();
}

TorchFile TorchFile::open(const fs::path& path, const pickle::Limits& limits) {
    TorchFile tf;
    tf.file_ = std::make_unique<InputFile>(path);
    InputFile& file = *tf.file_;
    if (file.size() == 0) invalid(path, "not a torch checkpoint (the file is empty)");

    auto parseAt = [&](std::uint64_t offset, std::uint64_t length) {
        FileSectionSource src(file, offset, length);
        try {
            return pickle::Pickle::parse(src, limits);
        } catch (const pickle::PickleError& e) {
            if (e.reason().rfind("truncated", 0) == 0)
                invalid(path,
                        "truncated at byte " + std::to_string(file.size()) + " (inside a pickle)");
            invalid(path, "damaged pickle: " + std::string(e.what()));
        }
    };

    // Registers the storages named by the persistent ids of the object pickle.
    auto collectStorages = [&](const pickle::Pickle& p) {
        std::map<std::string, std::size_t> byKey;
        for (const Value* pid : p.persistentIds()) {
            const Value* t = pid->items.empty() ? nullptr : pid->items[0];
            if (!t || t->kind != Kind::Tuple || t->items.size() < 5 ||
                strOf(t->items[0]) != "storage")
                invalid(path, "unknown persistent id (" +
                                  (t ? describe(*t) : std::string("empty")) + ")");
            const Value* type = t->items[1];
            if (type->kind != Kind::Global) invalid(path, "storage type is not a class name");
            const auto et = storageType(type->s);
            if (!et) invalid(path, "unsupported storage type " + type->s);
            const std::string key = strOf(t->items[2]);
            if (key.empty()) invalid(path, "storage without a key");
            if (!isInt(t->items[4]) || t->items[4]->i < 0)
                invalid(path, "storage '" + key + "' has no size");
            auto [it, fresh] = byKey.emplace(key, tf.storages_.size());
            if (fresh) {
                StorageInfo s;
                s.key = key;
                s.type = *et;
                s.numel = static_cast<std::uint64_t>(t->items[4]->i);
                s.location = strOf(t->items[3]);
                tf.storages_.push_back(s);
            } else if (tf.storages_[it->second].type != *et) {
                invalid(path, "storage '" + key + "' is used with two element types");
            } else {
                tf.storages_[it->second].numel = std::max<std::uint64_t>(
                    tf.storages_[it->second].numel, static_cast<std::uint64_t>(t->items[4]->i));
            }
            tf.storageOfId_.emplace_back(pid, it->second);
        }
        return byKey;
    };

    if (ZipArchive::looksLikeZip(file)) {
        tf.format_ = FileFormat::Zip;
        ZipArchive zip(file);
        const ZipEntry* data = nullptr;
        for (const auto& e : zip.entries())
            if (e.name.size() >= 9 && e.name.compare(e.name.size() - 9, 9, "/data.pkl") == 0 &&
                std::count(e.name.begin(), e.name.end(), '/') == 1) {
                data = &e;
                break;
            }
        if (!data) {
            if (zip.find("constants.pkl") || zip.find("code/"))
                invalid(path,
                        "not a checkpoint: a TorchScript archive (torch.jit.save), not torch.save");
            invalid(path, "not a torch checkpoint (a zip archive without data.pkl)");
        }
        const std::string prefix = data->name.substr(0, data->name.size() - 8);  // "archive/"
        if (const ZipEntry* order = zip.find(prefix + "byteorder"))
            if (file.readString(order->dataOffset, std::min<std::uint64_t>(order->size, 16)) !=
                "little")
                invalid(path, "a big-endian checkpoint (not supported)");
        tf.pickle_ = parseAt(data->dataOffset, data->size);
        const auto byKey = collectStorages(tf.pickle_);
        for (auto& s : tf.storages_) {
            const ZipEntry* e = zip.find(prefix + "data/" + s.key);
            if (!e) invalid(path, "storage '" + s.key + "' missing");
            const std::uint64_t need = s.numel * static_cast<std::uint64_t>(elementSize(s.type));
            if (s.numel > (1ull << 40) || e->size < need)
                invalid(path, "storage '" + s.key + "' is shorter than its " +
                                  std::to_string(s.numel) + " elements");
            s.dataOffset = e->dataOffset;
            s.located = true;
        }
        return tf;
    }

    // Legacy format: four pickles, then the storages in key-list order.
    tf.format_ = FileFormat::Legacy;
    const unsigned char first = static_cast<unsigned char>(file.readString(0, 1)[0]);
    if (first != 0x80) {
        if (file.size() > 262 && file.readString(257, 5) == "ustar")
            invalid(path,
                    "a tar checkpoint of torch < 0.4 (not supported: load and re-save it with "
                    "torch >= 1.0)");
        invalid(path, "not a torch checkpoint (neither a zip archive nor a pickle)");
    }
    std::uint64_t pos = 0;
    {
        pickle::Pickle magic = parseAt(0, file.size());
        const Value& m = magic.root();
        if (m.kind != Kind::Int || !m.big || m.s.size() != kMagic.size() ||
            std::memcmp(m.s.data(), kMagic.data(), kMagic.size()) != 0)
            invalid(path, "not a torch checkpoint (a pickle without torch's magic number)");
        pos = magic.endOffset();
    }
    {
        pickle::Pickle version = parseAt(pos, file.size() - pos);
        if (!isInt(&version.root()) || version.root().i != kProtocolVersion)
            invalid(path, "unsupported legacy protocol version");
        pos = version.endOffset();
    }
    {
        pickle::Pickle sys = parseAt(pos, file.size() - pos);
        const Value* little = sys.root().find("little_endian");
        if (little && little->kind == Kind::Bool && !little->b)
            invalid(path, "a big-endian checkpoint (not supported)");
        pos = sys.endOffset();
    }
    tf.pickle_ = parseAt(pos, file.size() - pos);
    pos = tf.pickle_.endOffset();
    const auto byKey = collectStorages(tf.pickle_);
    pickle::Pickle keys = parseAt(pos, file.size() - pos);
    pos = keys.endOffset();
    if (keys.root().kind != Kind::List) invalid(path, "damaged storage key list");
    for (const Value* k : keys.root().items) {
        const std::string key = strOf(k);
        const auto it = byKey.find(key);
        // Each storage's element size comes from its persistent id; a storage nobody refers
        // to cannot be skipped safely.
        if (it == byKey.end()) invalid(path, "storage '" + key + "' is listed but never used");
        StorageInfo& s = tf.storages_[it->second];
        if (pos > file.size() || file.size() - pos < 8)
            invalid(path, "truncated at byte " + std::to_string(file.size()) + " (storage '" + key +
                              "' missing)");
        std::int64_t count = 0;
        file.readAt(pos, &count, 8);
        if (count < 0 || static_cast<std::uint64_t>(count) < s.numel)
            invalid(path, "storage '" + key + "' has " + std::to_string(count) +
                              " elements, expected " + std::to_string(s.numel));
        const std::uint64_t bytes =
            static_cast<std::uint64_t>(count) * static_cast<std::uint64_t>(elementSize(s.type));
        if (static_cast<std::uint64_t>(count) > (1ull << 40) || bytes > file.size() - pos - 8)
            invalid(path, "truncated at byte " + std::to_string(file.size()) + " (storage '" + key +
                              "' needs " + std::to_string(bytes) + " bytes from byte " +
                              std::to_string(pos + 8) + ")");
        s.dataOffset = pos + 8;
        s.located = true;
        pos += 8 + bytes;
    }
    for (const auto& s : tf.storages_)
        if (!s.located) invalid(path, "storage '" + s.key + "' missing");
    return tf;
}

std::optional<TensorInfo> TorchFile::tensor(const Value& v) const {
    const fs::path& p = path();
    if (v.isCall("torch._utils._rebuild_parameter") ||
        v.isCall("torch._utils._rebuild_parameter_with_state")) {
        const Value* args = v.items[1];
        if (args->items.empty()) invalid(p, "parameter without data");
        return tensor(*args->items[0]);
    }
    const bool v1 = v.isCall("torch._utils._rebuild_tensor");
    const bool v2 = v.isCall("torch._utils._rebuild_tensor_v2");
    const bool v3 = v.isCall("torch._utils._rebuild_tensor_v3");
    if (!v1 && !v2 && !v3) return std::nullopt;
    const Value* args = v.items[1];
    if (args->items.size() < 4) invalid(p, "tensor with too few arguments");
    const Value* sid = args->items[0];
    TensorInfo t;
    bool found = false;
    for (const auto& [id, index] : storageOfId_)
        if (id == sid) {
            t.storage = index;
            found = true;
            break;
        }
    if (!found) invalid(p, "tensor without a storage");
    const StorageInfo& s = storages_[t.storage];
    t.type = s.type;
    if (v3 && args->items.size() > 6 && args->items[6]->kind == Kind::Global) {
        const auto dt = dtypeType(args->items[6]->s);
        if (!dt) invalid(p, "unsupported tensor dtype " + args->items[6]->s);
        if (elementSize(*dt) != elementSize(s.type) && s.type != ElementType::UInt8)
            invalid(p, "tensor dtype does not match its storage");
        t.type = *dt;
    }
    if (!isInt(args->items[1]) || args->items[1]->i < 0)
        invalid(p, "tensor with a bad storage offset");
    t.offset = args->items[1]->i;
    t.sizes = intTuple(args->items[2], p, "sizes");
    t.strides = intTuple(args->items[3], p, "strides");
    if (t.sizes.size() != t.strides.size()) invalid(p, "tensor sizes and strides differ in length");
    // The last element addressed must lie inside the storage (in elements of t.type).
    const std::uint64_t storageElems = s.numel * static_cast<std::uint64_t>(elementSize(s.type)) /
                                       static_cast<std::uint64_t>(elementSize(t.type));
    // Summed without overflow (no 128-bit integers on every compiler): a term that would
    // overflow already lies past any storage.
    std::uint64_t last = static_cast<std::uint64_t>(t.offset);
    bool empty = false, overflow = false;
    for (std::size_t d = 0; d < t.sizes.size(); ++d) {
        if (t.sizes[d] == 0) {
            empty = true;
            continue;
        }
        const auto n = static_cast<std::uint64_t>(t.sizes[d] - 1);
        const auto stride = static_cast<std::uint64_t>(t.strides[d]);
        if (n != 0 && stride > (UINT64_MAX - last) / n)
            overflow = true;
        else
            last += n * stride;
    }
    if (!empty && overflow) last = UINT64_MAX;
    if (!empty && last >= storageElems)
        invalid(p, "tensor reaches past its storage '" + s.key + "' (" +
                       std::to_string(storageElems) + " elements)");
    if (!empty && t.numel() > (std::int64_t(1) << 40)) invalid(p, "tensor too large");
    return t;
}

void TorchFile::readElements(const TensorInfo& t, void* out, bool asFloat) {
    const StorageInfo& s = storages_[t.storage];
    const int es = elementSize(t.type);
    const std::int64_t n = t.numel();
    if (n == 0) return;
    // Stored as wanted: read straight into the destination (no temporary copy).
    if (t.contiguous() && ((asFloat && t.type == ElementType::Float32) ||
                           (!asFloat && t.type == ElementType::Int64))) {
        file_->readAt(
            s.dataOffset + static_cast<std::uint64_t>(t.offset) * static_cast<std::uint64_t>(es),
            out, static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(es));
        return;
    }
    // Read the span of the storage the tensor touches, then gather through the strides.
    std::uint64_t span = 1;
    for (std::size_t d = 0; d < t.sizes.size(); ++d)
        span +=
            static_cast<std::uint64_t>(t.sizes[d] - 1) * static_cast<std::uint64_t>(t.strides[d]);
    std::vector<unsigned char> raw(span * static_cast<std::uint64_t>(es));
    file_->readAt(
        s.dataOffset + static_cast<std::uint64_t>(t.offset) * static_cast<std::uint64_t>(es),
        raw.data(), raw.size());
    const std::size_t dims = t.sizes.size();
    std::vector<std::int64_t> idx(dims, 0);
    std::uint64_t at = 0;
    for (std::int64_t k = 0; k < n; ++k) {
        const unsigned char* p = raw.data() + at * static_cast<std::uint64_t>(es);
        if (asFloat) {
            float v = 0;
            switch (t.type) {
                case ElementType::Float32:
                    v = load<float>(p);
                    break;
                case ElementType::Float64:
                    v = static_cast<float>(load<double>(p));
                    break;
                case ElementType::Float16:
                    v = halfToFloat(load<std::uint16_t>(p));
                    break;
                case ElementType::BFloat16: {
                    const std::uint32_t bits = static_cast<std::uint32_t>(load<std::uint16_t>(p))
                                               << 16;
                    std::memcpy(&v, &bits, 4);
                    break;
                }
                case ElementType::Int64:
                    v = static_cast<float>(load<std::int64_t>(p));
                    break;
                case ElementType::Int32:
                    v = static_cast<float>(load<std::int32_t>(p));
                    break;
                case ElementType::Int16:
                    v = static_cast<float>(load<std::int16_t>(p));
                    break;
                case ElementType::Int8:
                    v = static_cast<float>(load<std::int8_t>(p));
                    break;
                case ElementType::UInt8:
                case ElementType::Bool:
                    v = static_cast<float>(*p);
                    break;
            }
            static_cast<float*>(out)[k] = v;
        } else {
            std::int64_t v = 0;
            switch (t.type) {
                case ElementType::Int64:
                    v = load<std::int64_t>(p);
                    break;
                case ElementType::Int32:
                    v = load<std::int32_t>(p);
                    break;
                case ElementType::Int16:
                    v = load<std::int16_t>(p);
                    break;
                case ElementType::Int8:
                    v = load<std::int8_t>(p);
                    break;
                case ElementType::UInt8:
                case ElementType::Bool:
                    v = *p;
                    break;
                case ElementType::Float32:
                    v = static_cast<std::int64_t>(load<float>(p));
                    break;
                case ElementType::Float64:
                    v = static_cast<std::int64_t>(load<double>(p));
                    break;
                case ElementType::Float16:
                    v = static_cast<std::int64_t>(halfToFloat(load<std::uint16_t>(p)));
                    break;
                case ElementType::BFloat16: {
                    const std::uint32_t bits = static_cast<std::uint32_t>(load<std::uint16_t>(p))
                                               << 16;
                    float f;
                    std::memcpy(&f, &bits, 4);
                    v = static_cast<std::int64_t>(f);
                    break;
                }
            }
            static_cast<std::int64_t*>(out)[k] = v;
        }
        // Advance the multi-index (row-major) and the storage position.
        for (std::size_t d = dims; d-- > 0;) {
            if (++idx[d] < t.sizes[d]) {
                at += static_cast<std::uint64_t>(t.strides[d]);
                break;
            }
            at -= static_cast<std::uint64_t>(t.strides[d]) *
                  static_cast<std::uint64_t>(t.sizes[d] - 1);
            idx[d] = 0;
        }
    }
}

void TorchFile::readFloat(const TensorInfo& t, float* out) {
    readElements(t, out, true);
}
void TorchFile::readInt64(const TensorInfo& t, std::int64_t* out) {
    readElements(t, out, false);
}

StateDict findStateDict(const TorchFile& file) {
    const fs::path& path = file.path();
    const Value& root = file.root();
    StateDict out;
    if (root.kind != Kind::Dict)
        invalid(path,
                "not a checkpoint: the file holds " + describe(root) + ", not a dict of tensors");
    const Value* sd = nullptr;
    if (const Value* v = root.find("state_dict"))
        sd = v;
    else if (const Value* m = root.find("model"); m && m->kind == Kind::Dict)
        sd = m;
    else
        sd = &root;
    out.hadOptimizer = root.find("optimizer") != nullptr;
    if (const Value* meta = root.find("meta"); meta && meta->kind == Kind::Dict) {
        out.hadMeta = true;
        if (const Value* cls = meta->find("CLASSES"); cls && cls->isSequence())
            for (const Value* c : cls->items)
                if (c->isString()) out.classNames.push_back(c->s);
    }
    if (sd->kind != Kind::Dict)
        invalid(path, "not a checkpoint: 'state_dict' holds " + describe(*sd) +
                          ", not a dict of tensors");
    for (const auto& [k, v] : sd->pairs) {
        if (!k->isString()) invalid(path, "not a checkpoint: a state-dict key is not a string");
        auto t = file.tensor(*v);
        if (!t) {
            out.skipped.push_back(k->s);
            continue;
        }
        out.entries.push_back({k->s, *t});
    }
    if (out.entries.empty()) invalid(path, "not a checkpoint: no tensors in the state dict");
    const bool allModule =
        std::all_of(out.entries.begin(), out.entries.end(),
                    [](const StateDictEntry& e) { return e.name.rfind("module.", 0) == 0; });
    if (allModule) {
        for (auto& e : out.entries) e.name.erase(0, 7);
        out.strippedModulePrefix = true;
    }
    for (const auto& e : out.entries) {
        const std::string& loc = file.storages()[e.tensor.storage].location;
        if (std::find(out.locations.begin(), out.locations.end(), loc) == out.locations.end())
            out.locations.push_back(loc);
    }
    return out;
}

int fuzzTorchFile(const std::uint8_t* data, std::size_t size) {
    static const fs::path tmp =
        fs::temp_directory_path() /
        ("zsi-fuzz-torchfile-" + std::to_string(std::random_device{}()) + ".pth");
    {
        std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
        o.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        TorchFile f = TorchFile::open(tmp);
        StateDict sd = findStateDict(f);
        std::vector<float> buf;
        for (const auto& e : sd.entries) {
            if (e.tensor.numel() > (1 << 24)) continue;  // keep each run fast and small
            buf.resize(static_cast<std::size_t>(e.tensor.numel()));
            f.readFloat(e.tensor, buf.data());
        }
    } catch (const Error&) {
    }
    std::error_code ec;
    fs::remove(tmp, ec);
    return 0;
}

}  // namespace zsi::checkpoint
