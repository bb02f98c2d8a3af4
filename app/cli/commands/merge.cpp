// zsi merge OUT.json PART...: joins the parts of a sharded export (or any COCO instances
// files of one image collection) with consistent ids; results lists are concatenated.
#include "command_registry.h"
#include "common_options.h"

#include "data/coco_io.h"
#include "data/coco_merge.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <cctype>
#include <cstdio>
#include <fstream>

namespace fs = std::filesystem;

namespace zsi::cli {
namespace {

// A results file is a JSON array, an instances file an object.
bool isResultsFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::FileNotFound, "file not found: " + p.string(),
                    {{"path", p.string()}});
    char c = 0;
    while (in.get(c))
        if (!std::isspace(static_cast<unsigned char>(c))) return c == '[';
    return false;
}

int runMerge(const std::string& out, const std::vector<std::string>& parts) {
    const bool results = isResultsFile(parts.front());
    for (const auto& p : parts)
        if (isResultsFile(p) != results)
            throw Error(ErrorCode::InvalidArgument,
                        "cannot merge a results list with an instances file (" + p + ")",
                        {{"name", p}, {"reason", "mixed formats"}});
    if (results) {
        std::vector<coco::Detection> all;
        for (const auto& p : parts) {
            auto d = coco::readResults(p);
            all.insert(all.end(), d.begin(), d.end());
        }
        coco::writeResults(out, all);
        std::printf("merged %zu results files: %zu detections -> %s\n", parts.size(), all.size(),
                    out.c_str());
        return 0;
    }
    std::vector<coco::Dataset> data;
    std::vector<std::string> names;
    for (const auto& p : parts) {
        data.push_back(coco::readInstances(p));
        names.push_back(fs::path(p).filename().string());
    }
    coco::MergeReport rep;
    const coco::Dataset merged = coco::mergeInstances(std::move(data), names, &rep);
    coco::writeInstances(out, merged);
    std::printf("merged %zu files: %zu images, %zu categories, %zu annotations -> %s\n",
                parts.size(), rep.images, rep.categories, rep.annotations, out.c_str());
    if (rep.imageIdsRenumbered)
        std::printf("note: image ids clashed between parts; renumbered by file name\n");
    if (rep.categoryIdsRenumbered)
        std::printf("note: parts disagreed on category ids; renumbered by name\n");
    return 0;
}

RegisterCommand reg("merge",
                    "Join the parts of a sharded export into one COCO file\n"
                    "  zsi merge all.json part-1.json part-2.json",
                    [](CLI::App& sub, GlobalOptions&) {
                        auto out = std::make_shared<std::string>();
                        auto parts = std::make_shared<std::vector<std::string>>();
                        sub.add_option("out", *out, "Merged output file")->required();
                        sub.add_option("parts", *parts,
                                       "Part files (instances JSON, or results lists)")
                            ->required();
                        return [out, parts]() { return runMerge(*out, *parts); };
                    });

}  // namespace
}  // namespace zsi::cli
