#pragma once
// Files are never written in place: write to a temporary name beside the target, flush to
// disk, then rename over the target. A crash or a full disk leaves the old file intact.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace zsi {

// Writes bytes atomically. Throws Error(FileWriteFailed) with the reason (e.g. "No space
// left on device"); the target is untouched and the temporary file removed on failure.
void writeFileAtomic(const std::filesystem::path& target, std::string_view bytes);

// Streams into a temporary file through `writer`, then renames it over `target`.
void writeFileAtomic(const std::filesystem::path& target,
                     const std::function<void(std::ostream&)>& writer);

// Reads a whole file; throws Error(FileNotFound / FileUnreadable).
std::string readFileBytes(const std::filesystem::path& path);

}  // namespace zsi
