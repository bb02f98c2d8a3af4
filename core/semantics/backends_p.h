#pragma once
// Private to core/semantics: not API.
// The back-ends behind loadEmbedding(); only embedding.cpp and the tests include this.
#include "semantics/embedding.h"
#include "semantics/vector_table_p.h"

#include <string_view>

namespace zsi::semantics {

// An embedding held in memory as a VectorTable (text vectors, word2vec binary files,
// class-column files).
class TableEmbedding : public EmbeddingModel {
public:
    TableEmbedding(std::string kind, std::filesystem::path path, VectorTable table,
                   bool phrases = false, std::optional<std::vector<float>> background = {})
        : kind_(std::move(kind)),
          path_(std::move(path)),
          table_(std::move(table)),
          phrases_(phrases),
          background_(std::move(background)) {}

    int dim() const override { return table_.dim(); }
    std::string kind() const override { return kind_; }
    const std::filesystem::path& path() const override { return path_; }
    bool entriesArePhrases() const override { return phrases_; }
    WordLookup lookup(std::string_view word) const override;
    std::size_t vocabularySize() const override { return table_.size(); }
    std::string wordAt(std::size_t i) const override { return std::string(table_.word(i)); }
    void vectorAt(std::size_t i, float* out) const override;
    const float* rows() const override { return table_.size() ? table_.row(0) : nullptr; }
    std::optional<std::vector<float>> backgroundVector() const override { return background_; }

private:
    std::string kind_;
    std::filesystem::path path_;
    VectorTable table_;
    bool phrases_;
    std::optional<std::vector<float>> background_;
};

// word2vec / GloVe / fastText .vec text: "word v1 ... vD" per line, optional "count dim"
// header line. Parses `bytes` (the whole file) and reports errors against `path`.
VectorTable parseTextVectors(std::string_view bytes, const std::filesystem::path& path,
                             const LoadOptions& options);
// word2vec's binary format: "count dim\n", then per word "word " + dim little-endian floats.
VectorTable parseWord2VecBinary(std::string_view bytes, const std::filesystem::path& path,
                                const LoadOptions& options);

std::unique_ptr<EmbeddingModel> loadTextVectors(const std::filesystem::path& path,
                                                const LoadOptions& options);
std::unique_ptr<EmbeddingModel> loadWord2VecBinary(const std::filesystem::path& path,
                                                   const LoadOptions& options);
std::unique_ptr<EmbeddingModel> loadClassColumns(const std::filesystem::path& path,
                                                 const LoadOptions& options);
std::unique_ptr<EmbeddingModel> loadFastText(const std::filesystem::path& path,
                                             const LoadOptions& options);

// Progress/cancel bookkeeping shared by the readers: report() at most every `step` bytes.
class LoadTicker {
public:
    LoadTicker(const LoadOptions& o, std::uint64_t total) : o_(o), total_(total) {}
    void tick(std::uint64_t done) {
        if (done < next_) return;
        next_ = done + step;
        check(done);
    }
    void check(std::uint64_t done) const;  // throws Error(Cancelled)
    void finish() const {
        if (o_.progress) o_.progress(total_, total_);
    }
    static constexpr std::uint64_t step = 8u << 20;

private:
    const LoadOptions& o_;
    std::uint64_t total_;
    std::uint64_t next_ = 0;
};

}  // namespace zsi::semantics
