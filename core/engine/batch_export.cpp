#include "engine/batch_export.h"

#include "data/coco_io.h"
#include "data/provenance.h"
#include "data/rle.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/version.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace fs = std::filesystem;
using nlohmann::json;

namespace zsi {
namespace {

using Clock = std::chrono::steady_clock;

// A small blocking queue with a capacity; close() wakes every waiter.
template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(size_t capacity) : capacity_(std::max<size_t>(1, capacity)) {}
    bool push(T v) {
        std::unique_lock lock(m_);
        notFull_.wait(lock, [&] { return closed_ || q_.size() < capacity_; });
        if (closed_) return false;
        q_.push_back(std::move(v));
        notEmpty_.notify_one();
        return true;
    }
    std::optional<T> pop() {
        std::unique_lock lock(m_);
        notEmpty_.wait(lock, [&] { return closed_ || !q_.empty(); });
        if (q_.empty()) return std::nullopt;
        T v = std::move(q_.front());
        q_.pop_front();
        notFull_.notify_one();
        return v;
    }
    void close() {
        std::lock_guard lock(m_);
        closed_ = true;
        notEmpty_.notify_all();
        notFull_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable notFull_, notEmpty_;
    std::deque<T> q_;
    size_t capacity_;
    bool closed_ = false;
};

bool isFolderFormat(ExportFormat f) {
    return f == ExportFormat::Png || f == ExportFormat::Yolo;
}

std::string generic(const fs::path& p) {
    return p.generic_string();
}

// ---- categories ----

struct Categories {
    std::vector<coco::Category> list;  // as written
    std::vector<int64_t> idOfClass;    // per vocabulary class index
    std::vector<int> yoloOfClass;      // 0-based position in `list`
    std::vector<std::string> notInGroundTruth;
};

Categories buildCategories(const std::vector<std::string>& classNames, size_t seenCount,
                           const coco::Dataset* gt) {
    Categories c;
    std::unordered_map<std::string, size_t> pos;
    int64_t nextId = 1;
    if (gt) {
        for (const auto& cat : gt->categories) {
            pos.emplace(cat.name, c.list.size());
            c.list.push_back(cat);
            nextId = std::max(nextId, cat.id + 1);
        }
    }
    for (size_t i = 0; i < classNames.size(); ++i) {
        const char* kind = i < seenCount ? "seen" : "unseen";
        auto it = pos.find(classNames[i]);
        if (it == pos.end()) {
            if (gt) c.notInGroundTruth.push_back(classNames[i]);
            coco::Category cat;
            cat.id = nextId++;
            cat.name = classNames[i];
            cat.supercategory = kind;
            it = pos.emplace(classNames[i], c.list.size()).first;
            c.list.push_back(std::move(cat));
        }
        c.list[it->second].extra[kZsiKind] = kind;
        c.idOfClass.push_back(c.list[it->second].id);
        c.yoloOfClass.push_back(static_cast<int>(it->second));
    }
    return c;
}

// ---- ground truth lookup by file name ----

struct GroundTruthImages {
    std::unordered_map<std::string, int64_t> byPath;      // generic file_name as written
    std::unordered_map<std::string, int64_t> byBaseName;  // only names that are unique
    std::optional<int64_t> find(const fs::path& rel) const {
        if (auto it = byPath.find(generic(rel)); it != byPath.end()) return it->second;
        if (auto it = byBaseName.find(rel.filename().string());
            it != byBaseName.end() && it->second > 0)
            return it->second;
        return std::nullopt;
    }
};

GroundTruthImages indexGroundTruth(const coco::Dataset& gt) {
    GroundTruthImages g;
    for (const auto& im : gt.images) {
        g.byPath[generic(fs::path(im.fileName))] = im.id;
        const std::string base = fs::path(im.fileName).filename().string();
        auto [it, fresh] = g.byBaseName.emplace(base, im.id);
        if (!fresh) it->second = -1;  // ambiguous
    }
    return g;
}

// ---- journal ----

// One line per finished image. Records of a resumed job are kept; the final output is
// assembled from them in image order, reading the journal again (never all in memory).
struct JournalIndex {
    std::unordered_map<size_t, std::streamoff> offsetOf;  // image index -> line offset
};

json readJournalHeader(std::ifstream& in, const fs::path& path) {
    std::string line;
    if (!std::getline(in, line))
        throw Error(ErrorCode::JsonMalformed, "empty journal " + path.string(),
                    {{"path", path.string()}, {"reason", "empty"}});
    json h = json::parse(line, nullptr, false);
    if (h.is_discarded() || !h.is_object() || !h.contains("zsi_export_journal"))
        throw Error(ErrorCode::JsonMalformed, path.string() + " is not an export journal",
                    {{"path", path.string()}, {"reason", "bad header"}});
    return h;
}

// Reads a journal, returns its records' offsets; a torn last line (killed mid-write) is
// dropped and the file truncated to the last whole record.
JournalIndex scanJournal(const fs::path& path, const json& expectedJob) {
    JournalIndex idx;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::FileUnreadable, "cannot read " + path.string(),
                    {{"path", path.string()}, {"reason", "open failed"}});
    const json header = readJournalHeader(in, path);
    const json& job = header["job"];
    if (job != expectedJob) {
        std::string diff;
        for (auto it = expectedJob.begin(); it != expectedJob.end(); ++it)
            if (!job.contains(it.key()) || job[it.key()] != it.value())
                diff += (diff.empty() ? "" : ", ") + it.key() + " (journal " +
                        (job.contains(it.key()) ? job[it.key()].dump() : "absent") + ", now " +
                        it.value().dump() + ")";
        throw Error(ErrorCode::InvalidArgument,
                    "the journal " + path.string() + " belongs to another export: " + diff +
                        ". Run the same command to resume, or delete the journal to start over",
                    {{"name", "resume"}, {"reason", diff}});
    }
    std::streamoff goodEnd = in.tellg();
    std::string line;
    for (;;) {
        const std::streamoff at = in.tellg();
        if (!std::getline(in, line)) break;
        if (in.eof()) break;  // no newline: a torn write
        json r = json::parse(line, nullptr, false);
        if (r.is_discarded() || !r.contains("i")) break;
        idx.offsetOf[r["i"].get<size_t>()] = at;
        goodEnd = in.tellg();
    }
    in.close();
    std::error_code ec;
    if (fs::file_size(path, ec) != static_cast<uintmax_t>(goodEnd))
        fs::resize_file(path, goodEnd, ec);
    return idx;
}

json readRecordAt(std::ifstream& in, std::streamoff at) {
    in.clear();
    in.seekg(at);
    std::string line;
    std::getline(in, line);
    return json::parse(line);
}

// A journal record back as the image it describes (for ExportCallbacks::image).
void replayRecord(const json& r, const std::vector<std::string>& classNames, size_t seenCount,
                  const std::function<void(const ExportedImage&)>& fn) {
    ExportedImage e;
    e.file = fs::path(r["file"].get<std::string>());
    e.resumed = true;
    if (r.contains("skipped")) {
        e.error = r["skipped"].get<std::string>();
        fn(e);
        return;
    }
    e.width = r["w"];
    e.height = r["h"];
    std::vector<Instance> instances;
    auto kindOf = [&](size_t c) { return c < seenCount ? ClassKind::Seen : ClassKind::Unseen; };
    for (const auto& a : r["ann"]) {
        const auto& seg = a["seg"];
        if (!seg.is_object()) continue;  // polygon journals (instances --polygons) are not replayed
        Instance inst = instanceFromRle(
            rle::fromString(seg["counts"].get<std::string>(), seg["size"][0], seg["size"][1]),
            a["s"].get<float>());
        const size_t c = a["c"].get<size_t>();
        inst.classIndex = static_cast<int>(c);
        inst.className = c < classNames.size() ? classNames[c] : "?";
        inst.classKind = kindOf(c);
        if (a.contains("alt"))
            for (const auto& alt : a["alt"]) {
                ClassAlternative ca;
                ca.className = alt.value("class", "");
                ca.score = alt.value("score", 0.f);
                const auto it = std::find(classNames.begin(), classNames.end(), ca.className);
                if (it != classNames.end()) {
                    ca.classIndex = static_cast<int>(it - classNames.begin());
                    ca.classKind = kindOf(static_cast<size_t>(ca.classIndex));
                }
                inst.alternatives.push_back(std::move(ca));
            }
        instances.push_back(std::move(inst));
    }
    e.instances = &instances;
    fn(e);
}

// ---- pipeline items ----

struct Loaded {
    size_t index = 0;
    fs::path rel;
    int64_t imageId = 0;
    std::optional<LoadedImage> image;
    std::string error, code;
};

struct Finished {
    size_t index = 0;
    fs::path rel;
    int64_t imageId = 0;
    std::optional<InferenceResult> result;
    std::string error, code;
    std::vector<std::string> warnings;  // e.g. a truncated image that still decoded
};

std::string isoNow() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

json segmentationJson(const coco::Segmentation& s) {
    if (const auto* c = std::get_if<coco::CompressedRle>(&s))
        return {{"size", {c->height, c->width}}, {"counts", c->counts}};
    if (const auto* p = std::get_if<coco::Polygons>(&s)) return p->rings;
    return nullptr;
}

coco::Segmentation segmentationFromJson(const json& j) {
    if (j.is_object())
        return coco::CompressedRle{j["size"][0].get<int>(), j["size"][1].get<int>(),
                                   j["counts"].get<std::string>()};
    if (j.is_array()) return coco::Polygons{j.get<std::vector<std::vector<double>>>()};
    return std::monostate{};
}

// Step 1: the images of the job's folder, minus anything inside the output (a PNG export
// into the image folder).
std::vector<fs::path> exportImageList(const ExportJob& job);

// Step 4 (encoder thread): one image's journal record; writes the PNG maps / YOLO labels.
json encodeRecord(const Finished& f, const ExportJob& job, const Categories& cats) {
    json rec = {{"i", f.index}, {"file", generic(f.rel)}, {"id", f.imageId}};
    if (!f.warnings.empty()) rec["warnings"] = f.warnings;
    if (!f.result) {
        rec["skipped"] = f.error;
        rec["code"] = f.code;
    } else {
        const InferenceResult& r = *f.result;
        rec["w"] = r.imageWidth;
        rec["h"] = r.imageHeight;
        json anns = json::array();
        std::vector<int> yolo, value;
        for (const Instance& inst : r.instances) {
            const size_t c = static_cast<size_t>(inst.classIndex);
            json a = {{"c", inst.classIndex}, {"s", inst.score}};
            if (job.format == ExportFormat::Instances || job.format == ExportFormat::Results) {
                const SegmentationForm form =
                    job.format == ExportFormat::Results ? SegmentationForm::Rle : job.segmentation;
                const coco::Annotation ann =
                    annotationFromInstance(inst, r.imageHeight, r.imageWidth, form);
                a["b"] = ann.bbox;
                a["a"] = ann.area;
                a["seg"] = segmentationJson(ann.segmentation);
                if (ann.extra.contains(kZsiPolygonHoles)) a["holes"] = ann.extra[kZsiPolygonHoles];
                if (ann.extra.contains(kZsiPolygonChangedPixels))
                    a["changed"] = ann.extra[kZsiPolygonChangedPixels];
                if (ann.extra.contains(kZsiAlternatives)) a["alt"] = ann.extra[kZsiAlternatives];
            }
            yolo.push_back(c < cats.yoloOfClass.size() ? cats.yoloOfClass[c] : 0);
            value.push_back(c < cats.idOfClass.size() ? static_cast<int>(cats.idOfClass[c]) : 0);
            anns.push_back(std::move(a));
        }
        if (job.format == ExportFormat::Png) {
            writePngAtomic(job.out / replaceExtension(f.rel, ".instances.png"),
                           instanceIdMap(r.instances, r.imageHeight, r.imageWidth));
            writePngAtomic(job.out / replaceExtension(f.rel, ".classes.png"),
                           classIdMap(r.instances, value, r.imageHeight, r.imageWidth));
        } else if (job.format == ExportFormat::Yolo) {
            writeFileAtomic(job.out / "labels" / replaceExtension(f.rel, ".txt"),
                            yoloSegmentationText(r.instances, yolo, r.imageHeight, r.imageWidth));
        }
        rec["ann"] = std::move(anns);
    }
    return rec;
}

// Step 6: the output assembled from the journal, in image order (atomically), and the
// summary's counts.
void writeExportOutput(const ExportJob& job, const fs::path& journalPath, const json& jobId,
                       const json& provenance, const coco::Dataset* gt, const Categories& cats,
                       const std::vector<std::string>& classNames, ExportSummary& summary) {
    const JournalIndex journal = scanJournal(journalPath, jobId);
    std::ifstream in(journalPath, std::ios::binary);
    std::vector<std::pair<size_t, std::streamoff>> order(journal.offsetOf.begin(),
                                                         journal.offsetOf.end());
    std::sort(order.begin(), order.end());
    auto forEachRecord = [&](const std::function<void(const json&)>& fn) {
        for (const auto& [i, at] : order) fn(readRecordAt(in, at));
    };
    auto countRecord = [&](const json& r) {
        if (r.contains("skipped")) {
            summary.skipped.push_back({r["file"], r["skipped"], r.value("code", "")});
            return;
        }
        if (r.contains("warnings"))
            for (const auto& w : r["warnings"])
                summary.warnings.push_back({r["file"], w.get<std::string>(), "Warning"});
        for (const auto& a : r["ann"]) {
            const size_t c = a["c"].get<size_t>();
            ++summary.instancesPerClass[c < classNames.size() ? classNames[c] : "?"];
            ++summary.instances;
            if (a.contains("holes")) ++summary.polygonsWithHoles;
            summary.polygonChangedPixels += a.value("changed", 0LL);
        }
    };
    json info = {{"description", "ZSI Studio export"},
                 {"version", appVersion()},
                 {"date_created", isoNow()},
                 {"contributor", "ZSI Studio " + appVersion()},
                 {"zsi", provenance}};
    if (gt && !gt->info.is_null())
        info["zsi"]["ground_truth"] = job.groundTruth->filename().string();

    if (job.format == ExportFormat::Instances) {
        writeFileAtomic(job.out, [&](std::ostream& os) {
            coco::InstancesStreamWriter w(
                os, info, gt && !gt->licenses.is_null() ? gt->licenses : json::array());
            forEachRecord([&](const json& r) {
                countRecord(r);
                if (r.contains("skipped")) return;
                coco::Image im;
                im.id = r["id"];
                im.fileName = r["file"];
                im.width = r["w"];
                im.height = r["h"];
                im.extra[coco::kZsiStatus] = "predicted";
                w.image(im);
            });
            for (const auto& c : cats.list) w.category(c);
            int64_t annId = 1;
            forEachRecord([&](const json& r) {
                if (r.contains("skipped")) return;
                for (const auto& a : r["ann"]) {
                    coco::Annotation ann;
                    ann.id = annId++;
                    ann.imageId = r["id"];
                    ann.categoryId = cats.idOfClass.at(a["c"].get<size_t>());
                    ann.bbox = a["b"].get<BoxXywh>();
                    ann.area = a["a"];
                    ann.score = a["s"].get<double>();
                    ann.segmentation = segmentationFromJson(a["seg"]);
                    ann.extra[coco::kZsiSource] = "model";
                    ann.extra[coco::kZsiReview] = "pending";
                    if (a.contains("holes")) ann.extra[kZsiPolygonHoles] = a["holes"];
                    if (a.contains("changed")) ann.extra[kZsiPolygonChangedPixels] = a["changed"];
                    if (a.contains("alt")) ann.extra[kZsiAlternatives] = a["alt"];
                    w.annotation(ann);
                }
            });
            w.finish();
        });
    } else if (job.format == ExportFormat::Results) {
        writeFileAtomic(job.out, [&](std::ostream& os) {
            coco::ResultsStreamWriter w(os);
            forEachRecord([&](const json& r) {
                countRecord(r);
                if (r.contains("skipped")) return;
                for (const auto& a : r["ann"]) {
                    coco::Detection d;
                    d.imageId = r["id"];
                    d.categoryId = cats.idOfClass.at(a["c"].get<size_t>());
                    d.bbox = a["b"].get<BoxXywh>();
                    const auto& seg = a["seg"];
                    d.mask = rle::fromString(seg["counts"].get<std::string>(), seg["size"][0],
                                             seg["size"][1]);
                    d.score = a["s"];
                    w.detection(d);
                }
            });
            w.finish();
        });
    } else {
        forEachRecord(countRecord);
        writeClassTables(job.out, cats.list, info, job.format == ExportFormat::Yolo);
    }
    in.close();
}

}  // namespace

std::vector<fs::path> listImageFiles(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorCode::FileNotFound, "no image folder " + dir.string(),
                    {{"path", dir.string()}});
    std::vector<fs::path> out;
    for (auto it = fs::recursive_directory_iterator(
             dir, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const fs::path& p = it->path();
        if (it->is_directory(ec) && p.filename().string().starts_with(".")) {
            it.disable_recursion_pending();  // .git, .thumbnails, our own journals
            continue;
        }
        if (it->is_regular_file(ec) && isImageFileName(p)) out.push_back(p.lexically_relative(dir));
    }
    std::sort(out.begin(), out.end(),
              [](const fs::path& a, const fs::path& b) { return generic(a) < generic(b); });
    return out;
}

namespace {

std::vector<fs::path> exportImageList(const ExportJob& job) {
    std::vector<fs::path> files = listImageFiles(job.imagesDir);
    std::error_code ec;
    const fs::path outAbs = fs::weakly_canonical(job.out, ec);
    const fs::path dirAbs = fs::weakly_canonical(job.imagesDir, ec);
    const fs::path outRel = outAbs.lexically_relative(dirAbs);
    if (!outRel.empty() && *outRel.begin() != "..") {
        const std::string prefix = generic(outRel) + "/";
        std::erase_if(files, [&](const fs::path& f) {
            return generic(f).starts_with(prefix) || f == outRel;
        });
    }
    return files;
}

}  // namespace

fs::path exportJournalPath(const ExportJob& job) {
    if (isFolderFormat(job.format)) return job.out / ".zsi-export.journal";
    return fs::path(job.out.string() + ".journal");
}

// The export job: image list -> job identity (provenance, hashes) -> journal (continue or
// start) -> pipeline (loader thread, model here, encoder thread appending journal records)
// -> output assembled from the journal -> journal removed.
ExportSummary runExport(Engine& engine, const ScoringRequest& request, const ExportJob& job,
                        const ExportCallbacks& callbacks) {
    const auto started = Clock::now();
    if (job.shardCount < 1 || job.shardIndex < 0 || job.shardIndex >= job.shardCount)
        throw Error(ErrorCode::InvalidArgument, "shard must be K/N with 1 <= K <= N",
                    {{"name", "shard"},
                     {"reason",
                      std::to_string(job.shardIndex + 1) + "/" + std::to_string(job.shardCount)}});
    ExportSummary summary;
    summary.output = job.out;
    const fs::path journalPath = exportJournalPath(job);
    summary.journal = journalPath;

    const std::vector<fs::path> files = exportImageList(job);
    summary.imagesInFolder = files.size();

    std::optional<coco::Dataset> gt;
    std::string gtSha;
    if (job.groundTruth) {
        gt = coco::readInstances(*job.groundTruth);
        gtSha = sha256File(*job.groundTruth);
        gt->annotations.clear();
        gt->annotations.shrink_to_fit();
    }
    const ModelSummary& model = engine.summary();
    std::vector<std::string> classNames = model.seenClasses;
    classNames.insert(classNames.end(), request.unseenNames.begin(), request.unseenNames.end());
    const Categories cats =
        buildCategories(classNames, model.seenClasses.size(), gt ? &*gt : nullptr);
    summary.classesNotInGroundTruth = cats.notInGroundTruth;
    const std::optional<GroundTruthImages> gtImages =
        gt ? std::optional(indexGroundTruth(*gt)) : std::nullopt;

    // This shard's images.
    std::vector<size_t> mine;
    for (size_t i = 0; i < files.size(); ++i)
        if (static_cast<int>(i % static_cast<size_t>(job.shardCount)) == job.shardIndex)
            mine.push_back(i);
    summary.imagesInShard = mine.size();

    std::string listText;
    for (const auto& f : files) listText += generic(f) + "\n";
    Provenance origin;
    origin.appVersion = appVersion();
    origin.model = model.name;
    origin.modelSha256 = model.weightsSha256;
    origin.embeddings = job.embeddingsFile.filename().string();
    origin.embeddingsSha256 = job.embeddingsSha256;
    origin.inference = request;  // every setting is part of the job's identity
    origin.unseenClasses = request.unseenNames;
    origin.segmentation = toString(job.segmentation);
    const json provenance = provenanceToJson(origin);
    json jobId = provenance;
    jobId.erase("app");
    jobId["format"] = toString(job.format);
    jobId["images"] = files.size();
    jobId["images_sha256"] = sha256Bytes(listText);
    jobId["unseen_vectors_sha256"] =
        sha256Bytes(std::string_view(reinterpret_cast<const char*>(request.unseenVectors.data()),
                                     request.unseenVectors.size() * sizeof(float)));
    jobId["shard"] = std::to_string(job.shardIndex + 1) + "/" + std::to_string(job.shardCount);
    jobId["ground_truth_sha256"] = gtSha;

    // Journal: continue it, or start one.
    std::error_code ec;
    if (isFolderFormat(job.format))
        fs::create_directories(job.out, ec);
    else if (job.out.has_parent_path())
        fs::create_directories(job.out.parent_path(), ec);
    JournalIndex journal;
    if (fs::exists(journalPath)) {
        if (!job.resume)
            throw Error(
                ErrorCode::InvalidArgument,
                journalPath.string() +
                    " holds an unfinished export; add --resume to continue it, or delete it "
                    "to start over",
                {{"name", "resume"}, {"reason", journalPath.string()}});
        journal = scanJournal(journalPath, jobId);
    } else {
        std::ofstream h(journalPath, std::ios::binary | std::ios::trunc);
        h << json{{"zsi_export_journal", 1}, {"job", jobId}, {"started", isoNow()}}.dump() << '\n';
        h.flush();
        if (!h)
            throw Error(ErrorCode::FileWriteFailed,
                        "cannot write the journal " + journalPath.string(),
                        {{"path", journalPath.string()}, {"reason", "write failed"}});
    }
    std::vector<size_t> pending;
    for (size_t i : mine)
        if (!journal.offsetOf.count(i)) pending.push_back(i);
    summary.resumed = mine.size() - pending.size();

    if (callbacks.image && callbacks.replayResumed && summary.resumed > 0) {
        std::ifstream in(journalPath, std::ios::binary);
        std::vector<std::pair<size_t, std::streamoff>> order(journal.offsetOf.begin(),
                                                             journal.offsetOf.end());
        std::sort(order.begin(), order.end());
        for (const auto& [i, at] : order)
            replayRecord(readRecordAt(in, at), classNames, model.seenClasses.size(),
                         callbacks.image);
    }

    std::FILE* jf = std::fopen(journalPath.c_str(), "ab");
    if (!jf)
        throw Error(ErrorCode::FileWriteFailed, "cannot append to " + journalPath.string(),
                    {{"path", journalPath.string()}, {"reason", "open failed"}});
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> journalFile(jf, &std::fclose);

    auto imageIdOf = [&](size_t index) -> std::optional<int64_t> {
        if (!gtImages) return static_cast<int64_t>(index + 1);
        return gtImages->find(files[index]);
    };

    // ---- the pipeline ----
    BoundedQueue<Loaded> loadedQ(static_cast<size_t>(std::max(1, job.prefetch)));
    BoundedQueue<Finished> finishedQ(2);
    std::atomic<bool> stop{false};
    std::exception_ptr encoderError;
    std::mutex journalMutex;

    std::thread loader([&] {
        for (size_t i : pending) {
            if (stop) break;
            Loaded l;
            l.index = i;
            l.rel = files[i];
            const auto id = imageIdOf(i);
            if (!id) {
                l.error = "not in the ground-truth file " + job.groundTruth->filename().string();
                l.code = "NotInGroundTruth";
            } else {
                l.imageId = *id;
                try {
                    l.image = loadImage(job.imagesDir / files[i], job.loadOptions);
                } catch (const Error& e) {
                    l.error = e.what();
                    l.code = errorCodeName(e.code());
                } catch (const std::exception& e) {
                    l.error = e.what();
                    l.code = "Unknown";
                }
            }
            if (!loadedQ.push(std::move(l))) break;
        }
        loadedQ.close();
    });

    std::thread encoder([&] {
        try {
            while (auto f = finishedQ.pop()) {
                const std::string line = encodeRecord(*f, job, cats).dump() + "\n";
                std::lock_guard lock(journalMutex);
                if (std::fwrite(line.data(), 1, line.size(), journalFile.get()) != line.size() ||
                    std::fflush(journalFile.get()) != 0)
                    throw Error(ErrorCode::FileWriteFailed,
                                "cannot append to " + journalPath.string(),
                                {{"path", journalPath.string()}, {"reason", std::strerror(errno)}});
            }
        } catch (...) {
            encoderError = std::current_exception();
            stop = true;
            finishedQ.close();
            loadedQ.close();
        }
    });

    auto shutdown = [&] {
        stop = true;
        loadedQ.close();
        finishedQ.close();
        if (loader.joinable()) loader.join();
        if (encoder.joinable()) encoder.join();
    };

    ExportProgress progress;
    progress.total = mine.size();
    progress.resumed = summary.resumed;
    progress.done = summary.resumed;
    size_t runHere = 0;
    double inferenceSeconds = 0;
    try {
        while (auto l = loadedQ.pop()) {
            if (callbacks.cancel && callbacks.cancel->load()) {
                summary.cancelled = true;
                break;
            }
            Finished f;
            f.index = l->index;
            f.rel = l->rel;
            f.imageId = l->imageId;
            progress.current = generic(l->rel);
            if (!l->image) {
                if (job.strict)
                    throw Error(ErrorCode::ImageDecodeFailed,
                                "cannot use " + generic(l->rel) + ": " + l->error + " (--strict)",
                                {{"path", (job.imagesDir / l->rel).string()}});
                f.error = l->error;
                f.code = l->code;
                ++progress.skipped;
            } else {
                const auto t0 = Clock::now();
                f.result = engine.run(*l->image, request);
                f.warnings = l->image->warnings;
                inferenceSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
                progress.instances += f.result->instances.size();
                l->image.reset();
            }
            if (callbacks.image) {
                ExportedImage e;
                e.file = f.rel;
                e.error = f.error;
                if (f.result) {
                    e.width = f.result->imageWidth;
                    e.height = f.result->imageHeight;
                    e.instances = &f.result->instances;
                    e.result = &*f.result;
                }
                callbacks.image(e);
            }
            if (!finishedQ.push(std::move(f))) break;
            ++runHere;
            ++progress.done;
            progress.elapsedSeconds = std::chrono::duration<double>(Clock::now() - started).count();
            progress.imagesPerSecond = runHere / std::max(1e-9, progress.elapsedSeconds);
            progress.etaSeconds =
                (progress.total - progress.done) / std::max(1e-9, progress.imagesPerSecond);
            if (callbacks.progress) callbacks.progress(progress);
            if (callbacks.between) callbacks.between();
        }
    } catch (...) {
        shutdown();
        std::fflush(journalFile.get());
        throw;
    }
    finishedQ.close();
    if (encoder.joinable()) encoder.join();
    stop = true;
    loadedQ.close();
    if (loader.joinable()) loader.join();
    journalFile.reset();
    if (encoderError) std::rethrow_exception(encoderError);
    summary.processed = runHere;
    summary.inferenceSeconds = inferenceSeconds;
    if (summary.cancelled) {
        summary.cancelled = true;
        summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return summary;
    }

    writeExportOutput(job, journalPath, jobId, provenance, gt ? &*gt : nullptr, cats, classNames,
                      summary);
    fs::remove(journalPath, ec);
    summary.journal.clear();
    summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return summary;
}

}  // namespace zsi
