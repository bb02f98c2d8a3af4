#include "util/error.h"

namespace zsi {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::Unknown: return "unknown";
        case ErrorCode::FileNotFound: return "file-not-found";
        case ErrorCode::FileUnreadable: return "file-unreadable";
        case ErrorCode::FileWriteFailed: return "file-write-failed";
        case ErrorCode::ImageDecodeFailed: return "image-decode-failed";
        case ErrorCode::ImageTooLarge: return "image-too-large";
        case ErrorCode::ImageTooSmall: return "image-too-small";
        case ErrorCode::JsonMalformed: return "json-malformed";
        case ErrorCode::JsonSchema: return "json-schema";
        case ErrorCode::VectorFileMalformed: return "vector-file-malformed";
        case ErrorCode::UnknownWords: return "unknown-words";
        case ErrorCode::DimensionMismatch: return "dimension-mismatch";
        case ErrorCode::EmptyVocabulary: return "empty-vocabulary";
        case ErrorCode::DuplicateClass: return "duplicate-class";
        case ErrorCode::InvalidClassName: return "invalid-class-name";
        case ErrorCode::CheckpointInvalid: return "checkpoint-invalid";
        case ErrorCode::ConfigInvalid: return "config-invalid";
        case ErrorCode::InvalidArgument: return "invalid-argument";
        case ErrorCode::Cancelled: return "cancelled";
    }
    return "unknown";
}

}  // namespace zsi
