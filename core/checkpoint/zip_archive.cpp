#include "checkpoint/zip_archive.h"

#include "util/error.h"

#include <algorithm>
#include <cstring>

namespace zsi::checkpoint {
namespace {

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::uint32_t kEnd64LocatorSig = 0x07064b50;
constexpr std::uint32_t kEnd64Sig = 0x06064b50;
constexpr std::size_t kMaxEntries = 1'000'000;

std::uint64_t le(const std::string& b, std::size_t at, int n) {
    std::uint64_t v = 0;
    for (int k = 0; k < n; ++k)
        v |= static_cast<std::uint64_t>(
                 static_cast<unsigned char>(b[at + static_cast<std::size_t>(k)]))
             << (8 * k);
    return v;
}

[[noreturn]] void bad(const InputFile& file, const std::string& reason) {
    throw Error(ErrorCode::CheckpointInvalid, file.path().string() + ": " + reason,
                {{"path", file.path().string()}, {"reason", reason}});
}

}  // namespace

bool ZipArchive::looksLikeZip(InputFile& file) {
    if (file.size() < 4) return false;
    const std::string head = file.readString(0, 4);
    return le(head, 0, 4) == kLocalSig;
}

ZipArchive::ZipArchive(InputFile& file) {
    const std::uint64_t size = file.size();
    if (size < 22) bad(file, "not a zip archive (too short for an end record)");
    // The end record sits in the last 22 + 65535 bytes (its comment is at most 65535).
    const std::uint64_t tailLen = std::min<std::uint64_t>(size, 22 + 65535);
    const std::string tail = file.readString(size - tailLen, tailLen);
    std::size_t eocd = std::string::npos;
    for (std::size_t i = tail.size() - 22 + 1; i-- > 0;)
        if (le(tail, i, 4) == kEndSig) {
            eocd = i;
            break;
        }
    if (eocd == std::string::npos)
        bad(file, "truncated at byte " + std::to_string(size) +
                      " (a zip archive without its end-of-directory record)");
    std::uint64_t count = le(tail, eocd + 10, 2);
    std::uint64_t cdSize = le(tail, eocd + 12, 4);
    std::uint64_t cdOffset = le(tail, eocd + 16, 4);
    const std::uint64_t eocdPos = size - tailLen + eocd;
    if (count == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff) {
        if (eocdPos < 20) bad(file, "ZIP64 locator missing");
        const std::string loc = file.readString(eocdPos - 20, 20);
        if (le(loc, 0, 4) != kEnd64LocatorSig) bad(file, "ZIP64 locator missing");
        const std::uint64_t rec = le(loc, 8, 8);
        const std::string r = file.readString(rec, 56);
        if (le(r, 0, 4) != kEnd64Sig) bad(file, "ZIP64 end record missing");
        count = le(r, 32, 8);
        cdSize = le(r, 40, 8);
        cdOffset = le(r, 48, 8);
    }
    if (count > kMaxEntries) bad(file, "too many zip entries (" + std::to_string(count) + ")");
    if (cdOffset > size || cdSize > size - cdOffset)
        bad(file,
            "zip directory outside the file (truncated at byte " + std::to_string(size) + ")");
    const std::string cd = file.readString(cdOffset, cdSize);
    std::size_t p = 0;
    entries_.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t e = 0; e < count; ++e) {
        if (p + 46 > cd.size() || le(cd, p, 4) != kCentralSig) bad(file, "damaged zip directory");
        const std::uint64_t method = le(cd, p + 10, 2);
        std::uint64_t comp = le(cd, p + 20, 4);
        std::uint64_t uncomp = le(cd, p + 24, 4);
        const std::size_t nameLen = le(cd, p + 28, 2);
        const std::size_t extraLen = le(cd, p + 30, 2);
        const std::size_t commentLen = le(cd, p + 32, 2);
        std::uint64_t local = le(cd, p + 42, 4);
        if (p + 46 + nameLen + extraLen + commentLen > cd.size())
            bad(file, "damaged zip directory");
        ZipEntry entry;
        entry.name = cd.substr(p + 46, nameLen);
        // ZIP64 extra field: the 64-bit values of whichever fields are saturated, in order.
        for (std::size_t x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
            const std::uint64_t id = le(cd, x, 2);
            const std::size_t len = le(cd, x + 2, 2);
            if (x + 4 + len > p + 46 + nameLen + extraLen) bad(file, "damaged zip extra field");
            if (id == 0x0001) {
                std::size_t q = x + 4;
                auto take = [&](std::uint64_t& field) {
                    if (field != 0xffffffff) return;
                    if (q + 8 > x + 4 + len) bad(file, "damaged ZIP64 extra field");
                    field = le(cd, q, 8);
                    q += 8;
                };
                take(uncomp);
                take(comp);
                take(local);
            }
            x += 4 + len;
        }
        if (method != 0)
            bad(file, "zip entry '" + entry.name + "' is compressed (method " +
                          std::to_string(method) + "); torch.save writes stored entries only");
        if (comp != uncomp) bad(file, "zip entry '" + entry.name + "' has inconsistent sizes");
        if (local > size || size - local < 30)
            bad(file, "zip entry '" + entry.name + "' outside the file (truncated at byte " +
                          std::to_string(size) + ")");
        const std::string lh = file.readString(local, 30);
        if (le(lh, 0, 4) != kLocalSig)
            bad(file, "zip entry '" + entry.name + "' has no local header");
        entry.dataOffset = local + 30 + le(lh, 26, 2) + le(lh, 28, 2);
        entry.size = uncomp;
        if (entry.dataOffset > size || entry.size > size - entry.dataOffset)
            bad(file, "zip entry '" + entry.name + "' runs past the end (truncated at byte " +
                          std::to_string(size) + ")");
        entries_.push_back(std::move(entry));
        p += 46 + nameLen + extraLen + commentLen;
    }
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
    for (const auto& e : entries_)
        if (e.name == name) return &e;
    return nullptr;
}

}  // namespace zsi::checkpoint
