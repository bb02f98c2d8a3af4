// fastText .bin / .ftz models through libfasttext. The model is read through a counting
// stream buffer, so even libfasttext's one big read of the input matrix reports progress
// and can be cancelled between 16 MB chunks. Memory is the model's size: word vectors are
// computed on demand (never FastText::getNN, which precomputes a second nwords x dim copy).
#include "semantics/backends_p.h"
#include "util/error.h"

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <istream>
#include <streambuf>

namespace zsi::semantics {
namespace {

namespace fs = std::filesystem;

class CountingBuffer : public std::streambuf {
public:
    CountingBuffer(std::FILE* f, LoadTicker& ticker) : f_(f), ticker_(ticker), buf_(1 << 20) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const std::size_t n = std::fread(buf_.data(), 1, buf_.size(), f_);
        if (n == 0) return traits_type::eof();
        advance(n);
        setg(buf_.data(), buf_.data(), buf_.data() + n);
        return traits_type::to_int_type(*gptr());
    }
    std::streamsize xsgetn(char* s, std::streamsize n) override {
        std::streamsize done = 0;
        const std::streamsize buffered = egptr() - gptr();
        if (buffered > 0) {
            const std::streamsize k = std::min(buffered, n);
            std::memcpy(s, gptr(), static_cast<std::size_t>(k));
            gbump(static_cast<int>(k));
            done = k;
        }
        while (done < n) {  // large reads (the matrices) bypass the buffer, in chunks
            const std::size_t want =
                static_cast<std::size_t>(std::min<std::streamsize>(n - done, 16 << 20));
            const std::size_t got = std::fread(s + done, 1, want, f_);
            if (got == 0) break;
            advance(got);
            done += static_cast<std::streamsize>(got);
        }
        return done;
    }

private:
    void advance(std::size_t n) {
        pos_ += n;
        ticker_.tick(pos_);  // may throw Error(Cancelled); the istream rethrows it
    }
    std::FILE* f_;
    LoadTicker& ticker_;
    std::vector<char> buf_;
    std::uint64_t pos_ = 0;
};

// Gives access to the protected parts of fastText needed to read without copies.
class FastTextAccess : public fasttext::FastText {
public:
    bool readHeader(std::istream& in) { return checkModel(in); }
    const fasttext::Dictionary& dict() const { return *dict_; }
    void wordVectorById(std::int32_t id, fasttext::Vector& vec) const {
        vec.zero();
        const auto& subwords = dict_->getSubwords(id);
        for (std::int32_t s : subwords) addInputVector(vec, s);
        if (!subwords.empty()) vec.mul(1.0f / static_cast<float>(subwords.size()));
    }
};

class FastTextEmbedding final : public EmbeddingModel {
public:
    FastTextEmbedding(fs::path path, std::unique_ptr<FastTextAccess> ft)
        : path_(std::move(path)), ft_(std::move(ft)) {
        const fasttext::Args args = ft_->getArgs();
        subwords_ = args.maxn > 0 && args.bucket > 0;
        const auto& dict = ft_->dict();
        ids_.reserve(static_cast<std::size_t>(dict.nwords()));
        for (std::int32_t i = 0; i < dict.nwords(); ++i)
            if (dict.getWord(i) != fasttext::Dictionary::EOS) ids_.push_back(i);
    }

    int dim() const override { return ft_->getDimension(); }
    std::string kind() const override { return "fasttext"; }
    const fs::path& path() const override { return path_; }
    bool hasSubwords() const override { return subwords_; }

    WordLookup lookup(std::string_view word) const override {
        WordLookup r;
        const std::string w(word);
        const std::int32_t id = ft_->getWordId(w);
        fasttext::Vector vec(dim());
        if (id >= 0) {
            ft_->wordVectorById(id, vec);
            r.status = WordStatus::Found;
        } else if (subwords_ && !w.empty() && !ft_->dict().getSubwords(w).empty()) {
            ft_->getWordVector(vec, w);
            r.status = WordStatus::BuiltFromSubwords;
        } else {
            return r;  // Missing, no vector
        }
        r.vector.assign(vec.data(), vec.data() + vec.size());
        return r;
    }

    std::size_t vocabularySize() const override { return ids_.size(); }
    std::string wordAt(std::size_t i) const override { return ft_->dict().getWord(ids_[i]); }
    void vectorAt(std::size_t i, float* out) const override {
        fasttext::Vector vec(dim());
        ft_->wordVectorById(ids_[i], vec);
        std::copy(vec.data(), vec.data() + vec.size(), out);
    }

private:
    fs::path path_;
    std::unique_ptr<FastTextAccess> ft_;
    bool subwords_ = false;
    std::vector<std::int32_t> ids_;  // dictionary ids of the words, without "</s>"
};

}  // namespace

std::unique_ptr<EmbeddingModel> loadFastText(const fs::path& path, const LoadOptions& options) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, "File not found: " + path.string(),
                    {{"path", path.string()}});
    const auto size = fs::file_size(path, ec);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    auto unreadable = [&](const std::string& reason) {
        return Error(ErrorCode::FileUnreadable,
                     "Cannot read fastText model " + path.string() + ": " + reason,
                     {{"path", path.string()}, {"reason", reason}});
    };
    if (!f) throw unreadable("cannot open the file");
    LoadTicker ticker(options, ec ? 0 : size);
    ticker.check(0);
    CountingBuffer buf(f.get(), ticker);
    std::istream in(&buf);
    in.exceptions(std::ios::badbit);  // rethrow Error(Cancelled) from the buffer
    auto ft = std::make_unique<FastTextAccess>();
    try {
        if (!ft->readHeader(in))
            throw unreadable("not a fastText model (wrong magic number or version)");
        ft->loadModel(in);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw unreadable(e.what());
    }
    if (!in) throw unreadable("the file is truncated");
    ticker.finish();
    return std::make_unique<FastTextEmbedding>(path, std::move(ft));
}

}  // namespace zsi::semantics
