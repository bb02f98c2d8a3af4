#include "data/annotation_document.h"

#include "data/coco_io.h"
#include "data/export_formats.h"
#include "data/rle.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <system_error>

namespace zsi {

namespace fs = std::filesystem;
using nlohmann::json;

std::string toString(AnnotationSource s) {
    return s == AnnotationSource::Human ? "human" : "model";
}

std::string toString(ReviewState s) {
    switch (s) {
        case ReviewState::Pending:
            return "pending";
        case ReviewState::Accepted:
            return "accepted";
        case ReviewState::Rejected:
            return "rejected";
    }
    return "pending";
}

std::string toString(ImageStatus s) {
    switch (s) {
        case ImageStatus::NotRun:
            return "not_run";
        case ImageStatus::Predicted:
            return "predicted";
        case ImageStatus::Reviewed:
            return "reviewed";
    }
    return "not_run";
}

AnnotationSource parseAnnotationSource(const std::string& s) {
    return s == "human" ? AnnotationSource::Human : AnnotationSource::Model;
}

ReviewState parseReviewState(const std::string& s) {
    if (s == "accepted") return ReviewState::Accepted;
    if (s == "rejected") return ReviewState::Rejected;
    return ReviewState::Pending;
}

ImageStatus parseImageStatus(const std::string& s) {
    if (s == "predicted") return ImageStatus::Predicted;
    if (s == "reviewed") return ImageStatus::Reviewed;
    return ImageStatus::NotRun;
}

namespace {

const std::vector<coco::Annotation> kNoAnnotations;

cv::Rect boxRect(const BoxXywh& b) {
    const int x0 = int(std::floor(b[0])), y0 = int(std::floor(b[1]));
    const int x1 = int(std::ceil(b[0] + b[2])), y1 = int(std::ceil(b[1] + b[3]));
    return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

std::string kindString(ClassKind k) {
    return k == ClassKind::Unseen ? "unseen" : k == ClassKind::Background ? "background" : "seen";
}

}  // namespace

AnnotationDocument::AnnotationDocument() {
    data_.info = json{{"description", "ZSI Studio review"}};
}

AnnotationDocument AnnotationDocument::open(const fs::path& path) {
    coco::Dataset d = coco::readInstances(path);
    AnnotationDocument doc;
    doc.path_ = path;
    if (d.info.is_object()) doc.data_.info = d.info;
    doc.data_.licenses = d.licenses;
    doc.data_.extra = d.extra;
    doc.data_.images = std::move(d.images);
    doc.data_.categories = std::move(d.categories);
    for (const auto& im : doc.data_.images)
        doc.nextImageId_ = std::max(doc.nextImageId_, im.id + 1);
    for (const auto& c : doc.data_.categories)
        doc.nextCategoryId_ = std::max(doc.nextCategoryId_, c.id + 1);
    for (auto& a : d.annotations) {
        doc.nextAnnotationId_ = std::max(doc.nextAnnotationId_, a.id + 1);
        doc.imageOfAnnotation_[a.id] = a.imageId;
        doc.byImage_[a.imageId].push_back(std::move(a));
    }
    const json& z = doc.data_.info.is_object() && doc.data_.info.contains("zsi")
                        ? doc.data_.info["zsi"]
                        : json();
    if (z.is_object()) {
        static_cast<Provenance&>(doc.settings_) = provenanceFromJson(z, path.string());
        doc.hasSettings_ = true;
        if (z.contains("image_root") && z["image_root"].is_string())
            doc.settings_.imageRoot = z["image_root"].get<std::string>();
    }
    return doc;
}

json AnnotationDocument::infoForSave() const {
    json info = data_.info.is_object() ? data_.info : json::object();
    json z = info.contains("zsi") && info["zsi"].is_object() ? info["zsi"] : json::object();
    const SessionSettings& s = settings_;
    // The settings of version 0.2 files move into info.zsi.inference; other keys stay.
    for (const char* legacy :
         {"mode", "scoring", "box_rule", "score_threshold", "mask_threshold", "nms_iou",
          "max_detections", "sync_background", "one_label_per_object"})
        z.erase(legacy);
    z.update(provenanceToJson(s));
    z["image_root"] = s.imageRoot;
    z["document"] = 1;  // this file is a ZSI Studio document (format version)
    info["zsi"] = std::move(z);
    return info;
}

void AnnotationDocument::writeTo(const fs::path& target) const {
    const json info = infoForSave();
    writeFileAtomic(target, [&](std::ostream& os) {
        coco::InstancesStreamWriter w(os, info, data_.licenses, data_.extra);
        for (const auto& im : data_.images) w.image(im);
        for (const auto& c : data_.categories) w.category(c);
        for (const auto& [imageId, list] : byImage_)
            for (const auto& a : list) w.annotation(a);
        w.finish();
    });
}

void AnnotationDocument::save(const fs::path& path) {
    if (path.empty())
        throw Error(ErrorCode::InvalidArgument, "the document has no file name yet",
                    {{"name", "path"}});
    writeTo(path);
    path_ = path;
    markClean();
    discardAutosave(path);
}

fs::path AnnotationDocument::autosavePathFor(const fs::path& document) {
    return document.parent_path() / ("." + document.filename().string() + ".autosave");
}

void AnnotationDocument::saveAutosave(const fs::path& target) const {
    const fs::path t = target.empty() && !path_.empty() ? autosavePathFor(path_) : target;
    if (t.empty())
        throw Error(ErrorCode::InvalidArgument, "an unnamed document needs an autosave path",
                    {{"name", "path"}});
    writeTo(t);
}

std::optional<fs::path> AnnotationDocument::detectRecovery(const fs::path& document) {
    const fs::path a = autosavePathFor(document);
    std::error_code ec;
    if (!fs::exists(a, ec)) return std::nullopt;
    if (!fs::exists(document, ec)) return a;
    const auto ta = fs::last_write_time(a, ec);
    if (ec) return std::nullopt;
    const auto td = fs::last_write_time(document, ec);
    if (ec || ta > td) return a;
    return std::nullopt;
}

AnnotationDocument AnnotationDocument::recover(const fs::path& document) {
    AnnotationDocument doc = open(autosavePathFor(document));
    doc.path_ = document;
    doc.savedRevision_ = doc.revision_;
    doc.touch();  // unsaved until the user saves
    return doc;
}

void AnnotationDocument::discardAutosave(const fs::path& document) {
    std::error_code ec;
    fs::remove(autosavePathFor(document), ec);
}

void AnnotationDocument::setSettings(const SessionSettings& s) {
    settings_ = s;
    hasSettings_ = true;
    touch();
}

fs::path AnnotationDocument::imageRootPath() const {
    const fs::path root(settings_.imageRoot);
    if (root.is_absolute() || path_.empty()) return root;
    return path_.parent_path() / root;
}

// --- images

const coco::Image* AnnotationDocument::image(int64_t imageId) const {
    for (const auto& im : data_.images)
        if (im.id == imageId) return &im;
    return nullptr;
}

int64_t AnnotationDocument::findImage(const std::string& fileName) const {
    for (const auto& im : data_.images)
        if (im.fileName == fileName) return im.id;
    return 0;
}

int64_t AnnotationDocument::addImage(const std::string& fileName, int width, int height) {
    if (const int64_t id = findImage(fileName)) return id;
    coco::Image im;
    im.id = nextImageId_++;
    im.fileName = fileName;
    im.width = width;
    im.height = height;
    im.extra[coco::kZsiStatus] = toString(ImageStatus::NotRun);
    data_.images.push_back(std::move(im));
    touch();
    return data_.images.back().id;
}

ImageStatus AnnotationDocument::imageStatus(int64_t imageId) const {
    const coco::Image* im = image(imageId);
    return im ? parseImageStatus(coco::extraString(im->extra, coco::kZsiStatus))
              : ImageStatus::NotRun;
}

void AnnotationDocument::setImageStatus(int64_t imageId, ImageStatus s) {
    for (auto& im : data_.images)
        if (im.id == imageId) {
            if (coco::extraString(im.extra, coco::kZsiStatus) == toString(s)) return;
            im.extra[coco::kZsiStatus] = toString(s);
            touch();
            return;
        }
}

int64_t AnnotationDocument::nextUnreviewed(int64_t afterImageId) const {
    const auto& ims = data_.images;
    if (ims.empty()) return 0;
    size_t start = 0;
    for (size_t i = 0; i < ims.size(); ++i)
        if (ims[i].id == afterImageId) start = i + 1;
    for (size_t k = 0; k < ims.size(); ++k) {
        const auto& im = ims[(start + k) % ims.size()];
        if (im.id != afterImageId && imageStatus(im.id) != ImageStatus::Reviewed) return im.id;
    }
    return 0;
}

void AnnotationDocument::updateStatus(int64_t imageId) {
    const auto& list = annotations(imageId);
    if (list.empty()) {
        // An edit removed the last annotation: the user has looked at this image.
        if (imageStatus(imageId) != ImageStatus::NotRun)
            setImageStatus(imageId, ImageStatus::Reviewed);
        return;
    }
    const bool pending = std::any_of(list.begin(), list.end(), [](const coco::Annotation& a) {
        return parseReviewState(coco::extraString(a.extra, coco::kZsiReview)) ==
               ReviewState::Pending;
    });
    setImageStatus(imageId, pending ? ImageStatus::Predicted : ImageStatus::Reviewed);
}

// --- categories

const coco::Category* AnnotationDocument::category(int64_t categoryId) const {
    return data_.findCategory(categoryId);
}

int64_t AnnotationDocument::categoryId(const std::string& name) const {
    const coco::Category* c = data_.findCategory(name);
    return c ? c->id : 0;
}

int64_t AnnotationDocument::ensureCategory(const std::string& name, ClassKind kind) {
    if (const int64_t id = categoryId(name)) return id;
    coco::Category c;
    c.id = nextCategoryId_++;
    c.name = name;
    c.supercategory = kind == ClassKind::Unseen ? "unseen" : "seen";
    c.extra[kZsiKind] = kindString(kind);
    data_.categories.push_back(std::move(c));
    touch();
    return data_.categories.back().id;
}

void AnnotationDocument::setClasses(const std::vector<std::string>& names,
                                    const std::vector<ClassKind>& kinds) {
    for (size_t i = 0; i < names.size(); ++i)
        ensureCategory(names[i], i < kinds.size() ? kinds[i] : ClassKind::Seen);
}

ClassKind AnnotationDocument::categoryKind(int64_t categoryId) const {
    const coco::Category* c = category(categoryId);
    const std::string k = c ? coco::extraString(c->extra, kZsiKind) : std::string();
    return k == "unseen"       ? ClassKind::Unseen
           : k == "background" ? ClassKind::Background
                               : ClassKind::Seen;
}

void AnnotationDocument::renameCategory(int64_t categoryId, const std::string& name) {
    for (auto& c : data_.categories)
        if (c.id == categoryId && c.name != name) {
            c.name = name;
            touch();
        }
}

// --- annotations

const std::vector<coco::Annotation>& AnnotationDocument::annotations(int64_t imageId) const {
    const auto it = byImage_.find(imageId);
    return it == byImage_.end() ? kNoAnnotations : it->second;
}

const coco::Annotation* AnnotationDocument::annotation(int64_t annotationId) const {
    return const_cast<AnnotationDocument*>(this)->find(annotationId);
}

coco::Annotation* AnnotationDocument::find(int64_t annotationId) {
    const auto it = imageOfAnnotation_.find(annotationId);
    if (it == imageOfAnnotation_.end()) return nullptr;
    auto list = byImage_.find(it->second);
    if (list == byImage_.end()) return nullptr;
    for (auto& a : list->second)
        if (a.id == annotationId) return &a;
    return nullptr;
}

int64_t AnnotationDocument::imageOf(int64_t annotationId) const {
    const auto it = imageOfAnnotation_.find(annotationId);
    return it == imageOfAnnotation_.end() ? 0 : it->second;
}

size_t AnnotationDocument::annotationCount() const {
    return imageOfAnnotation_.size();
}

AnnotationSource AnnotationDocument::source(int64_t annotationId) const {
    const coco::Annotation* a = annotation(annotationId);
    return a ? parseAnnotationSource(coco::extraString(a->extra, coco::kZsiSource))
             : AnnotationSource::Model;
}

ReviewState AnnotationDocument::review(int64_t annotationId) const {
    const coco::Annotation* a = annotation(annotationId);
    return a ? parseReviewState(coco::extraString(a->extra, coco::kZsiReview))
             : ReviewState::Pending;
}

bool AnnotationDocument::setReview(int64_t annotationId, ReviewState s) {
    coco::Annotation* a = find(annotationId);
    if (!a) return false;
    a->extra[coco::kZsiReview] = toString(s);
    touch();
    updateStatus(a->imageId);
    return true;
}

bool AnnotationDocument::setCategory(int64_t annotationId, int64_t categoryId) {
    coco::Annotation* a = find(annotationId);
    if (!a) return false;
    a->categoryId = categoryId;
    touch();
    return true;
}

int64_t AnnotationDocument::addAnnotation(int64_t imageId, coco::Annotation a, int position) {
    if (a.id == 0 || imageOfAnnotation_.count(a.id)) a.id = nextAnnotationId_++;
    nextAnnotationId_ = std::max(nextAnnotationId_, a.id + 1);
    a.imageId = imageId;
    const int64_t id = a.id;
    auto& list = byImage_[imageId];
    if (position < 0 || position > int(list.size())) position = int(list.size());
    list.insert(list.begin() + position, std::move(a));
    imageOfAnnotation_[id] = imageId;
    touch();
    updateStatus(imageId);
    return id;
}

std::optional<AnnotationDocument::Removed> AnnotationDocument::removeAnnotation(
    int64_t annotationId) {
    const int64_t imageId = imageOf(annotationId);
    auto it = byImage_.find(imageId);
    if (it == byImage_.end()) return std::nullopt;
    auto& list = it->second;
    for (size_t i = 0; i < list.size(); ++i)
        if (list[i].id == annotationId) {
            Removed r{std::move(list[i]), imageId, int(i)};
            list.erase(list.begin() + long(i));
            imageOfAnnotation_.erase(annotationId);
            touch();
            updateStatus(imageId);
            return r;
        }
    return std::nullopt;
}

// --- masks

cv::Rect AnnotationDocument::imageRect(int64_t imageId) const {
    const coco::Image* im = image(imageId);
    return im ? cv::Rect(0, 0, im->width, im->height) : cv::Rect();
}

Rle AnnotationDocument::rleOf(const coco::Annotation& a) const {
    const cv::Rect r = imageRect(a.imageId);
    return coco::toRle(a.segmentation, r.height, r.width);
}

void AnnotationDocument::setMaskRle(coco::Annotation& a, const Rle& r) const {
    a.segmentation = coco::toCompressed(r);
    a.bbox = rle::toBbox(r);
    a.area = double(rle::area(r));
    // Losses of an earlier polygon export no longer describe this mask.
    a.extra.erase(kZsiPolygonHoles);
    a.extra.erase(kZsiPolygonChangedPixels);
}

CroppedMask AnnotationDocument::mask(int64_t annotationId) const {
    const coco::Annotation* a = annotation(annotationId);
    if (!a) return {};
    const Rle r = rleOf(*a);
    const cv::Rect box = boxRect(rle::toBbox(r)) & imageRect(a->imageId);
    return {rle::decodeRegion(r, box), box.tl()};
}

cv::Mat AnnotationDocument::maskRegion(int64_t annotationId, cv::Rect region) const {
    const coco::Annotation* a = annotation(annotationId);
    if (!a) return {};
    return rle::decodeRegion(rleOf(*a), region & imageRect(a->imageId));
}

bool AnnotationDocument::writeMaskRegion(int64_t annotationId, cv::Rect region,
                                         const cv::Mat& values) {
    coco::Annotation* a = find(annotationId);
    if (!a) return false;
    const cv::Rect img = imageRect(a->imageId);
    region &= img;
    if (region.empty() || values.size() != region.size()) return false;
    const Rle old = rleOf(*a);
    const cv::Rect all = (boxRect(rle::toBbox(old)) | region) & img;
    cv::Mat crop = rle::decodeRegion(old, all);
    cv::Mat dst = crop(region - all.tl());
    cv::Mat v;
    values.convertTo(v, CV_8U);
    cv::min(v, 1, v);
    v.copyTo(dst);
    setMaskRle(*a, rle::encodeCropped(crop, all.tl(), img.height, img.width));
    touch();
    return true;
}

Instance AnnotationDocument::toInstance(const coco::Annotation& a) const {
    Instance inst = instanceFromRle(rleOf(a), a.score ? float(*a.score) : 1.f);
    for (size_t i = 0; i < data_.categories.size(); ++i)
        if (data_.categories[i].id == a.categoryId) {
            inst.classIndex = int(i);
            inst.className = data_.categories[i].name;
        }
    inst.classKind = categoryKind(a.categoryId);
    // Alternatives name classes; those that are categories of the document get their index.
    if (const auto it = a.extra.find(kZsiAlternatives); it != a.extra.end() && it->is_array())
        for (const auto& alt : *it) {
            if (!alt.is_object() || !alt.contains("class") || !alt["class"].is_string()) continue;
            ClassAlternative c;
            c.className = alt["class"].get<std::string>();
            c.score =
                alt.contains("score") && alt["score"].is_number() ? alt["score"].get<float>() : 0.f;
            for (size_t i = 0; i < data_.categories.size(); ++i)
                if (data_.categories[i].name == c.className) {
                    c.classIndex = int(i);
                    c.classKind = categoryKind(data_.categories[i].id);
                }
            inst.alternatives.push_back(std::move(c));
        }
    return inst;
}

std::vector<Instance> AnnotationDocument::instances(int64_t imageId, bool includeRejected) const {
    std::vector<Instance> out;
    for (const auto& a : annotations(imageId))
        if (includeRejected ||
            parseReviewState(coco::extraString(a.extra, coco::kZsiReview)) != ReviewState::Rejected)
            out.push_back(toInstance(a));
    return out;
}

PredictionMerge AnnotationDocument::setModelPredictions(const std::string& imageFile, int width,
                                                        int height,
                                                        const std::vector<Instance>& predictions,
                                                        double duplicateIou) {
    PredictionMerge m;
    const int64_t imageId = addImage(imageFile, width, height);
    const cv::Rect img = imageRect(imageId);
    auto& list = byImage_[imageId];
    std::vector<Rle> kept;
    for (size_t i = 0; i < list.size();) {
        const coco::Annotation& a = list[i];
        const bool replace =
            parseAnnotationSource(coco::extraString(a.extra, coco::kZsiSource)) ==
                AnnotationSource::Model &&
            parseReviewState(coco::extraString(a.extra, coco::kZsiReview)) == ReviewState::Pending;
        if (replace) {
            imageOfAnnotation_.erase(a.id);
            list.erase(list.begin() + long(i));
            ++m.replaced;
        } else {
            kept.push_back(rleOf(a));
            ++m.kept;
            ++i;
        }
    }
    for (const Instance& inst : predictions) {
        coco::Annotation a =
            annotationFromInstance(inst, img.height, img.width, SegmentationForm::Rle);
        const Rle r = coco::toRle(a.segmentation, img.height, img.width);
        const bool duplicate = std::any_of(kept.begin(), kept.end(), [&](const Rle& k) {
            return rle::iouPair(r, k) >= duplicateIou;
        });
        m.annotationIds.push_back(0);
        if (duplicate) {
            ++m.dropped;
            continue;
        }
        const std::string name =
            inst.className.empty() ? "class " + std::to_string(inst.classIndex) : inst.className;
        a.categoryId = ensureCategory(name, inst.classKind);
        a.imageId = imageId;
        a.id = nextAnnotationId_++;
        m.annotationIds.back() = a.id;
        imageOfAnnotation_[a.id] = imageId;
        byImage_[imageId].push_back(std::move(a));
        ++m.added;
    }
    touch();
    if (annotations(imageId).empty())
        setImageStatus(imageId, ImageStatus::Predicted);
    else
        updateStatus(imageId);
    return m;
}

coco::Annotation AnnotationDocument::humanAnnotation(int64_t imageId, int64_t categoryId,
                                                     const CroppedMask& m) const {
    const cv::Rect img = imageRect(imageId);
    coco::Annotation a;
    a.imageId = imageId;
    a.categoryId = categoryId;
    setMaskRle(a, rle::encodeCropped(m.mask, m.origin, img.height, img.width));
    a.extra[coco::kZsiSource] = toString(AnnotationSource::Human);
    a.extra[coco::kZsiReview] = toString(ReviewState::Accepted);
    return a;
}

coco::Annotation AnnotationDocument::humanPolygon(int64_t imageId, int64_t categoryId,
                                                  const std::vector<double>& xy) const {
    const cv::Rect img = imageRect(imageId);
    coco::Annotation a;
    a.imageId = imageId;
    a.categoryId = categoryId;
    setMaskRle(a, rle::fromPolygon(xy, img.height, img.width));
    a.extra[coco::kZsiSource] = toString(AnnotationSource::Human);
    a.extra[coco::kZsiReview] = toString(ReviewState::Accepted);
    return a;
}

coco::Annotation AnnotationDocument::humanBox(int64_t imageId, int64_t categoryId,
                                              const BoxXywh& box) const {
    const cv::Rect img = imageRect(imageId);
    const cv::Rect r = boxRect(box) & img;
    cv::Mat ones = cv::Mat::ones(std::max(r.height, 0), std::max(r.width, 0), CV_8U);
    return humanAnnotation(imageId, categoryId, {ones, r.tl()});
}

coco::Dataset AnnotationDocument::toDataset() const {
    coco::Dataset d = data_;
    d.info = infoForSave();
    for (const auto& [imageId, list] : byImage_)
        d.annotations.insert(d.annotations.end(), list.begin(), list.end());
    return d;
}

CroppedMask rasterizeStroke(const std::vector<cv::Point2f>& points, float radius,
                            cv::Rect imageRect) {
    if (points.empty() || imageRect.empty()) return {};
    const int r = std::max(0, int(std::lround(radius)));
    float x0 = points[0].x, y0 = points[0].y, x1 = x0, y1 = y0;
    for (const auto& p : points) {
        x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
    }
    const cv::Rect full(int(std::floor(x0)) - r - 1, int(std::floor(y0)) - r - 1,
                        int(std::ceil(x1 - x0)) + 2 * r + 3, int(std::ceil(y1 - y0)) + 2 * r + 3);
    const cv::Rect clipped = full & imageRect;
    if (clipped.empty()) return {};
    // Drawn on the unclipped canvas (a stroke may start outside the image), then cut.
    cv::Mat canvas = cv::Mat::zeros(full.size(), CV_8U);
    auto local = [&](const cv::Point2f& p) {
        return cv::Point(int(std::floor(p.x)) - full.x, int(std::floor(p.y)) - full.y);
    };
    // Discs along the path, at most one pixel apart: an exact round brush (cv::line's thick
    // lines have square-ish ends that stick out past the radius).
    for (size_t i = 0; i < points.size(); ++i) {
        const cv::Point2f a = i > 0 ? points[i - 1] : points[i], b = points[i];
        const int steps = std::max(1, int(std::ceil(cv::norm(b - a))));
        for (int k = 0; k <= steps; ++k) {
            const cv::Point2f p = a + (b - a) * (float(k) / float(steps));
            cv::circle(canvas, local(p), r, cv::Scalar(1), cv::FILLED, cv::LINE_8);
        }
    }
    CroppedMask m{canvas(clipped - full.tl()).clone(), clipped.tl()};
    // Trim to the painted pixels so the stroke's bounding box (what an undo stores) is tight.
    std::vector<cv::Point> nz;
    cv::findNonZero(m.mask, nz);
    if (nz.empty()) return {};
    const cv::Rect tight = cv::boundingRect(nz);
    return {m.mask(tight).clone(), m.origin + tight.tl()};
}

}  // namespace zsi
