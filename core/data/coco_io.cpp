// COCO JSON through RapidJSON: a SAX reader that materialises one element at a time (see
// coco_io.h), and a streaming writer.
#include "data/coco_io.h"

#include "util/atomic_file.h"
#include "util/error.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/filereadstream.h>
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <sstream>
#include <unordered_map>

namespace zsi::coco {
namespace {

using Value = rapidjson::Value;

[[noreturn]] void schemaError(const std::string& source, const std::string& field,
                              const std::string& reason) {
    throw Error(ErrorCode::JsonSchema, source + ": " + field + ": " + reason,
                {{"path", source}, {"field", field}, {"reason", reason}});
}

// Builds a RapidJSON tree from SAX events for one element; cleared after each element.
class TreeBuilder {
public:
    void Null() { st_.emplace_back(); }
    void Bool(bool b) { st_.emplace_back(b); }
    void Int(int i) { st_.emplace_back(i); }
    void Uint(unsigned u) { st_.emplace_back(u); }
    void Int64(int64_t i) { st_.emplace_back(i); }
    void Uint64(uint64_t u) { st_.emplace_back(u); }
    void Double(double d) { st_.emplace_back(d); }
    void String(const char* s, rapidjson::SizeType n) { st_.emplace_back(s, n, alloc_); }
    void EndObject(rapidjson::SizeType n) {
        Value o(rapidjson::kObjectType);
        const size_t base = st_.size() - 2 * size_t(n);
        for (size_t i = 0; i < n; ++i)
            o.AddMember(st_[base + 2 * i], st_[base + 2 * i + 1], alloc_);
        st_.resize(base);
        st_.push_back(std::move(o));
    }
    void EndArray(rapidjson::SizeType n) {
        Value a(rapidjson::kArrayType);
        a.Reserve(n, alloc_);
        const size_t base = st_.size() - size_t(n);
        for (size_t i = 0; i < n; ++i) a.PushBack(st_[base + i], alloc_);
        st_.resize(base);
        st_.push_back(std::move(a));
    }
    Value& top() { return st_.back(); }
    void clear() {
        st_.clear();
        alloc_.Clear();
    }

private:
    rapidjson::MemoryPoolAllocator<> alloc_;
    std::vector<Value> st_;
};

nlohmann::json toJson(const Value& v) {
    switch (v.GetType()) {
        case rapidjson::kNullType:
            return nullptr;
        case rapidjson::kFalseType:
            return false;
        case rapidjson::kTrueType:
            return true;
        case rapidjson::kStringType:
            return std::string(v.GetString(), v.GetStringLength());
        case rapidjson::kNumberType:
            if (v.IsUint64()) return v.GetUint64();
            if (v.IsInt64()) return v.GetInt64();
            return v.GetDouble();
        case rapidjson::kArrayType: {
            nlohmann::json a = nlohmann::json::array();
            for (const auto& e : v.GetArray()) a.push_back(toJson(e));
            return a;
        }
        case rapidjson::kObjectType: {
            nlohmann::json o = nlohmann::json::object();
            for (const auto& m : v.GetObject())
                o[std::string(m.name.GetString(), m.name.GetStringLength())] = toJson(m.value);
            return o;
        }
    }
    return nullptr;
}

struct Ctx {
    const std::string& source;
    std::string where;  // "annotations[12]"
    std::string field(const char* key) const { return where + "." + key; }
};

int64_t getId(const Value& v, const Ctx& c, const char* key) {
    if (v.IsInt64()) return v.GetInt64();
    if (v.IsUint64()) schemaError(c.source, c.field(key), "integer out of range");
    if (v.IsDouble() && std::floor(v.GetDouble()) == v.GetDouble() &&
        std::abs(v.GetDouble()) < 9e15)
        return static_cast<int64_t>(v.GetDouble());
    schemaError(c.source, c.field(key), "expected an integer");
}

double getNumber(const Value& v, const Ctx& c, const char* key) {
    if (!v.IsNumber()) schemaError(c.source, c.field(key), "expected a number");
    return v.GetDouble();
}

int getInt(const Value& v, const Ctx& c, const char* key) {
    const int64_t i = getId(v, c, key);
    if (i < INT32_MIN || i > INT32_MAX) schemaError(c.source, c.field(key), "integer out of range");
    return static_cast<int>(i);
}

std::string getString(const Value& v, const Ctx& c, const char* key) {
    if (!v.IsString()) schemaError(c.source, c.field(key), "expected a string");
    return std::string(v.GetString(), v.GetStringLength());
}

bool keyIs(const Value& name, const char* key) {
    return std::strcmp(name.GetString(), key) == 0;
}

BoxXywh getBox(const Value& v, const Ctx& c, const char* key) {
    if (!v.IsArray() || v.Size() != 4)
        schemaError(c.source, c.field(key), "expected [x, y, width, height]");
    BoxXywh b;
    for (rapidjson::SizeType i = 0; i < 4; ++i) b[i] = getNumber(v[i], c, key);
    return b;
}

Rle getCountsRle(const Value& v, const Ctx& c, int h, int w) {
    Rle r;
    r.height = h;
    r.width = w;
    r.counts.reserve(v.Size());
    uint64_t total = 0;
    for (const auto& e : v.GetArray()) {
        if (!e.IsUint())
            schemaError(c.source, c.field("segmentation.counts"),
                        "expected non-negative run lengths");
        r.counts.push_back(e.GetUint());
        total += e.GetUint();
    }
    if (total != uint64_t(h) * uint64_t(w))
        schemaError(c.source, c.field("segmentation.counts"),
                    "runs sum to " + std::to_string(total) + ", not height*width");
    return r;
}

Segmentation getSegmentation(const Value& v, const Ctx& c) {
    if (v.IsArray()) {
        Polygons p;
        p.rings.reserve(v.Size());
        for (const auto& ring : v.GetArray()) {
            if (!ring.IsArray())
                schemaError(c.source, c.field("segmentation"),
                            "expected polygons [[x, y, ...], ...]");
            std::vector<double> xy;
            xy.reserve(ring.Size());
            for (const auto& n : ring.GetArray()) {
                if (!n.IsNumber())
                    schemaError(c.source, c.field("segmentation"),
                                "polygon coordinates must be numbers");
                xy.push_back(n.GetDouble());
            }
            if (xy.size() % 2)
                schemaError(c.source, c.field("segmentation"),
                            "polygon with an odd number of coordinates");
            p.rings.push_back(std::move(xy));
        }
        return p;
    }
    if (v.IsObject()) {
        auto size = v.FindMember("size");
        auto counts = v.FindMember("counts");
        if (size == v.MemberEnd() || !size->value.IsArray() || size->value.Size() != 2)
            schemaError(c.source, c.field("segmentation.size"), "expected [height, width]");
        if (counts == v.MemberEnd())
            schemaError(c.source, c.field("segmentation.counts"), "missing");
        const int h = getInt(size->value[0], c, "segmentation.size");
        const int w = getInt(size->value[1], c, "segmentation.size");
        if (counts->value.IsString())
            return CompressedRle{h, w, getString(counts->value, c, "segmentation.counts")};
        if (counts->value.IsArray()) return UncompressedRle{getCountsRle(counts->value, c, h, w)};
        schemaError(c.source, c.field("segmentation.counts"),
                    "expected a string or a list of runs");
    }
    if (v.IsNull()) return std::monostate{};
    schemaError(c.source, c.field("segmentation"), "expected polygons or an RLE object");
}

Image toImage(const Value& v, const Ctx& c) {
    Image im;
    bool hasId = false;
    for (const auto& m : v.GetObject()) {
        if (keyIs(m.name, "id")) {
            im.id = getId(m.value, c, "id");
            hasId = true;
        } else if (keyIs(m.name, "file_name")) {
            im.fileName = getString(m.value, c, "file_name");
        } else if (keyIs(m.name, "width")) {
            im.width = getInt(m.value, c, "width");
        } else if (keyIs(m.name, "height")) {
            im.height = getInt(m.value, c, "height");
        } else {
            im.extra[m.name.GetString()] = toJson(m.value);
        }
    }
    if (!hasId) schemaError(c.source, c.field("id"), "missing");
    return im;
}

Category toCategory(const Value& v, const Ctx& c) {
    Category cat;
    bool hasId = false, hasName = false;
    for (const auto& m : v.GetObject()) {
        if (keyIs(m.name, "id")) {
            cat.id = getId(m.value, c, "id");
            hasId = true;
        } else if (keyIs(m.name, "name")) {
            cat.name = getString(m.value, c, "name");
            hasName = true;
        } else if (keyIs(m.name, "supercategory") && m.value.IsString()) {
            cat.supercategory = getString(m.value, c, "supercategory");
        } else {
            cat.extra[m.name.GetString()] = toJson(m.value);
        }
    }
    if (!hasId) schemaError(c.source, c.field("id"), "missing");
    if (!hasName) schemaError(c.source, c.field("name"), "missing");
    return cat;
}

struct AnnotationFlags {
    bool hasBbox = false, hasArea = false;
};

Annotation toAnnotation(const Value& v, const Ctx& c, AnnotationFlags& f) {
    Annotation a;
    bool hasId = false, hasImage = false, hasCat = false;
    for (const auto& m : v.GetObject()) {
        if (keyIs(m.name, "id")) {
            a.id = getId(m.value, c, "id");
            hasId = true;
        } else if (keyIs(m.name, "image_id")) {
            a.imageId = getId(m.value, c, "image_id");
            hasImage = true;
        } else if (keyIs(m.name, "category_id")) {
            a.categoryId = getId(m.value, c, "category_id");
            hasCat = true;
        } else if (keyIs(m.name, "bbox")) {
            a.bbox = getBox(m.value, c, "bbox");
            f.hasBbox = true;
        } else if (keyIs(m.name, "area")) {
            a.area = getNumber(m.value, c, "area");
            f.hasArea = true;
        } else if (keyIs(m.name, "iscrowd")) {
            if (m.value.IsBool())
                a.iscrowd = m.value.GetBool();
            else
                a.iscrowd = getId(m.value, c, "iscrowd") != 0;
        } else if (keyIs(m.name, "segmentation")) {
            a.segmentation = getSegmentation(m.value, c);
        } else if (keyIs(m.name, "score")) {
            a.score = getNumber(m.value, c, "score");
        } else {
            a.extra[m.name.GetString()] = toJson(m.value);
        }
    }
    if (!hasId) schemaError(c.source, c.field("id"), "missing");
    if (!hasImage) schemaError(c.source, c.field("image_id"), "missing");
    if (!hasCat) schemaError(c.source, c.field("category_id"), "missing");
    return a;
}

Detection toDetection(const Value& v, const Ctx& c) {
    Detection d;
    bool hasImage = false, hasCat = false, hasScore = false;
    d.hasBbox = false;
    for (const auto& m : v.GetObject()) {
        if (keyIs(m.name, "image_id")) {
            d.imageId = getId(m.value, c, "image_id");
            hasImage = true;
        } else if (keyIs(m.name, "category_id")) {
            d.categoryId = getId(m.value, c, "category_id");
            hasCat = true;
        } else if (keyIs(m.name, "bbox")) {
            if (m.value.IsArray() && m.value.Empty()) continue;  // pycocotools treats [] as absent
            d.bbox = getBox(m.value, c, "bbox");
            d.hasBbox = true;
        } else if (keyIs(m.name, "score")) {
            d.score = getNumber(m.value, c, "score");
            hasScore = true;
        } else if (keyIs(m.name, "segmentation")) {
            Segmentation s = getSegmentation(m.value, c);
            if (std::holds_alternative<Polygons>(s))
                schemaError(c.source, c.field("segmentation"),
                            "results masks must be RLE (compressed or not)");
            if (!std::holds_alternative<std::monostate>(s)) d.mask = toRle(s, 0, 0);
        }
    }
    if (!hasImage) schemaError(c.source, c.field("image_id"), "missing");
    if (!hasCat) schemaError(c.source, c.field("category_id"), "missing");
    if (!hasScore) schemaError(c.source, c.field("score"), "missing");
    if (!d.hasBbox && !d.mask)
        schemaError(c.source, c.field("bbox"), "a result needs a bbox or a segmentation");
    return d;
}

// SAX handler: routes each top-level value or each element of a top-level array into the
// TreeBuilder, then hands the finished tree to onValue(depth, key, index, tree).
template <typename Sink>
class Streamer : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Streamer<Sink>> {
public:
    explicit Streamer(Sink& sink) : sink_(sink) {}

    bool Null() {
        return scalar([&] { tree_.Null(); });
    }
    bool Bool(bool b) {
        return scalar([&] { tree_.Bool(b); });
    }
    bool Int(int i) {
        return scalar([&] { tree_.Int(i); });
    }
    bool Uint(unsigned u) {
        return scalar([&] { tree_.Uint(u); });
    }
    bool Int64(int64_t i) {
        return scalar([&] { tree_.Int64(i); });
    }
    bool Uint64(uint64_t u) {
        return scalar([&] { tree_.Uint64(u); });
    }
    bool Double(double d) {
        return scalar([&] { tree_.Double(d); });
    }
    bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; }
    bool String(const char* s, rapidjson::SizeType n, bool) {
        return scalar([&] { tree_.String(s, n); });
    }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        if (capture_ > 0) {
            tree_.String(s, n);
        } else {
            key_.assign(s, n);  // a top-level key (depth 1)
        }
        return true;
    }
    bool StartObject() { return start(true); }
    bool StartArray() { return start(false); }
    bool EndObject(rapidjson::SizeType n) {
        return end([&] { tree_.EndObject(n); });
    }
    bool EndArray(rapidjson::SizeType n) {
        return end([&] { tree_.EndArray(n); });
    }

private:
    template <typename F>
    bool scalar(F push) {
        if (capture_ > 0) {
            push();
            return true;
        }
        if (!sink_.wantsCapture(depth_, key_, false)) return sink_.unexpected(depth_, key_);
        push();
        finish();
        return true;
    }
    bool start(bool object) {
        if (capture_ > 0) {
            ++capture_;
            return true;
        }
        if (sink_.wantsCapture(depth_, key_, object)) {
            capture_ = 1;
            return true;
        }
        if (!sink_.descend(depth_, key_, object)) return sink_.unexpected(depth_, key_);
        ++depth_;
        index_ = 0;
        return true;
    }
    template <typename F>
    bool end(F build) {
        if (capture_ > 0) {
            build();
            if (--capture_ == 0) finish();
            return true;
        }
        --depth_;
        return true;
    }
    void finish() {
        sink_.onValue(depth_, key_, index_++, tree_.top());
        tree_.clear();
    }

    Sink& sink_;
    TreeBuilder tree_;
    int depth_ = 0;    // containers entered outside captured values
    int capture_ = 0;  // nesting inside the value being captured
    size_t index_ = 0;
    std::string key_;
};

bool isSection(const std::string& k) {
    return k == "images" || k == "annotations" || k == "categories";
}

struct InstancesSink {
    const std::string& source;
    Dataset& out;
    std::vector<AnnotationFlags> flags;

    // Depth 0: the root object is entered. Depth 1: section arrays are entered, other
    // values captured whole. Depth 2: each section element is captured.
    bool wantsCapture(int depth, const std::string& key, bool object) const {
        if (depth == 1) return !isSection(key);
        return depth == 2 && object;
    }
    bool descend(int depth, const std::string& key, bool object) const {
        return (depth == 0 && object) || (depth == 1 && isSection(key) && !object);
    }
    bool unexpected(int depth, const std::string& key) const {
        if (depth == 0) schemaError(source, "<root>", "expected a JSON object");
        if (depth == 1) schemaError(source, key, "expected an array");
        schemaError(source, key + "[]", "expected objects");
    }
    void onValue(int depth, const std::string& key, size_t index, const Value& v) {
        if (depth == 1) {
            if (key == "info")
                out.info = toJson(v);
            else if (key == "licenses")
                out.licenses = toJson(v);
            else
                out.extra[key] = toJson(v);
            return;
        }
        const Ctx c{source, key + "[" + std::to_string(index) + "]"};
        if (key == "images") {
            out.images.push_back(toImage(v, c));
        } else if (key == "categories") {
            out.categories.push_back(toCategory(v, c));
        } else {
            AnnotationFlags f;
            out.annotations.push_back(toAnnotation(v, c, f));
            flags.push_back(f);
        }
    }
};

struct ResultsSink {
    const std::string& source;
    std::vector<Detection>& out;
    bool wantsCapture(int depth, const std::string&, bool object) const {
        return depth == 1 && object;
    }
    bool descend(int depth, const std::string&, bool object) const { return depth == 0 && !object; }
    bool unexpected(int depth, const std::string&) const {
        if (depth == 0) schemaError(source, "<root>", "expected a JSON array of results");
        schemaError(source, "[]", "expected result objects");
    }
    void onValue(int, const std::string&, size_t index, const Value& v) {
        out.push_back(toDetection(v, Ctx{source, "[" + std::to_string(index) + "]"}));
    }
};

template <typename Stream, typename Sink>
void parseStream(Stream& is, Sink& sink, const std::string& source) {
    Streamer<Sink> handler(sink);
    rapidjson::Reader reader;
    const rapidjson::ParseResult ok = reader.Parse<rapidjson::kParseNanAndInfFlag>(is, handler);
    if (!ok) {
        const std::string reason = std::string(rapidjson::GetParseError_En(ok.Code())) +
                                   " at byte " + std::to_string(ok.Offset());
        throw Error(ErrorCode::JsonMalformed, source + ": malformed JSON: " + reason,
                    {{"path", source}, {"reason", reason}});
    }
}

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};

template <typename Sink>
void parseFile(const std::filesystem::path& path, Sink& sink) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, "file not found: " + path.string(),
                    {{"path", path.string()}});
    std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    if (!f)
        throw Error(ErrorCode::FileUnreadable, "cannot open " + path.string(),
                    {{"path", path.string()}, {"reason", std::strerror(errno)}});
    std::vector<char> buffer(1 << 16);
    rapidjson::FileReadStream is(f.get(), buffer.data(), buffer.size());
    parseStream(is, sink, path.string());
}

// Completes annotations that lack "bbox" or "area" from their segmentation.
void completeAnnotations(Dataset& d, const std::vector<AnnotationFlags>& flags) {
    std::unordered_map<int64_t, const Image*> byId;
    for (const auto& im : d.images) byId.emplace(im.id, &im);
    for (size_t i = 0; i < d.annotations.size(); ++i) {
        if (flags[i].hasBbox && flags[i].hasArea) continue;
        Annotation& a = d.annotations[i];
        auto it = byId.find(a.imageId);
        if (it == byId.end()) continue;
        const Rle r = toRle(a.segmentation, it->second->height, it->second->width);
        if (!flags[i].hasBbox) a.bbox = rle::toBbox(r);
        if (!flags[i].hasArea) a.area = static_cast<double>(rle::area(r));
    }
}

// ---- writing ----

using Writer = rapidjson::Writer<rapidjson::OStreamWrapper>;

void writeJson(Writer& w, const nlohmann::json& j) {
    const std::string s = j.dump();
    w.RawValue(s.c_str(), s.size(), rapidjson::kObjectType);
}

void writeExtra(Writer& w, const nlohmann::json& extra) {
    if (!extra.is_object()) return;
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        w.Key(it.key().c_str(), static_cast<rapidjson::SizeType>(it.key().size()));
        writeJson(w, it.value());
    }
}

void writeString(Writer& w, const std::string& s) {
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

void writeBox(Writer& w, const BoxXywh& b) {
    w.StartArray();
    for (double v : b) w.Double(v);
    w.EndArray();
}

void writeRleObject(Writer& w, int h, int wd, const std::function<void()>& counts) {
    w.StartObject();
    w.Key("size");
    w.StartArray();
    w.Int(h);
    w.Int(wd);
    w.EndArray();
    w.Key("counts");
    counts();
    w.EndObject();
}

void writeSegmentation(Writer& w, const Segmentation& s) {
    if (const auto* p = std::get_if<Polygons>(&s)) {
        w.StartArray();
        for (const auto& ring : p->rings) {
            w.StartArray();
            for (double v : ring) w.Double(v);
            w.EndArray();
        }
        w.EndArray();
    } else if (const auto* u = std::get_if<UncompressedRle>(&s)) {
        writeRleObject(w, u->rle.height, u->rle.width, [&] {
            w.StartArray();
            for (uint32_t c : u->rle.counts) w.Uint(c);
            w.EndArray();
        });
    } else if (const auto* c = std::get_if<CompressedRle>(&s)) {
        writeRleObject(w, c->height, c->width, [&] { writeString(w, c->counts); });
    } else {
        w.Null();
    }
}

void writeImage(Writer& w, const Image& im) {
    w.StartObject();
    w.Key("id");
    w.Int64(im.id);
    w.Key("file_name");
    writeString(w, im.fileName);
    w.Key("width");
    w.Int(im.width);
    w.Key("height");
    w.Int(im.height);
    writeExtra(w, im.extra);
    w.EndObject();
}

void writeCategory(Writer& w, const Category& c) {
    w.StartObject();
    w.Key("id");
    w.Int64(c.id);
    w.Key("name");
    writeString(w, c.name);
    w.Key("supercategory");
    writeString(w, c.supercategory);
    writeExtra(w, c.extra);
    w.EndObject();
}

void writeAnnotation(Writer& w, const Annotation& a) {
    w.StartObject();
    w.Key("id");
    w.Int64(a.id);
    w.Key("image_id");
    w.Int64(a.imageId);
    w.Key("category_id");
    w.Int64(a.categoryId);
    if (!std::holds_alternative<std::monostate>(a.segmentation)) {
        w.Key("segmentation");
        writeSegmentation(w, a.segmentation);
    }
    w.Key("area");
    w.Double(a.area);
    w.Key("bbox");
    writeBox(w, a.bbox);
    w.Key("iscrowd");
    w.Int(a.iscrowd ? 1 : 0);
    if (a.score) {
        w.Key("score");
        w.Double(*a.score);
    }
    writeExtra(w, a.extra);
    w.EndObject();
}

void writeDetection(Writer& w, const Detection& d) {
    w.StartObject();
    w.Key("image_id");
    w.Int64(d.imageId);
    w.Key("category_id");
    w.Int64(d.categoryId);
    if (d.hasBbox) {
        w.Key("bbox");
        writeBox(w, d.bbox);
    }
    if (d.mask) {
        w.Key("segmentation");
        writeRleObject(w, d.mask->height, d.mask->width,
                       [&] { writeString(w, rle::toString(*d.mask)); });
    }
    w.Key("score");
    w.Double(d.score);
    w.EndObject();
}

void writeDataset(std::ostream& os, const Dataset& d) {
    InstancesStreamWriter sw(os, d.info, d.licenses, d.extra);
    for (const auto& im : d.images) sw.image(im);
    for (const auto& c : d.categories) sw.category(c);
    for (const auto& a : d.annotations) sw.annotation(a);
    sw.finish();
}

void writeDetections(std::ostream& os, const std::vector<Detection>& dets) {
    ResultsStreamWriter sw(os);
    for (const auto& d : dets) sw.detection(d);
    sw.finish();
}

}  // namespace

// ---- streaming writers ----

struct InstancesStreamWriter::Impl {
    std::ostream& os;
    rapidjson::OStreamWrapper osw;
    Writer w;
    int section = 0;  // 0 before images, 1 images, 2 categories, 3 annotations, 4 finished
    explicit Impl(std::ostream& o) : os(o), osw(o), w(osw) {}

    void enter(int target, const char* key) {
        if (section > target)
            throw Error(ErrorCode::InvalidArgument,
                        std::string("COCO writer: ") + key + " after a later section",
                        {{"name", key}, {"reason", "order"}});
        while (section < target) {
            if (section >= 1) w.EndArray();
            ++section;
            static const char* names[] = {"", "images", "categories", "annotations"};
            w.Key(names[section]);
            w.StartArray();
        }
    }
};

InstancesStreamWriter::InstancesStreamWriter(std::ostream& os, const nlohmann::json& info,
                                             const nlohmann::json& licenses,
                                             const nlohmann::json& extra)
    : impl_(std::make_unique<Impl>(os)) {
    Writer& w = impl_->w;
    w.StartObject();
    if (!info.is_null()) {
        w.Key("info");
        writeJson(w, info);
    }
    if (!licenses.is_null()) {
        w.Key("licenses");
        writeJson(w, licenses);
    }
    writeExtra(w, extra);
}

InstancesStreamWriter::~InstancesStreamWriter() = default;

void InstancesStreamWriter::image(const Image& im) {
    impl_->enter(1, "images");
    writeImage(impl_->w, im);
}

void InstancesStreamWriter::category(const Category& c) {
    impl_->enter(2, "categories");
    writeCategory(impl_->w, c);
}

void InstancesStreamWriter::annotation(const Annotation& a) {
    impl_->enter(3, "annotations");
    writeAnnotation(impl_->w, a);
}

void InstancesStreamWriter::finish() {
    if (impl_->section == 4) return;
    impl_->enter(3, "annotations");
    impl_->w.EndArray();
    impl_->w.EndObject();
    impl_->os << '\n';
    impl_->section = 4;
}

struct ResultsStreamWriter::Impl {
    std::ostream& os;
    rapidjson::OStreamWrapper osw;
    Writer w;
    bool finished = false;
    explicit Impl(std::ostream& o) : os(o), osw(o), w(osw) {}
};

ResultsStreamWriter::ResultsStreamWriter(std::ostream& os) : impl_(std::make_unique<Impl>(os)) {
    impl_->w.StartArray();
}

ResultsStreamWriter::~ResultsStreamWriter() = default;

void ResultsStreamWriter::detection(const Detection& d) {
    writeDetection(impl_->w, d);
}

void ResultsStreamWriter::finish() {
    if (impl_->finished) return;
    impl_->w.EndArray();
    impl_->os << '\n';
    impl_->finished = true;
}

Dataset parseInstances(std::string_view json, const std::string& sourceName) {
    Dataset d;
    InstancesSink sink{sourceName, d, {}};
    const std::string copy(json);  // StringStream needs a terminated buffer
    rapidjson::StringStream is(copy.c_str());
    parseStream(is, sink, sourceName);
    completeAnnotations(d, sink.flags);
    return d;
}

Dataset readInstances(const std::filesystem::path& path) {
    Dataset d;
    const std::string source = path.string();
    InstancesSink sink{source, d, {}};
    parseFile(path, sink);
    completeAnnotations(d, sink.flags);
    return d;
}

void writeInstances(const std::filesystem::path& path, const Dataset& data) {
    writeFileAtomic(path, [&](std::ostream& os) { writeDataset(os, data); });
}

std::string instancesToString(const Dataset& data) {
    std::ostringstream os;
    writeDataset(os, data);
    return os.str();
}

std::vector<Detection> parseResults(std::string_view json, const std::string& sourceName) {
    std::vector<Detection> out;
    ResultsSink sink{sourceName, out};
    const std::string copy(json);
    rapidjson::StringStream is(copy.c_str());
    parseStream(is, sink, sourceName);
    return out;
}

std::vector<Detection> readResults(const std::filesystem::path& path) {
    std::vector<Detection> out;
    const std::string source = path.string();
    ResultsSink sink{source, out};
    parseFile(path, sink);
    return out;
}

void writeResults(const std::filesystem::path& path, const std::vector<Detection>& dets) {
    writeFileAtomic(path, [&](std::ostream& os) { writeDetections(os, dets); });
}

std::string resultsToString(const std::vector<Detection>& dets) {
    std::ostringstream os;
    writeDetections(os, dets);
    return os.str();
}

}  // namespace zsi::coco
