#include "error_text.h"

#include "util/error.h"

#include <QCoreApplication>
#include <QStringList>

namespace zsi {
namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("ErrorText", text);
}

}  // namespace

QString errorText(const std::exception& e) {
    if (const auto* z = dynamic_cast<const Error*>(&e)) return errorText(*z);
    return QString::fromUtf8(e.what());
}

QString errorText(const Error& e) {
    const QString english = QString::fromUtf8(e.what());
    // The wording's arguments, in order; a missing one means the English message is better.
    auto with = [&](const char* text, const QStringList& keys) {
        QString out = tr(text);
        for (const QString& k : keys) {
            const std::string v = e.arg(k.toStdString());
            if (v.empty()) return english;
            out = out.arg(QString::fromStdString(v));
        }
        return out;
    };
    switch (e.code()) {
        case ErrorCode::FileNotFound:
            return with(QT_TRANSLATE_NOOP("ErrorText", "File not found: %1"), {"path"});
        case ErrorCode::FileUnreadable:
            return with(QT_TRANSLATE_NOOP("ErrorText", "Cannot read %1: %2"), {"path", "reason"});
        case ErrorCode::FileWriteFailed:
            return with(QT_TRANSLATE_NOOP("ErrorText", "Cannot write %1: %2"), {"path", "reason"});
        case ErrorCode::ImageDecodeFailed:
            return with(QT_TRANSLATE_NOOP("ErrorText", "%1 is not an image that can be read"),
                        {"path"});
        case ErrorCode::ImageTooLarge:
            return with(
                QT_TRANSLATE_NOOP("ErrorText",
                                  "%1 is too large: %2 x %3 pixels (the limit is %4 pixels)"),
                {"path", "width", "height", "limit"});
        case ErrorCode::ImageTooSmall:
            return with(QT_TRANSLATE_NOOP("ErrorText", "%1 is too small: %2 x %3 pixels"),
                        {"path", "width", "height"});
        case ErrorCode::JsonMalformed:
            return with(QT_TRANSLATE_NOOP("ErrorText", "%1 is not valid JSON: %2"),
                        {"path", "reason"});
        case ErrorCode::JsonSchema:
            return with(QT_TRANSLATE_NOOP("ErrorText", "%1: the field %2 is wrong: %3"),
                        {"path", "field", "reason"});
        case ErrorCode::VectorFileMalformed:
            return with(QT_TRANSLATE_NOOP("ErrorText", "%1, line %2: %3"),
                        {"path", "line", "reason"});
        case ErrorCode::UnknownWords:
            return with(QT_TRANSLATE_NOOP("ErrorText", "Unknown words: %1 (not in %2)"),
                        {"words", "model"});
        case ErrorCode::DimensionMismatch:
            return with(QT_TRANSLATE_NOOP("ErrorText", "%1 has dimension %2, but %3 is needed"),
                        {"what", "found", "expected"});
        case ErrorCode::EmptyVocabulary:
            return with(QT_TRANSLATE_NOOP("ErrorText", "Nothing to use: %1"), {"what"});
        case ErrorCode::DuplicateClass:
            return with(QT_TRANSLATE_NOOP("ErrorText", "\"%1\" is already a class (%2)"),
                        {"name", "reason"});
        case ErrorCode::InvalidClassName:
            return with(QT_TRANSLATE_NOOP("ErrorText", "\"%1\" cannot be a class name: %2"),
                        {"name", "reason"});
        case ErrorCode::CheckpointInvalid:
            return with(QT_TRANSLATE_NOOP("ErrorText", "The model file %1 cannot be used: %2"),
                        {"path", "reason"});
        case ErrorCode::ConfigInvalid:
            return with(QT_TRANSLATE_NOOP("ErrorText", "Invalid setting %1: %2"),
                        {"field", "reason"});
        case ErrorCode::InvalidArgument:
            return with(QT_TRANSLATE_NOOP("ErrorText", "Invalid %1: %2"), {"name", "reason"});
        case ErrorCode::Cancelled:
            return tr(QT_TRANSLATE_NOOP("ErrorText", "Cancelled"));
        case ErrorCode::Unknown:
            break;
    }
    return english;
}

}  // namespace zsi
