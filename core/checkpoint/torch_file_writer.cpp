#include "checkpoint/torch_file_writer.h"

#include "util/atomic_file.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <ostream>

namespace zsi::checkpoint {
namespace {

// A protocol-2 pickle writer for the few types a checkpoint needs. No memo: every GLOBAL is
// written out again, which any unpickler accepts.
class PickleWriter {
public:
    explicit PickleWriter(std::string& out) : out_(out) {}

    void proto() { raw("\x80\x02", 2); }
    void stop() { op('.'); }
    void mark() { op('('); }
    void none() { op('N'); }
    void boolean(bool b) { op(b ? 0x88 : 0x89); }
    void integer(std::int64_t v) {
        if (v >= 0 && v < 256) {
            op('K');
            byte(static_cast<unsigned char>(v));
        } else if (v >= 0 && v < 65536) {
            op('M');
            le(static_cast<std::uint64_t>(v), 2);
        } else if (v >= INT32_MIN && v <= INT32_MAX) {
            op('J');
            le(static_cast<std::uint64_t>(static_cast<std::uint32_t>(static_cast<std::int32_t>(v))),
               4);
        } else {
            op(0x8a);  // LONG1, 8 bytes two's complement
            byte(8);
            le(static_cast<std::uint64_t>(v), 8);
        }
    }
    void real(double d) {
        op('G');
        std::uint64_t bits;
        std::memcpy(&bits, &d, 8);
        for (int k = 7; k >= 0; --k) byte(static_cast<unsigned char>((bits >> (8 * k)) & 0xff));
    }
    void str(const std::string& s) {
        op('X');
        le(s.size(), 4);
        out_.append(s);
    }
    void global(const std::string& module, const std::string& name) {
        op('c');
        out_.append(module).push_back('\n');
        out_.append(name).push_back('\n');
    }
    void emptyTuple() { op(')'); }
    void tuple() { op('t'); }  // from the last mark
    void emptyList() { op(']'); }
    void appends() { op('e'); }
    void emptyDict() { op('}'); }
    void setitems() { op('u'); }
    void reduce() { op('R'); }
    void binpersid() { op('Q'); }
    void intTuple(const std::vector<std::int64_t>& v) {
        mark();
        for (auto x : v) integer(x);
        tuple();
    }
    void orderedDict() {
        global("collections", "OrderedDict");
        emptyTuple();
        reduce();
    }
    void json(const nlohmann::json& j) {
        if (j.is_null())
            none();
        else if (j.is_boolean())
            boolean(j.get<bool>());
        else if (j.is_number_integer())
            integer(j.get<std::int64_t>());
        else if (j.is_number())
            real(j.get<double>());
        else if (j.is_string())
            str(j.get<std::string>());
        else if (j.is_array()) {
            emptyList();
            if (!j.empty()) {
                mark();
                for (const auto& x : j) json(x);
                appends();
            }
        } else {
            emptyDict();
            if (!j.empty()) {
                mark();
                for (const auto& [k, v] : j.items()) {
                    str(k);
                    json(v);
                }
                setitems();
            }
        }
    }

private:
    void op(unsigned char c) { byte(c); }
    void byte(unsigned char c) { out_.push_back(static_cast<char>(c)); }
    void raw(const char* p, std::size_t n) { out_.append(p, n); }
    void le(std::uint64_t v, int n) {
        for (int k = 0; k < n; ++k) byte(static_cast<unsigned char>((v >> (8 * k)) & 0xff));
    }
    std::string& out_;
};

std::int64_t numelOf(const TensorToWrite& t) {
    std::int64_t n = 1;
    for (auto s : t.sizes) n *= s;
    return n;
}

}  // namespace

void writeLegacyCheckpoint(const std::filesystem::path& path,
                           const std::vector<TensorToWrite>& stateDict, const nlohmann::json& meta,
                           const std::function<void(std::uint64_t, std::uint64_t)>& progress,
                           bool bareStateDict) {
    for (const auto& t : stateDict)
        if ((t.type != ElementType::Float32 && t.type != ElementType::Int64) ||
            (!t.data && numelOf(t) > 0))
            throw Error(ErrorCode::InvalidArgument, "tensor " + t.name + " cannot be written",
                        {{"name", t.name}, {"reason", "float32 or int64 data expected"}});
    std::string head;
    PickleWriter w(head);
    // 1. magic number 0x1950a86a20f9469cfc6c, 2. protocol version 1001, 3. sys info.
    w.proto();
    head.append("\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 12);
    w.stop();
    w.proto();
    w.integer(1001);
    w.stop();
    w.proto();
    w.json(nlohmann::json{{"protocol_version", 1001},
                          {"little_endian", true},
                          {"type_sizes", {{"short", 2}, {"int", 4}, {"long", 4}}}});
    w.stop();
    // 4. the object: {"meta": ..., "state_dict": OrderedDict}; storage i holds tensor i.
    w.proto();
    if (!bareStateDict) {
        w.emptyDict();
        w.mark();
        if (!meta.is_null() && !(meta.is_object() && meta.empty())) {
            w.str("meta");
            w.json(meta);
        }
        w.str("state_dict");
    }
    w.orderedDict();
    if (!stateDict.empty()) {
        w.mark();
        for (std::size_t i = 0; i < stateDict.size(); ++i) {
            const TensorToWrite& t = stateDict[i];
            std::vector<std::int64_t> strides(t.sizes.size(), 1);
            for (std::size_t d = t.sizes.size(); d-- > 1;)
                strides[d - 1] = strides[d] * std::max<std::int64_t>(t.sizes[d], 1);
            w.str(t.name);
            w.global("torch._utils", "_rebuild_tensor_v2");
            w.mark();
            w.mark();  // persistent id ('storage', type, key, location, numel, None)
            w.str("storage");
            w.global("torch", t.type == ElementType::Float32 ? "FloatStorage" : "LongStorage");
            w.str(std::to_string(i));
            w.str("cpu");
            w.integer(numelOf(t));
            w.none();
            w.tuple();
            w.binpersid();
            w.integer(0);
            w.intTuple(t.sizes);
            w.intTuple(strides);
            w.boolean(false);
            w.orderedDict();
            w.tuple();
            w.reduce();
        }
        w.setitems();
    }
    if (!bareStateDict) w.setitems();
    w.stop();
    // 5. the storage keys, in the order their data follows.
    w.proto();
    w.emptyList();
    if (!stateDict.empty()) {
        w.mark();
        for (std::size_t i = 0; i < stateDict.size(); ++i) w.str(std::to_string(i));
        w.appends();
    }
    w.stop();

    std::uint64_t total = 0;
    for (const auto& t : stateDict)
        total += static_cast<std::uint64_t>(numelOf(t)) * (t.type == ElementType::Float32 ? 4 : 8);
    writeFileAtomic(path, [&](std::ostream& out) {
        out.write(head.data(), static_cast<std::streamsize>(head.size()));
        std::uint64_t done = 0;
        for (const auto& t : stateDict) {
            const std::int64_t n = numelOf(t);
            out.write(reinterpret_cast<const char*>(&n), 8);  // element count, little-endian host
            const std::size_t bytes =
                static_cast<std::size_t>(n) * (t.type == ElementType::Float32 ? 4 : 8);
            out.write(static_cast<const char*>(t.data), static_cast<std::streamsize>(bytes));
            done += bytes;
            if (progress) progress(done, total);
        }
    });
}

}  // namespace zsi::checkpoint
