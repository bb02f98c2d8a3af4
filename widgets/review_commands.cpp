#include "review_commands.h"

#include <QCoreApplication>

#include <algorithm>

namespace zsi {

namespace {

QList<qint64> toList(const std::vector<int64_t>& ids) {
    QList<qint64> l;
    for (int64_t id : ids) l.append(id);
    return l;
}

// The image of the first annotation that still exists (a command edits one image).
int64_t imageOfAny(const AnnotationDocument* doc, const std::vector<int64_t>& ids) {
    for (int64_t id : ids)
        if (const int64_t img = doc->imageOf(id)) return img;
    return 0;
}

}  // namespace

// --- SetReviewCommand

SetReviewCommand::SetReviewCommand(AnnotationDocument* doc, DocumentNotifier* notifier,
                                   const std::vector<int64_t>& ids, ReviewState state,
                                   QUndoCommand* parent)
    : ReviewCommand(doc, notifier, parent), state_(state) {
    for (int64_t id : ids)
        if (doc->annotation(id)) changes_.push_back({id, doc->review(id)});
    imageId_ = imageOfAny(doc, ids);
    switch (state) {
        case ReviewState::Accepted:
            setText(QCoreApplication::translate("ReviewCommand", "Accept"));
            break;
        case ReviewState::Rejected:
            setText(QCoreApplication::translate("ReviewCommand", "Reject"));
            break;
        case ReviewState::Pending:
            setText(QCoreApplication::translate("ReviewCommand", "Mark pending"));
            break;
    }
}

void SetReviewCommand::redo() {
    rememberStatus(imageId_);
    QList<qint64> ids;
    for (const auto& c : changes_)
        if (doc_->setReview(c.id, state_)) ids.append(c.id);
    notify(imageId_, ids);
}

void SetReviewCommand::undo() {
    QList<qint64> ids;
    for (auto it = changes_.rbegin(); it != changes_.rend(); ++it)
        if (doc_->setReview(it->id, it->before)) ids.append(it->id);
    restoreStatus(imageId_);
    notify(imageId_, ids);
}

QUndoCommand* makeAcceptAllAbove(AnnotationDocument* doc, DocumentNotifier* notifier,
                                 int64_t imageId, double threshold) {
    std::vector<int64_t> ids;
    for (const auto& a : doc->annotations(imageId))
        if (a.score && *a.score >= threshold && doc->review(a.id) == ReviewState::Pending)
            ids.push_back(a.id);
    if (ids.empty()) return nullptr;
    auto* c = new SetReviewCommand(doc, notifier, ids, ReviewState::Accepted);
    c->setText(QCoreApplication::translate("ReviewCommand", "Accept all above %1")
                   .arg(threshold, 0, 'f', 2));
    return c;
}

// --- RelabelCommand

RelabelCommand::RelabelCommand(AnnotationDocument* doc, DocumentNotifier* notifier,
                               const std::vector<int64_t>& ids, int64_t categoryId,
                               QUndoCommand* parent)
    : ReviewCommand(doc, notifier, parent), categoryId_(categoryId) {
    for (int64_t id : ids)
        if (const coco::Annotation* a = doc->annotation(id))
            changes_.push_back({id, a->categoryId, doc->review(id)});
    imageId_ = imageOfAny(doc, ids);
    const coco::Category* c = doc->category(categoryId);
    setText(QCoreApplication::translate("ReviewCommand", "Relabel as %1")
                .arg(c ? QString::fromStdString(c->name) : QString::number(categoryId)));
}

void RelabelCommand::redo() {
    rememberStatus(imageId_);
    QList<qint64> ids;
    for (const auto& c : changes_)
        if (doc_->setCategory(c.id, categoryId_)) {
            doc_->setReview(c.id, ReviewState::Accepted);
            ids.append(c.id);
        }
    notify(imageId_, ids);
}

void RelabelCommand::undo() {
    QList<qint64> ids;
    for (auto it = changes_.rbegin(); it != changes_.rend(); ++it)
        if (doc_->setCategory(it->id, it->categoryBefore)) {
            doc_->setReview(it->id, it->reviewBefore);
            ids.append(it->id);
        }
    restoreStatus(imageId_);
    notify(imageId_, ids);
}

// --- DeleteAnnotationsCommand

DeleteAnnotationsCommand::DeleteAnnotationsCommand(AnnotationDocument* doc,
                                                   DocumentNotifier* notifier,
                                                   const std::vector<int64_t>& ids,
                                                   QUndoCommand* parent)
    : ReviewCommand(doc, notifier, parent), ids_(ids) {
    imageId_ = imageOfAny(doc, ids);
    setText(QCoreApplication::translate("ReviewCommand", "Delete"));
}

void DeleteAnnotationsCommand::redo() {
    removed_.clear();
    rememberStatus(imageId_);
    for (int64_t id : ids_)
        if (auto r = doc_->removeAnnotation(id)) removed_.push_back(std::move(*r));
    notify(imageId_, toList(ids_));
}

void DeleteAnnotationsCommand::undo() {
    // Reverse order, so every annotation returns to the position it had.
    for (auto it = removed_.rbegin(); it != removed_.rend(); ++it)
        doc_->addAnnotation(it->imageId, it->annotation, it->position);
    removed_.clear();
    restoreStatus(imageId_);
    notify(imageId_, toList(ids_));
}

// --- MaskStrokeCommand

MaskStrokeCommand::MaskStrokeCommand(AnnotationDocument* doc, DocumentNotifier* notifier,
                                     int64_t annotationId, const CroppedMask& stroke, bool paint,
                                     QUndoCommand* parent)
    : ReviewCommand(doc, notifier, parent), id_(annotationId), stroke_(stroke), paint_(paint) {
    setText(paint ? QCoreApplication::translate("ReviewCommand", "Brush")
                  : QCoreApplication::translate("ReviewCommand", "Eraser"));
    const int64_t img = doc->imageOf(annotationId);
    region_ = cv::Rect(stroke.origin, stroke.mask.size()) & doc->imageRect(img);
}

void MaskStrokeCommand::redo() {
    if (region_.empty() || !doc_->annotation(id_)) return;
    rememberStatus(doc_->imageOf(id_));
    const cv::Mat current = doc_->maskRegion(id_, region_);
    if (before_.empty()) before_ = current.clone();
    cv::Mat next = current.clone();
    const cv::Mat s = stroke_.mask(region_ - stroke_.origin);
    next.setTo(cv::Scalar(paint_ ? 1 : 0), s);
    unchanged_ = cv::countNonZero(next != current) == 0;
    doc_->writeMaskRegion(id_, region_, next);
    if (!reviewBefore_) reviewBefore_ = doc_->review(id_);
    doc_->setReview(id_, ReviewState::Accepted);
    notify(doc_->imageOf(id_), {id_});
}

void MaskStrokeCommand::undo() {
    if (before_.empty() || !doc_->annotation(id_)) return;
    doc_->writeMaskRegion(id_, region_, before_);
    if (reviewBefore_) doc_->setReview(id_, *reviewBefore_);
    restoreStatus(doc_->imageOf(id_));
    notify(doc_->imageOf(id_), {id_});
}

// --- AddAnnotationCommand

AddAnnotationCommand::AddAnnotationCommand(AnnotationDocument* doc, DocumentNotifier* notifier,
                                           int64_t imageId, coco::Annotation annotation,
                                           QUndoCommand* parent)
    : ReviewCommand(doc, notifier, parent), imageId_(imageId), annotation_(std::move(annotation)) {
    setText(QCoreApplication::translate("ReviewCommand", "New instance"));
}

void AddAnnotationCommand::redo() {
    // The first redo assigns the id; later redos restore that same id.
    rememberStatus(imageId_);
    annotation_.id = doc_->addAnnotation(imageId_, annotation_);
    notify(imageId_, {annotation_.id});
}

void AddAnnotationCommand::undo() {
    doc_->removeAnnotation(annotation_.id);
    restoreStatus(imageId_);
    notify(imageId_, {annotation_.id});
}

AddAnnotationCommand* makeNewPolygon(AnnotationDocument* doc, DocumentNotifier* notifier,
                                     int64_t imageId, int64_t categoryId,
                                     const std::vector<double>& xy) {
    return new AddAnnotationCommand(doc, notifier, imageId,
                                    doc->humanPolygon(imageId, categoryId, xy));
}

AddAnnotationCommand* makeNewBox(AnnotationDocument* doc, DocumentNotifier* notifier,
                                 int64_t imageId, int64_t categoryId, const BoxXywh& box) {
    return new AddAnnotationCommand(doc, notifier, imageId,
                                    doc->humanBox(imageId, categoryId, box));
}

}  // namespace zsi
