#pragma once
// Review edits as QUndoCommands on the AnnotationDocument. Each command stores only what it
// changes (a review state, a category id, the pixels under a brush stroke, one annotation),
// never a snapshot of the document. Commands whose annotation is gone (a re-run replaced a
// pending one) do nothing. After every redo / undo the DocumentNotifier tells the views.
//
// Relabelling and mask corrections are human decisions: they also mark the annotation
// accepted (undo restores the previous state), so a re-run never replaces corrected work.
#include "data/annotation_document.h"

#include <QList>
#include <QObject>
#include <QUndoCommand>

#include <optional>
#include <vector>

namespace zsi {

// Views connect here; commands emit after each change.
class DocumentNotifier : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    void notify(qint64 imageId, const QList<qint64>& annotationIds) {
        Q_EMIT annotationsChanged(imageId, annotationIds);
    }

Q_SIGNALS:
    // Annotations of imageId changed (review, class, mask, added or removed).
    void annotationsChanged(qint64 imageId, const QList<qint64>& annotationIds);
};

// Base: the document, the notifier (may be null) and the notification after each step.
class ReviewCommand : public QUndoCommand {
public:
    ReviewCommand(AnnotationDocument* doc, DocumentNotifier* notifier,
                  QUndoCommand* parent = nullptr)
        : QUndoCommand(parent), doc_(doc), notifier_(notifier) {}

protected:
    void notify(qint64 imageId, const QList<qint64>& ids) const {
        if (notifier_) notifier_->notify(imageId, ids);
    }
    // Image status around a step, so an undo restores it exactly (the document derives the
    // status from the annotations, which cannot tell "never reviewed" from "reviewed, emptied").
    void rememberStatus(int64_t imageId) {
        if (imageId) statusBefore_ = doc_->imageStatus(imageId);
    }
    void restoreStatus(int64_t imageId) {
        if (imageId && statusBefore_) doc_->setImageStatus(imageId, *statusBefore_);
    }
    std::optional<ImageStatus> statusBefore_;
    AnnotationDocument* doc_;
    DocumentNotifier* notifier_;
};

// Sets the review state of some annotations (accept, reject; accept all above a score).
class SetReviewCommand : public ReviewCommand {
public:
    SetReviewCommand(AnnotationDocument* doc, DocumentNotifier* notifier,
                     const std::vector<int64_t>& ids, ReviewState state,
                     QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int count() const { return int(changes_.size()); }

private:
    struct Change {
        int64_t id;
        ReviewState before;
    };
    std::vector<Change> changes_;
    ReviewState state_;
    int64_t imageId_ = 0;
};

// The pending annotations of one image with score >= threshold, as one command. Returns
// null when there is none (nothing to push).
QUndoCommand* makeAcceptAllAbove(AnnotationDocument* doc, DocumentNotifier* notifier,
                                 int64_t imageId, double threshold);

// Changes the class (and accepts).
class RelabelCommand : public ReviewCommand {
public:
    RelabelCommand(AnnotationDocument* doc, DocumentNotifier* notifier,
                   const std::vector<int64_t>& ids, int64_t categoryId,
                   QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    struct Change {
        int64_t id;
        int64_t categoryBefore;
        ReviewState reviewBefore;
    };
    std::vector<Change> changes_;
    int64_t categoryId_;
    int64_t imageId_ = 0;
};

// Removes annotations; undo puts them back at their place with their ids.
class DeleteAnnotationsCommand : public ReviewCommand {
public:
    DeleteAnnotationsCommand(AnnotationDocument* doc, DocumentNotifier* notifier,
                             const std::vector<int64_t>& ids, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    std::vector<int64_t> ids_;
    std::vector<AnnotationDocument::Removed> removed_;  // in removal order
    int64_t imageId_ = 0;
};

// A brush (paint = true) or eraser stroke on one annotation's mask. Stores the stroke mask
// and, after the first redo, the previous values of the pixels in the stroke's bounding box.
class MaskStrokeCommand : public ReviewCommand {
public:
    MaskStrokeCommand(AnnotationDocument* doc, DocumentNotifier* notifier, int64_t annotationId,
                      const CroppedMask& stroke, bool paint, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    // True when the stroke changed no pixel (the caller may drop it: QUndoCommand::setObsolete).
    bool changedNothing() const { return unchanged_; }

private:
    int64_t id_;
    CroppedMask stroke_;
    bool paint_;
    cv::Mat before_;  // previous values in the stroke's box (clipped)
    cv::Rect region_;
    std::optional<ReviewState> reviewBefore_;
    bool unchanged_ = false;
};

// A new human annotation (accepted) with a class; undo removes it, redo restores the same id.
class AddAnnotationCommand : public ReviewCommand {
public:
    AddAnnotationCommand(AnnotationDocument* doc, DocumentNotifier* notifier, int64_t imageId,
                         coco::Annotation annotation, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int64_t annotationId() const { return annotation_.id; }

private:
    int64_t imageId_;
    coco::Annotation annotation_;
};

// Convenience: a new instance from a polygon [x0,y0,...] or a box [x, y, w, h].
AddAnnotationCommand* makeNewPolygon(AnnotationDocument* doc, DocumentNotifier* notifier,
                                     int64_t imageId, int64_t categoryId,
                                     const std::vector<double>& xy);
AddAnnotationCommand* makeNewBox(AnnotationDocument* doc, DocumentNotifier* notifier,
                                 int64_t imageId, int64_t categoryId, const BoxXywh& box);

}  // namespace zsi
