#pragma once
// The review session: the one owner of what a review consists of - the review document
// (COCO instances with review fields), its undo stack, the class vocabulary (the model's seen
// classes and the unseen ones the user typed), the inference settings, the image root, and
// the image under review with the annotation id of each of its rows. Modelled on Tiled's
// MapDocument: panels and the main window are views that read it, change it through its
// methods (document edits go through the undo stack) and follow its signals. Torch-free; the
// app turns it into scoring requests (app/studio/review_request.h).
#include "data/annotation_document.h"
#include "semantics/class_embedder.h"
#include "semantics/class_vocabulary.h"
#include "settings/inference_settings.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QUndoStack;

namespace zsi {

class DocumentNotifier;

// The model a session scores with, as far as the review needs it.
struct SessionModel {
    QString name;            // recorded in saved documents
    QString embeddingsFile;  // the word-vector file (its name is recorded)
    QStringList seenClasses;
    std::vector<float> seenVectors;  // S x D, row-major
    int dim = 0;
    std::shared_ptr<const semantics::ClassEmbedder> embedder;  // embeds typed names
};

// What adding or renaming an unseen class did.
struct ClassEdit {
    enum class Refusal { None, NoModel, Empty, CannotEmbed, Rejected };
    Refusal refusal = Refusal::None;
    semantics::ClassEmbedding analysis;  // the name's words (unknown ones, subwords)
    QString reason;                      // Rejected / CannotEmbed with an error: why
    bool ok() const { return refusal == Refusal::None; }
};

class ReviewSession : public QObject {
    Q_OBJECT
public:
    explicit ReviewSession(QObject* parent = nullptr);
    ~ReviewSession() override;

    // --- the document and its undo stack
    const AnnotationDocument& document() const { return doc_; }
    QUndoStack* undoStack() const { return undo_; }
    bool isModified() const { return doc_.isDirty(); }
    // A document opened or recovered replaces the session's: the undo history and the image
    // under review go; the document's settings, unseen classes and image root (when it has
    // them: files of other tools do not) become the session's.
    void replaceDocument(AnnotationDocument doc);
    // Writes the session (settings, classes, model, image root) into the document and saves
    // it to `path`; the undo stack becomes clean. Throws zsi::Error; nothing changes then.
    void save(const QString& path);
    // The autosave beside the document (or `untitledTarget` for an untitled one).
    void saveAutosave(const QString& untitledTarget) const;

    // --- the model and the classes
    void setModel(SessionModel model);
    bool hasModel() const { return model_.embedder != nullptr; }
    const SessionModel& model() const { return model_; }
    const semantics::ClassVocabulary& vocabulary() const { return vocabulary_; }
    // Per unseen class, the analysis of its words (for display).
    const std::vector<semantics::ClassEmbedding>& unseenAnalyses() const { return analyses_; }
    QStringList unseenClasses() const;
    ClassEdit addClass(const QString& name);
    ClassEdit renameClass(int index, const QString& name);
    void removeClass(int index);
    // Every unseen class at once (one classesChanged); names that cannot be used are skipped
    // and returned. Without a model the names wait for setModel().
    QStringList setUnseenClasses(const QStringList& names);

    // --- inference settings (mode, rules, thresholds, ...)
    const InferenceSettings& settings() const { return settings_; }
    void setSettings(const InferenceSettings& s);

    // --- images
    QString imageRoot() const { return imageRoot_; }
    void setImageRoot(const QString& folder);
    // The document's name for an image file (relative to the image root).
    QString documentName(const QString& imagePath) const;
    QString imagePath(const std::string& documentName) const;
    // The image under review (its annotations are the rows); empty path: none.
    void setCurrentImage(const QString& path);
    QString currentImage() const { return currentImage_; }
    int64_t currentImageId() const { return currentImageId_; }
    // Annotation id of each row (overlay / instances panel order) of the current image.
    const std::vector<int64_t>& rowIds() const { return rowIds_; }
    std::vector<int64_t> idsOfRows(const QList<int>& rows) const;
    int rowOf(int64_t annotationId) const;  // -1 when not a row

    // --- model runs
    // A model run of one image becomes its pending model annotations (reviewed and
    // hand-drawn ones stay). The session's classes become the document's categories first.
    PredictionMerge applyPredictions(const QString& imagePath, int width, int height,
                                     const std::vector<Instance>& instances);

    // --- review edits (undoable)
    void setReview(const QList<int>& rows, ReviewState state);
    void relabel(const QList<int>& rows, int64_t categoryId);
    void removeRows(const QList<int>& rows);
    void acceptAllAbove(double threshold);  // pending rows of the current image
    // A brush (paint) or eraser stroke on one annotation's mask (accepts it); false when there
    // is no such annotation or no stroke.
    bool stroke(int64_t annotationId, const CroppedMask& stroke, bool paint);
    // New human annotations on the current image; return their id (0 when none was added).
    int64_t addPolygon(int64_t categoryId, const std::vector<double>& xy);
    int64_t addBox(int64_t categoryId, const BoxXywh& box);

Q_SIGNALS:
    // Annotations of imageId changed (an edit, an undo, a model run).
    void annotationsChanged(qint64 imageId, const QList<qint64>& annotationIds);
    // The rows of the current image changed (annotations, or another image).
    void rowsChanged();
    // The model's seen classes or the unseen classes changed.
    void classesChanged();
    void settingsChanged();
    void imageRootChanged();
    // Another document (opened, recovered): everything may have changed.
    void documentReplaced();
    // Saved, edited, undone: the title's "modified" mark may change.
    void modifiedChanged();

private:
    ClassEdit analyse(const QString& name, int renaming) const;
    void syncClassesToDocument();
    void refreshRows();
    void onAnnotationsChanged(qint64 imageId, const QList<qint64>& ids);
    SessionSettings sessionSettings(const QString& documentPath) const;

    AnnotationDocument doc_;
    QUndoStack* undo_ = nullptr;
    DocumentNotifier* notifier_ = nullptr;
    SessionModel model_;
    semantics::ClassVocabulary vocabulary_;
    std::vector<semantics::ClassEmbedding> analyses_;
    QStringList waiting_;  // unseen classes given before a model was there
    InferenceSettings settings_;
    QString imageRoot_;
    QString currentImage_;
    int64_t currentImageId_ = 0;
    std::vector<int64_t> rowIds_;
};

}  // namespace zsi
