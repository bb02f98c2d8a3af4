#pragma once
// The directory of a ZIP archive as torch.save (>= 1.6) writes it: stored (uncompressed)
// entries, ZIP64 records when the archive is large. Only the directory is read; entry data
// stays in the file until asked for. Every offset and size is checked against the file.
// Torch-free, Qt-free.
#include "checkpoint/input_file.h"

#include <cstdint>
#include <string>
#include <vector>

namespace zsi::checkpoint {

struct ZipEntry {
    std::string name;
    std::uint64_t dataOffset = 0;  // first byte of the (stored) data in the file
    std::uint64_t size = 0;
};

class ZipArchive {
public:
    // Throws Error(CheckpointInvalid) naming what is wrong (no end record, entry outside the
    // file, compressed entry...).
    explicit ZipArchive(InputFile& file);

    const std::vector<ZipEntry>& entries() const { return entries_; }
    // The entry with this exact name, or nullptr.
    const ZipEntry* find(const std::string& name) const;

    // True when the file starts with a local file header ("PK\3\4").
    static bool looksLikeZip(InputFile& file);

private:
    std::vector<ZipEntry> entries_;
};

}  // namespace zsi::checkpoint
