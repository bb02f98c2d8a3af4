#pragma once
// ZSI Studio's document: a COCO instances file with the review fields of coco.h
// (zsi_source / zsi_review per annotation, zsi_status per image) plus, under info.zsi, what
// is needed to continue a session: the vocabulary as typed, mode, scoring rule, thresholds
// and the model's identity. The keys under info.zsi are those of the batch export's
// provenance (core/engine/batch_export.cpp), so a CLI export opens as a document and a saved
// document is a valid export. Torch-free and Qt-free.
//
// Annotations are held per image in file order. Annotation ids are never reused within a
// session (a deleted id stays retired unless an undo restores it), so an edit command that
// outlives its annotation (e.g. a re-run replaced it) finds nothing instead of the wrong one.
//
// Image status follows the annotations: any pending annotation -> "predicted"; annotations
// all reviewed -> "reviewed". A model run without results -> "predicted"; an edit that
// removes the last annotation -> "reviewed" (a never-run image stays "not_run").
// setImageStatus() overrides (e.g. "mark reviewed"); the review commands restore the
// previous status on undo.
#include "data/coco.h"
#include "data/export_formats.h"
#include "data/instance.h"
#include "data/provenance.h"

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zsi {

enum class AnnotationSource { Model, Human };
enum class ReviewState { Pending, Accepted, Rejected };
enum class ImageStatus { NotRun, Predicted, Reviewed };

std::string toString(AnnotationSource s);  // "model", "human"
std::string toString(ReviewState s);       // "pending", "accepted", "rejected"
std::string toString(ImageStatus s);       // "not_run", "predicted", "reviewed"
// Unknown or missing values read as Model / Pending / NotRun (files from other tools).
AnnotationSource parseAnnotationSource(const std::string& s);
ReviewState parseReviewState(const std::string& s);
ImageStatus parseImageStatus(const std::string& s);

// What a session needs to continue, stored under info.zsi: the provenance (model and vectors
// it used, every inference setting, the unseen classes) and where its images are.
struct SessionSettings : Provenance {
    std::string imageRoot;  // as given; relative paths are relative to the document
};

// A mask cropped to a rectangle of the image (CV_8U, 0/1), as Instance keeps it.
struct CroppedMask {
    cv::Mat mask;
    cv::Point origin{0, 0};
};

// What setModelPredictions did.
struct PredictionMerge {
    int replaced = 0;  // pending model annotations removed
    int added = 0;     // new pending annotations
    int kept = 0;      // human or reviewed annotations left alone
    int dropped = 0;   // predictions that duplicated a kept annotation
    // Per prediction, its new annotation id (0 when dropped): links an annotation back to
    // the worker's Instance (similarity chart).
    std::vector<int64_t> annotationIds;
};

class AnnotationDocument {
public:
    AnnotationDocument();

    // Reads a COCO instances file (any tool's: missing review fields read as model / pending /
    // not run). Throws as coco::readInstances.
    static AnnotationDocument open(const std::filesystem::path& path);
    // Writes atomically (streamed), remembers the path, marks the document clean and removes
    // the autosave of that path. Throws Error(FileWriteFailed).
    void save(const std::filesystem::path& path);
    void save() { save(path_); }
    const std::filesystem::path& path() const { return path_; }

    // The side file beside a document: "dir/.name.autosave".
    static std::filesystem::path autosavePathFor(const std::filesystem::path& document);
    // Writes the current state to `target` (default: autosavePathFor(path())); the document
    // stays dirty and keeps its path.
    void saveAutosave(const std::filesystem::path& target = {}) const;
    // The autosave of `document` when it exists and is newer than the document (or the
    // document is gone): a crash left unsaved work.
    static std::optional<std::filesystem::path> detectRecovery(
        const std::filesystem::path& document);
    // Opens the autosave but keeps `document` as the path, dirty (the user decides to save).
    static AnnotationDocument recover(const std::filesystem::path& document);
    static void discardAutosave(const std::filesystem::path& document);

    // --- session settings (info.zsi); other info.zsi keys (provenance) are kept.
    const SessionSettings& settings() const { return settings_; }
    void setSettings(const SessionSettings& s);
    // True when the file had info.zsi (written by ZSI Studio) or settings were set; COCO
    // files of other tools have none.
    bool hasSessionSettings() const { return hasSettings_; }
    // imageRoot resolved against the document's folder.
    std::filesystem::path imageRootPath() const;

    // --- images: file names relative to the image root, ids from 1.
    const std::vector<coco::Image>& images() const { return data_.images; }
    const coco::Image* image(int64_t imageId) const;
    int64_t findImage(const std::string& fileName) const;                  // 0 when absent
    int64_t addImage(const std::string& fileName, int width, int height);  // existing id if present
    ImageStatus imageStatus(int64_t imageId) const;
    void setImageStatus(int64_t imageId, ImageStatus s);
    // The first image after `afterImageId` (in list order, wrapping) that is not reviewed; 0 if
    // none.
    int64_t nextUnreviewed(int64_t afterImageId = 0) const;

    // --- categories: ids from 1 in order of creation; seen classes first when the app
    // registers the model's classes before the unseen ones (setClasses).
    const std::vector<coco::Category>& categories() const { return data_.categories; }
    const coco::Category* category(int64_t categoryId) const;
    int64_t categoryId(const std::string& name) const;  // 0 when absent
    int64_t ensureCategory(const std::string& name, ClassKind kind);
    void setClasses(const std::vector<std::string>& names, const std::vector<ClassKind>& kinds);
    ClassKind categoryKind(int64_t categoryId) const;  // Seen when unmarked
    void renameCategory(int64_t categoryId, const std::string& name);

    // --- annotations of one image, in order.
    const std::vector<coco::Annotation>& annotations(int64_t imageId) const;
    const coco::Annotation* annotation(int64_t annotationId) const;
    int64_t imageOf(int64_t annotationId) const;  // 0 when absent
    size_t annotationCount() const;
    AnnotationSource source(int64_t annotationId) const;
    ReviewState review(int64_t annotationId) const;

    // Mutators used by the review commands. Unknown ids are ignored (returns false).
    bool setReview(int64_t annotationId, ReviewState s);
    bool setCategory(int64_t annotationId, int64_t categoryId);
    // Appends (position -1) or inserts; a == id 0 gets a fresh id. Returns the id.
    int64_t addAnnotation(int64_t imageId, coco::Annotation a, int position = -1);
    struct Removed {
        coco::Annotation annotation;
        int64_t imageId = 0;
        int position = -1;
    };
    std::optional<Removed> removeAnnotation(int64_t annotationId);

    // --- masks for editing. mask(): cropped to the annotation's box. maskRegion(): the mask
    // inside `region` (clipped to the image; CV_8U 0/1 of the clipped size).
    CroppedMask mask(int64_t annotationId) const;
    cv::Mat maskRegion(int64_t annotationId, cv::Rect region) const;
    // Replaces the mask inside `region` by `values` (same size as the clipped region) and
    // re-encodes the annotation as compressed RLE with its bbox and area.
    bool writeMaskRegion(int64_t annotationId, cv::Rect region, const cv::Mat& values);
    // The image rectangle [0, w) x [0, h) of the annotation's image.
    cv::Rect imageRect(int64_t imageId) const;

    // Annotations as Instances for the overlay (class index = position in categories()).
    Instance toInstance(const coco::Annotation& a) const;
    std::vector<Instance> instances(int64_t imageId, bool includeRejected = true) const;

    // A model run: replaces the image's model annotations that are still pending by
    // `predictions` (pending, source model); human and reviewed annotations stay, and a
    // prediction overlapping one of them with mask IoU >= duplicateIou is dropped. The
    // image is added when unknown; classes become categories by name (Instance::className,
    // kind from classKind). Not undoable: the app clears or keeps its undo stack (the
    // commands skip annotations that are gone).
    PredictionMerge setModelPredictions(const std::string& imageFile, int width, int height,
                                        const std::vector<Instance>& predictions,
                                        double duplicateIou = 0.7);

    // A new human annotation (accepted) from a mask, a polygon [x0,y0,x1,y1,...] or a box.
    coco::Annotation humanAnnotation(int64_t imageId, int64_t categoryId,
                                     const CroppedMask& m) const;
    coco::Annotation humanPolygon(int64_t imageId, int64_t categoryId,
                                  const std::vector<double>& xy) const;
    coco::Annotation humanBox(int64_t imageId, int64_t categoryId, const BoxXywh& box) const;

    // --- change tracking. revision() grows with every change; dirty until save().
    uint64_t revision() const { return revision_; }
    bool isDirty() const { return revision_ != savedRevision_; }
    void markClean() { savedRevision_ = revision_; }

    // The whole document as one Dataset (annotations in image order), e.g. for the exporters.
    coco::Dataset toDataset() const;

private:
    void touch() { ++revision_; }
    void updateStatus(int64_t imageId);
    coco::Annotation* find(int64_t annotationId);
    Rle rleOf(const coco::Annotation& a) const;
    void setMaskRle(coco::Annotation& a, const Rle& r) const;
    nlohmann::json infoForSave() const;
    void writeTo(const std::filesystem::path& target) const;

    coco::Dataset data_;  // images, categories, info, licenses, extra; annotations live below
    std::map<int64_t, std::vector<coco::Annotation>> byImage_;
    std::map<int64_t, int64_t> imageOfAnnotation_;
    SessionSettings settings_;
    bool hasSettings_ = false;
    std::filesystem::path path_;
    int64_t nextAnnotationId_ = 1;
    int64_t nextImageId_ = 1;
    int64_t nextCategoryId_ = 1;
    uint64_t revision_ = 0;
    uint64_t savedRevision_ = 0;
};

// A brush stroke (a polyline of image points, round ends, `radius` pixels) rasterised as a
// cropped 0/1 mask, clipped to imageRect. An empty mask when it misses the image.
CroppedMask rasterizeStroke(const std::vector<cv::Point2f>& points, float radius,
                            cv::Rect imageRect);

}  // namespace zsi
