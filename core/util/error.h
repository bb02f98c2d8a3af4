#pragma once
// Errors that cross the core boundary: a stable code plus named arguments and an English
// message. The CLI prints message(); the GUI maps code() + args() to translated text.
#include <map>
#include <stdexcept>
#include <string>

namespace zsi {

enum class ErrorCode {
    Unknown,
    FileNotFound,        // path
    FileUnreadable,      // path, reason
    FileWriteFailed,     // path, reason (disk full, permissions...)
    ImageDecodeFailed,   // path
    ImageTooLarge,       // path, width, height, limit
    ImageTooSmall,       // path, width, height
    JsonMalformed,       // path, reason
    JsonSchema,          // path, field, reason
    VectorFileMalformed, // path, line, reason
    UnknownWords,        // words (comma-separated), model
    DimensionMismatch,   // what, expected, found
    EmptyVocabulary,     // what
    DuplicateClass,      // name, reason
    InvalidClassName,    // name, reason
    CheckpointInvalid,   // path, reason
    ConfigInvalid,       // field, reason
    InvalidArgument,     // name, reason
    Cancelled,           //
};

// Stable identifier used in logs and by the GUI's translation table.
const char* errorCodeName(ErrorCode code);

class Error : public std::runtime_error {
public:
    using Args = std::map<std::string, std::string>;
    Error(ErrorCode code, std::string message, Args args = {})
        : std::runtime_error(std::move(message)), code_(code), args_(std::move(args)) {}

    ErrorCode code() const noexcept { return code_; }
    const Args& args() const noexcept { return args_; }
    std::string arg(const std::string& key) const {
        auto it = args_.find(key);
        return it == args_.end() ? std::string() : it->second;
    }

private:
    ErrorCode code_;
    Args args_;
};

}  // namespace zsi
