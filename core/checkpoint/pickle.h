#pragma once
// A bounded reader of Python pickles (protocols 0-5, the subset that torch.save and its
// callers write: containers, scalars, strings, globals, REDUCE / BUILD / NEWOBJ objects and
// persistent ids), for files this program did not write. Nothing is ever executed: a global
// is only a name and a reduced object only records its callable and arguments. Callers give
// meaning to the few callables they know (collections.OrderedDict, torch._utils.*).
//
// Every read is bounds-checked; malformed input throws PickleError with the byte offset.
// Values live in an arena owned by the Pickle result, so self-referencing containers (legal
// in a pickle) cannot leak or recurse during destruction. Torch-free and Qt-free.
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zsi::pickle {

class PickleError : public std::runtime_error {
public:
    PickleError(std::string reason, std::uint64_t offset)
        : std::runtime_error(reason + " at byte " + std::to_string(offset)),
          reason_(std::move(reason)),
          offset_(offset) {}
    const std::string& reason() const { return reason_; }
    std::uint64_t offset() const { return offset_; }

private:
    std::string reason_;
    std::uint64_t offset_;
};

enum class Kind {
    None,
    Bool,
    Int,  // fits int64 (i); larger LONGs keep their little-endian bytes in `s`, big = true
    Float,
    String,  // unicode text (UTF-8) in s
    Bytes,   // byte strings (protocol 2 STRING opcodes, BINBYTES) in s
    Tuple,
    List,
    Dict,          // keys/values in `pairs`, insertion order
    Set,           // set and frozenset
    Global,        // module and name in s ("collections.OrderedDict"); __builtin__ -> builtins
    Object,        // callable(args) or cls.__new__(args): items[0] callable, items[1] args tuple;
                   // `state` set by BUILD
    PersistentId,  // items[0] the persistent id value (torch: a tuple describing a storage)
};

struct Value {
    Kind kind = Kind::None;
    bool b = false;
    bool big = false;
    std::int64_t i = 0;
    double f = 0;
    std::string s;
    std::vector<Value*> items;                     // tuple / list / set / object / persid
    std::vector<std::pair<Value*, Value*>> pairs;  // dict
    Value* state = nullptr;                        // object state (BUILD)

    bool isString() const { return kind == Kind::String || kind == Kind::Bytes; }
    bool isSequence() const { return kind == Kind::Tuple || kind == Kind::List; }
    // The dict entry whose key is the string `key`, or nullptr.
    const Value* find(std::string_view key) const;
    // Object whose callable is the global `name`.
    bool isCall(std::string_view name) const;
};

// Reads bytes on demand (a file section, a buffer). read() returns fewer bytes only at the
// end of the source.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual std::size_t read(char* out, std::size_t n) = 0;
    // Bytes consumed so far (for error offsets).
    virtual std::uint64_t position() const = 0;
};

class BufferSource : public ByteSource {
public:
    explicit BufferSource(std::string_view bytes) : bytes_(bytes) {}
    std::size_t read(char* out, std::size_t n) override;
    std::uint64_t position() const override { return pos_; }

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

struct Limits {
    std::uint64_t maxValues = 20'000'000;  // values created (a 300 MB checkpoint: ~100k)
    std::uint64_t maxStringBytes = 1ull << 30;
    std::size_t maxStackDepth = 10'000'000;
    std::size_t maxMemo = 20'000'000;
};

class Pickle {
public:
    Pickle();
    ~Pickle();
    Pickle(Pickle&&) noexcept;
    Pickle& operator=(Pickle&&) noexcept;

    // The value the pickle's STOP returned.
    const Value& root() const { return *root_; }
    // Every persistent id in the order they were loaded (torch: one per storage reference).
    const std::vector<const Value*>& persistentIds() const { return persistentIds_; }

    // Parses one pickle from `source`. The parser reads ahead in blocks: endOffset() is the
    // source position right after the STOP opcode (where Python's pickle.load would leave a
    // file), for callers that read what follows the pickle.
    static Pickle parse(ByteSource& source, const Limits& limits = {});
    static Pickle parse(std::string_view bytes, const Limits& limits = {});
    std::uint64_t endOffset() const { return endOffset_; }

    struct Arena;

private:
    std::unique_ptr<Arena> arena_;
    const Value* root_ = nullptr;
    std::vector<const Value*> persistentIds_;
    std::uint64_t endOffset_ = 0;
};

// Short description for error messages: "dict", "tuple of 5", "global torch.FloatStorage".
std::string describe(const Value& v);

}  // namespace zsi::pickle
