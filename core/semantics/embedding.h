#pragma once
// Word embeddings: the one interface behind fastText models, word2vec/GloVe text vectors and
// the reference method's class-column files. Torch-free and Qt-free: widgets and the CLI
// include it; the model code turns the float buffers into tensors.
#include "util/vector_math.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zsi::semantics {

// How a word's vector was obtained.
enum class WordStatus {
    Found,              // the word is in the vocabulary
    BuiltFromSubwords,  // out of vocabulary, built from character n-grams (fastText)
    Missing,            // out of vocabulary and no way to build it
};
const char* wordStatusName(WordStatus s);  // "found", "subwords", "missing"

struct WordLookup {
    std::vector<float> vector;  // dim() floats; empty when status == Missing
    WordStatus status = WordStatus::Missing;
};

// Progress of a long load: bytes consumed so far and the file size. Called from the loading
// thread (the caller marshals it to the GUI thread), at most a few hundred times per file.
using LoadProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct LoadOptions {
    LoadProgress progress;                      // optional
    const std::atomic<bool>* cancel = nullptr;  // optional; set -> Error(Cancelled)
    // Class-column files only: the class-name list (one name per line). Empty: look for a
    // sibling "classes<suffix>.txt" (word_w2v_withbg_48_17.txt -> classes_48_17.txt).
    std::filesystem::path classNames;
};

class EmbeddingModel {
public:
    virtual ~EmbeddingModel() = default;

    virtual int dim() const = 0;
    // "fasttext" | "text" | "class-columns"
    virtual std::string kind() const = 0;
    virtual const std::filesystem::path& path() const = 0;
    // True when out-of-vocabulary words get a vector from character n-grams.
    virtual bool hasSubwords() const { return false; }
    // True when entries are whole class names ("traffic light") rather than single words:
    // a phrase is then looked up as one entry, never as a mean of its words.
    virtual bool entriesArePhrases() const { return false; }

    // One word (or, for phrase models, one normalised class name), exactly as stored: no
    // case folding here (ClassEmbedder does that).
    virtual WordLookup lookup(std::string_view word) const = 0;

    // The vocabulary in frequency order (most frequent first) where the file has one
    // (fastText dictionaries, word2vec/GloVe/fastText .vec files are sorted that way); for
    // class-column files, the class order.
    virtual std::size_t vocabularySize() const = 0;
    virtual std::string wordAt(std::size_t index) const = 0;
    // Writes dim() floats of entry `index` to out.
    virtual void vectorAt(std::size_t index, float* out) const = 0;
    // All entries as one row-major vocabularySize() x dim() block, where the back-end keeps
    // them so (text and word2vec files, class columns); nullptr otherwise (use vectorAt).
    virtual const float* rows() const { return nullptr; }

    // The background column of a class-column file (column 0), if the file has one.
    virtual std::optional<std::vector<float>> backgroundVector() const { return std::nullopt; }
};

// Opens an embedding file, choosing the back-end by content and extension:
//   fastText .bin / .ftz (magic number)   -> kind "fasttext" (libfasttext)
//   comma-separated columns                -> kind "class-columns" (+ options.classNames)
//   .vec / .txt / anything else textual    -> kind "text" (optional "count dim" header)
// Throws Error(FileNotFound, FileUnreadable, VectorFileMalformed, Cancelled, ...).
// Safe to call from a worker thread; the returned model is read-only and thread-safe.
std::unique_ptr<EmbeddingModel> loadEmbedding(const std::filesystem::path& path,
                                              const LoadOptions& options = {});

struct Neighbour {
    std::string name;
    float cosine = 0;
};

// The k vocabulary entries closest to `vector` by cosine, scanning the first `maxScan`
// entries in frequency order (0: all). Entries in `exclude` are skipped.
std::vector<Neighbour> nearestWords(const EmbeddingModel& model, const std::vector<float>& vector,
                                    int k, std::size_t maxScan = 0,
                                    const std::vector<std::string>& exclude = {});

}  // namespace zsi::semantics
