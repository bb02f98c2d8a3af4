#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace zsi {

// Lower-case hex SHA-256 of a file (streamed; works for multi-GB embedding models).
std::string sha256File(const std::filesystem::path& path);
std::string sha256Bytes(std::string_view bytes);

}  // namespace zsi
