#pragma once
// Files written by Python's torch.save, read without Python and without LibTorch's loaders
// (LibTorch's pickle_load reads only the zip format, and only pickles of its own types):
//   - legacy format (torch < 1.6, and _use_new_zipfile_serialization=False): a magic-number
//     pickle, a protocol-version pickle, a sys-info pickle, the object pickle, a pickle of the
//     storage keys, then each storage as an int64 element count and its raw bytes;
//   - zip format (torch >= 1.6): <archive>/data.pkl plus one entry <archive>/data/<key> per
//     storage.
// Tensors are resolved lazily: the object pickle is parsed, storages are only located, and
// a tensor's bytes are read when asked for, converted to float32 or int64 and gathered
// through the stored sizes, strides and storage offset. Storage device tags ("cuda:0") are
// recorded and ignored: everything is read to host memory.
//
// A damaged file gets Error(CheckpointInvalid) with a reason such as "truncated at byte N",
// "storage '7' missing", "not a torch checkpoint"; never a crash. Torch-free, Qt-free:
// fuzzable on its own (see fuzzTorchFile).
#include "checkpoint/input_file.h"
#include "checkpoint/pickle.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zsi::checkpoint {

enum class FileFormat { Legacy, Zip };
const char* formatName(FileFormat f);  // "legacy", "zip"

enum class ElementType {
    Float32,
    Float64,
    Float16,
    BFloat16,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool
};
const char* elementTypeName(ElementType t);  // "float32", ...
int elementSize(ElementType t);
bool isFloating(ElementType t);

struct StorageInfo {
    std::string key;
    ElementType type = ElementType::Float32;
    std::uint64_t numel = 0;
    std::string location;          // "cpu", "cuda:0", ...
    std::uint64_t dataOffset = 0;  // in the file
    bool located = false;          // its bytes were found in the file
};

struct TensorInfo {
    std::size_t storage = 0;  // index into TorchFile::storages()
    ElementType type = ElementType::Float32;
    std::int64_t offset = 0;  // in elements
    std::vector<std::int64_t> sizes;
    std::vector<std::int64_t> strides;
    std::int64_t numel() const;
    bool contiguous() const;
};

class TorchFile {
public:
    // Opens and parses; storages are located but not read.
    static TorchFile open(const std::filesystem::path& path, const pickle::Limits& limits = {});

    TorchFile(TorchFile&&) noexcept;
    TorchFile& operator=(TorchFile&&) noexcept;
    ~TorchFile();

    FileFormat format() const { return format_; }
    const std::filesystem::path& path() const;
    std::uint64_t fileSize() const;
    const pickle::Value& root() const { return pickle_.root(); }
    const std::vector<StorageInfo>& storages() const { return storages_; }

    // The tensor a pickled value stands for (torch._utils._rebuild_tensor[_v2|_v3],
    // _rebuild_parameter), or nullopt when the value is not a tensor. Throws
    // Error(CheckpointInvalid) for a tensor whose geometry does not fit its storage.
    std::optional<TensorInfo> tensor(const pickle::Value& v) const;

    // Reads a tensor as numel() float32 values (floating types converted) or int64 values
    // (integer and bool types), in row-major order of its sizes.
    void readFloat(const TensorInfo& t, float* out);
    void readInt64(const TensorInfo& t, std::int64_t* out);

private:
    TorchFile();
    void readElements(const TensorInfo& t, void* out, bool asFloat);

    FileFormat format_ = FileFormat::Legacy;
    std::unique_ptr<InputFile> file_;
    pickle::Pickle pickle_;
    std::vector<StorageInfo> storages_;
    // persistent id value -> storage index
    std::vector<std::pair<const pickle::Value*, std::size_t>> storageOfId_;
};

// A checkpoint's state dict, found the way MMDetection's / mmcv's load_checkpoint finds it:
// the top level is either {"state_dict": ..., "meta": ..., "optimizer": ...} (mmcv
// save_checkpoint; publish_model.py keeps only "state_dict"), {"model": ...}, or a bare dict
// of tensors. A "module." prefix (DataParallel) is stripped. The optimizer's tensors are
// never read.
struct StateDictEntry {
    std::string name;
    TensorInfo tensor;
};
struct StateDict {
    std::vector<StateDictEntry> entries;  // in file order
    bool strippedModulePrefix = false;
    bool hadOptimizer = false;
    bool hadMeta = false;
    std::vector<std::string> classNames;  // meta.CLASSES when present
    std::vector<std::string> locations;   // distinct storage device tags
    std::vector<std::string> skipped;     // non-tensor entries of the state dict, by name
};
// Throws Error(CheckpointInvalid, "not a checkpoint: ...") when no state dict is found.
StateDict findStateDict(const TorchFile& file);

// Fuzz entry point: parses `data` as a torch.save file (written to a temporary file first)
// and reads every tensor of its state dict. Returns 0; throws nothing (errors are expected).
int fuzzTorchFile(const std::uint8_t* data, std::size_t size);

}  // namespace zsi::checkpoint
