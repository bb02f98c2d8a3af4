#include "review_session.h"

#include "review_commands.h"

#include "semantics/class_name.h"
#include "util/error.h"
#include "util/version.h"

#include <QDir>
#include <QFileInfo>
#include <QUndoStack>

namespace zsi {

ReviewSession::ReviewSession(QObject* parent)
    : QObject(parent), undo_(new QUndoStack(this)), notifier_(new DocumentNotifier(this)) {
    connect(notifier_, &DocumentNotifier::annotationsChanged, this,
            &ReviewSession::onAnnotationsChanged);
    connect(undo_, &QUndoStack::cleanChanged, this, &ReviewSession::modifiedChanged);
    connect(undo_, &QUndoStack::indexChanged, this, &ReviewSession::modifiedChanged);
}

ReviewSession::~ReviewSession() {
    // The undo stack clears itself when deleted; its commands must not notify a half-gone
    // session.
    undo_->disconnect(this);
    notifier_->disconnect(this);
}

// --- the document

void ReviewSession::replaceDocument(AnnotationDocument doc) {
    undo_->clear();
    doc_ = std::move(doc);
    currentImage_.clear();
    currentImageId_ = 0;
    rowIds_.clear();
    if (doc_.hasSessionSettings()) {
        const SessionSettings& s = doc_.settings();
        settings_ = s.inference;
        QStringList names;
        for (const std::string& n : s.unseenClasses) names << QString::fromStdString(n);
        setUnseenClasses(names);
        Q_EMIT settingsChanged();
        const QString root = QString::fromStdString(doc_.imageRootPath().string());
        if (!root.isEmpty()) setImageRoot(root);
    }
    Q_EMIT documentReplaced();
    Q_EMIT rowsChanged();
    Q_EMIT modifiedChanged();
}

SessionSettings ReviewSession::sessionSettings(const QString& documentPath) const {
    SessionSettings s = doc_.settings();
    s.appVersion = appVersion();
    s.model = model_.name.toStdString();
    s.embeddings = QFileInfo(model_.embeddingsFile).fileName().toStdString();
    s.inference = settings_;
    s.unseenClasses.clear();
    for (const auto& c : vocabulary_.unseen()) s.unseenClasses.push_back(c.name);
    for (const QString& n : waiting_) s.unseenClasses.push_back(n.toStdString());
    if (!imageRoot_.isEmpty())
        s.imageRoot = documentPath.isEmpty() ? imageRoot_.toStdString()
                                             : QDir(QFileInfo(documentPath).absolutePath())
                                                   .relativeFilePath(imageRoot_)
                                                   .toStdString();
    return s;
}

void ReviewSession::save(const QString& path) {
    doc_.setSettings(sessionSettings(path));
    doc_.save(path.toStdString());
    undo_->setClean();
    Q_EMIT modifiedChanged();
}

void ReviewSession::saveAutosave(const QString& untitledTarget) const {
    // The autosave carries the session as it is now (classes and settings included), so a
    // recovered session continues where it was; the document itself is not touched.
    AnnotationDocument copy = doc_;
    const QString docPath = QString::fromStdString(doc_.path().string());
    copy.setSettings(sessionSettings(docPath));  // untitled: the image root stays absolute
    copy.saveAutosave(doc_.path().empty() ? std::filesystem::path(untitledTarget.toStdString())
                                          : std::filesystem::path());
}

// --- the model and the classes

void ReviewSession::setModel(SessionModel model) {
    std::vector<semantics::ClassEntry> seen;
    const int dim = model.dim;
    for (int i = 0; i < model.seenClasses.size(); ++i) {
        semantics::ClassEntry e;
        e.name = model.seenClasses[i].toStdString();
        e.key = semantics::classKey(e.name);
        e.vector.assign(model.seenVectors.begin() + std::ptrdiff_t(i) * dim,
                        model.seenVectors.begin() + std::ptrdiff_t(i + 1) * dim);
        seen.push_back(std::move(e));
    }
    // Classes typed before the model changed are embedded again with its vectors.
    QStringList keep = unseenClasses();
    keep += waiting_;
    waiting_.clear();
    vocabulary_ = semantics::ClassVocabulary(dim, std::move(seen));
    analyses_.clear();
    model_ = std::move(model);
    for (const QString& name : std::as_const(keep)) {
        const ClassEdit e = analyse(name, -1);
        if (!e.ok()) continue;  // not in these vectors: dropped
        vocabulary_.addUnseen(name.trimmed().toStdString(), e.analysis.vector);
        analyses_.push_back(e.analysis);
    }
    Q_EMIT classesChanged();
}

QStringList ReviewSession::unseenClasses() const {
    QStringList out;
    for (const auto& c : vocabulary_.unseen()) out << QString::fromStdString(c.name);
    return out;
}

ClassEdit ReviewSession::analyse(const QString& rawName, int renaming) const {
    ClassEdit r;
    const QString name = rawName.trimmed();
    if (name.isEmpty()) {
        r.refusal = ClassEdit::Refusal::Empty;
        return r;
    }
    if (!model_.embedder) {
        r.refusal = ClassEdit::Refusal::NoModel;
        return r;
    }
    try {
        r.analysis = model_.embedder->analyse(name.toStdString());
    } catch (const Error& e) {
        r.refusal = ClassEdit::Refusal::CannotEmbed;
        r.reason = QString::fromUtf8(e.what());
        return r;
    }
    if (!r.analysis.ok()) {
        r.refusal = ClassEdit::Refusal::CannotEmbed;
        return r;
    }
    if (auto why = vocabulary_.rejectReason(name.toStdString(), renaming)) {
        r.refusal = ClassEdit::Refusal::Rejected;
        r.reason = QString::fromStdString(*why);
    }
    return r;
}

ClassEdit ReviewSession::addClass(const QString& name) {
    ClassEdit r = analyse(name, -1);
    if (!r.ok()) return r;
    try {
        vocabulary_.addUnseen(name.trimmed().toStdString(), r.analysis.vector);
    } catch (const Error& e) {
        r.refusal = ClassEdit::Refusal::Rejected;
        r.reason = QString::fromUtf8(e.what());
        return r;
    }
    analyses_.push_back(r.analysis);
    Q_EMIT classesChanged();
    return r;
}

ClassEdit ReviewSession::renameClass(int index, const QString& name) {
    if (index < 0 || index >= int(vocabulary_.unseenCount())) {
        ClassEdit r;
        r.refusal = ClassEdit::Refusal::Empty;
        return r;
    }
    ClassEdit r = analyse(name, index);
    if (!r.ok()) return r;
    vocabulary_.renameUnseen(size_t(index), name.trimmed().toStdString(), r.analysis.vector);
    analyses_[size_t(index)] = r.analysis;
    Q_EMIT classesChanged();
    return r;
}

void ReviewSession::removeClass(int index) {
    if (index < 0 || index >= int(vocabulary_.unseenCount())) return;
    vocabulary_.removeUnseen(size_t(index));
    analyses_.erase(analyses_.begin() + index);
    Q_EMIT classesChanged();
}

QStringList ReviewSession::setUnseenClasses(const QStringList& names) {
    QStringList skipped;
    vocabulary_.clearUnseen();
    analyses_.clear();
    waiting_.clear();
    if (!hasModel()) {
        waiting_ = names;
    } else {
        for (const QString& name : names) {
            const ClassEdit e = analyse(name, -1);
            if (!e.ok()) {
                skipped << name;
                continue;
            }
            vocabulary_.addUnseen(name.trimmed().toStdString(), e.analysis.vector);
            analyses_.push_back(e.analysis);
        }
    }
    Q_EMIT classesChanged();
    return skipped;
}

// --- settings

void ReviewSession::setSettings(const InferenceSettings& s) {
    if (s == settings_) return;
    settings_ = s;
    Q_EMIT settingsChanged();
}

// --- images

void ReviewSession::setImageRoot(const QString& folder) {
    const QString abs = folder.isEmpty() ? QString() : QDir(folder).absolutePath();
    if (abs == imageRoot_) return;
    imageRoot_ = abs;
    Q_EMIT imageRootChanged();
}

QString ReviewSession::documentName(const QString& path) const {
    if (imageRoot_.isEmpty()) return QFileInfo(path).fileName();
    return QDir(imageRoot_).relativeFilePath(path);
}

QString ReviewSession::imagePath(const std::string& name) const {
    return imageRoot_.isEmpty() ? QString()
                                : QDir(imageRoot_).filePath(QString::fromStdString(name));
}

void ReviewSession::setCurrentImage(const QString& path) {
    currentImage_ = path;
    refreshRows();
}

void ReviewSession::refreshRows() {
    currentImageId_ =
        currentImage_.isEmpty() ? 0 : doc_.findImage(documentName(currentImage_).toStdString());
    rowIds_.clear();
    if (currentImageId_)
        for (const auto& a : doc_.annotations(currentImageId_)) rowIds_.push_back(a.id);
    Q_EMIT rowsChanged();
}

std::vector<int64_t> ReviewSession::idsOfRows(const QList<int>& rows) const {
    std::vector<int64_t> ids;
    for (int r : rows)
        if (r >= 0 && r < int(rowIds_.size())) ids.push_back(rowIds_[size_t(r)]);
    return ids;
}

int ReviewSession::rowOf(int64_t annotationId) const {
    const auto it = std::find(rowIds_.begin(), rowIds_.end(), annotationId);
    return it == rowIds_.end() ? -1 : int(it - rowIds_.begin());
}

void ReviewSession::onAnnotationsChanged(qint64 imageId, const QList<qint64>& ids) {
    if (imageId == currentImageId_ || currentImageId_ == 0) refreshRows();
    Q_EMIT annotationsChanged(imageId, ids);
}

// --- model runs

void ReviewSession::syncClassesToDocument() {
    std::vector<std::string> names;
    std::vector<ClassKind> kinds;
    for (const QString& n : std::as_const(model_.seenClasses)) {
        names.push_back(n.toStdString());
        kinds.push_back(ClassKind::Seen);
    }
    for (const auto& c : vocabulary_.unseen()) {
        names.push_back(c.name);
        kinds.push_back(ClassKind::Unseen);
    }
    doc_.setClasses(names, kinds);
}

PredictionMerge ReviewSession::applyPredictions(const QString& imagePath, int width, int height,
                                                const std::vector<Instance>& instances) {
    if (hasModel()) syncClassesToDocument();
    const std::string name = documentName(imagePath).toStdString();
    PredictionMerge m = doc_.setModelPredictions(name, width, height, instances);
    const int64_t imageId = doc_.findImage(name);
    QList<qint64> ids;
    for (int64_t id : m.annotationIds)
        if (id) ids.append(id);
    if (imagePath == currentImage_) refreshRows();
    Q_EMIT annotationsChanged(imageId, ids);
    Q_EMIT modifiedChanged();
    return m;
}

// --- review edits

void ReviewSession::setReview(const QList<int>& rows, ReviewState state) {
    const auto ids = idsOfRows(rows);
    if (!ids.empty()) undo_->push(new SetReviewCommand(&doc_, notifier_, ids, state));
}

void ReviewSession::relabel(const QList<int>& rows, int64_t categoryId) {
    const auto ids = idsOfRows(rows);
    if (!ids.empty() && doc_.category(categoryId))
        undo_->push(new RelabelCommand(&doc_, notifier_, ids, categoryId));
}

void ReviewSession::removeRows(const QList<int>& rows) {
    const auto ids = idsOfRows(rows);
    if (!ids.empty()) undo_->push(new DeleteAnnotationsCommand(&doc_, notifier_, ids));
}

void ReviewSession::acceptAllAbove(double threshold) {
    if (QUndoCommand* c = makeAcceptAllAbove(&doc_, notifier_, currentImageId_, threshold))
        undo_->push(c);
}

bool ReviewSession::stroke(int64_t annotationId, const CroppedMask& m, bool paint) {
    if (!doc_.annotation(annotationId) || m.mask.empty()) return false;
    // Pushed even when no pixel changes: a stroke is a human decision and accepts the mask.
    undo_->push(new MaskStrokeCommand(&doc_, notifier_, annotationId, m, paint));
    return true;
}

int64_t ReviewSession::addPolygon(int64_t categoryId, const std::vector<double>& xy) {
    if (!currentImageId_ || !doc_.category(categoryId)) return 0;
    AddAnnotationCommand* c = makeNewPolygon(&doc_, notifier_, currentImageId_, categoryId, xy);
    undo_->push(c);
    return c->annotationId();  // given by the document in the first redo
}

int64_t ReviewSession::addBox(int64_t categoryId, const BoxXywh& box) {
    if (!currentImageId_ || !doc_.category(categoryId)) return 0;
    AddAnnotationCommand* c = makeNewBox(&doc_, notifier_, currentImageId_, categoryId, box);
    undo_->push(c);
    return c->annotationId();  // given by the document in the first redo
}

}  // namespace zsi
