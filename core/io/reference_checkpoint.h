#pragma once
// The published ZSI checkpoints (MMDetection v1, ResNet-101-FPN, COCO 48/17 and 65/15 splits)
// in and out of model bundles.
//
// Import: a torch.save file (legacy or zip; mmcv {meta, state_dict, optimizer}, published
// {state_dict} or a bare state dict; "module." stripped; fp16/fp64/bf16 converted; strides and
// storage offsets honoured) plus what the reference loads from files rather than from the
// checkpoint: the class-column vector file (D x (1 + S + U), column 0 the initial background),
// the class names and the VOC matrix (D x K). Every checkpoint key maps onto the module of the
// same name; missing, unexpected and mis-shaped keys are named. Keys the reference forward
// never reads (bbox_head.fc_res, mask_head.convs.0-2) are kept so that an export round-trips.
// Where a tensor is both in the checkpoint and in a file (mask_head.conv_vec holds the class
// vectors), the checkpoint wins and a disagreement is reported as a warning.
//
// Export: a bundle back to a legacy-format checkpoint (the reference runs on torch 1.1-1.4)
// with the reference keys and mmcv's {meta, state_dict} layout.
//
// Torch-free header: the CLI and the app call these through plain values.
#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace zsi::io {

// progress(fraction 0..1, stage): "reading", "weights", "vectors", "writing".
using ImportProgress = std::function<void(double, const std::string&)>;

struct ReferenceImportOptions {
    std::filesystem::path checkpoint;
    // "48_17" or "65_15": the reference R101 configuration and class list of that split
    // (resources/configs/zsi_r101_fpn_<preset>.json, resources/reference/classes_<preset>.txt).
    // Empty: `config` must name a model config (other backbones, tests).
    std::string preset;
    std::filesystem::path config;
    std::filesystem::path vectors;  // word_w2v_withbg_<split>.txt
    std::filesystem::path classes;  // names of vector columns 1..; default: the preset's list
    std::filesystem::path voc;      // vocabulary_w2v.txt (D x K); needed when K > 0
    // Word vectors of the model's space for typed names (word2vec GoogleNews 300-d .bin).
    // Only its name and dimension are recorded; without it the bundle still names the file.
    std::filesystem::path embeddings;
    std::filesystem::path out;      // bundle folder (written atomically)
    std::filesystem::path dataDir;  // where presets are found
    ImportProgress progress;
    const std::atomic<bool>* cancel = nullptr;
};

struct ReferenceImportReport {
    std::string format;  // "legacy" / "zip"
    bool strippedModulePrefix = false;
    bool skippedOptimizer = false;
    bool hadMeta = false;
    std::vector<std::string> storageLocations;
    int numSeen = 0, numUnseen = 0, vocSize = 0, semanticDim = 0;
    std::size_t tensors = 0;
    std::vector<std::string> tolerated;  // keys filled in (num_batches_tracked)
    std::vector<std::string> warnings;
    double seconds = 0;
};

// Throws zsi::Error: FileNotFound, CheckpointInvalid (path, reason, key, expected, found),
// VectorFileMalformed, DimensionMismatch, InvalidArgument, Cancelled, FileWriteFailed.
ReferenceImportReport importReferenceCheckpoint(const ReferenceImportOptions& options);

struct ReferenceExportOptions {
    std::filesystem::path bundle;
    std::filesystem::path out;  // .pth, written atomically
    ImportProgress progress;
};
struct ReferenceExportReport {
    std::size_t tensors = 0;
    std::uint64_t bytes = 0;
    std::vector<std::string> classes;  // meta.CLASSES
};
ReferenceExportReport exportReferenceCheckpoint(const ReferenceExportOptions& options);

// The presets this build knows ("48_17", "65_15").
std::vector<std::string> referencePresets();

}  // namespace zsi::io
