#include "data/coco_merge.h"

#include "data/provenance.h"
#include "util/error.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace zsi::coco {
namespace {

// Provenance fields that must agree for parts to belong to one export.
void checkProvenance(const std::vector<Dataset>& parts, const std::vector<std::string>& names) {
    const nlohmann::json* first = nullptr;
    size_t firstIndex = 0;
    for (size_t p = 0; p < parts.size(); ++p) {
        const auto& info = parts[p].info;
        if (!info.is_object() || !info.contains("zsi")) continue;
        const nlohmann::json& z = info["zsi"];
        if (!first) {
            first = &z;
            firstIndex = p;
            continue;
        }
        for (const std::string& key : provenanceIdentityKeys()) {
            const auto a = first->value(key, nlohmann::json()), b = z.value(key, nlohmann::json());
            if (a != b) {
                const std::string n1 = firstIndex < names.size() ? names[firstIndex] : "part 1";
                const std::string n2 =
                    p < names.size() ? names[p] : "part " + std::to_string(p + 1);
                throw Error(ErrorCode::InvalidArgument,
                            "cannot merge: " + n1 + " and " + n2 + " differ in " + key + " (" +
                                a.dump() + " vs " + b.dump() +
                                "); they are not parts of one export",
                            {{"name", key}, {"reason", a.dump() + " vs " + b.dump()}});
            }
        }
    }
}

}  // namespace

Dataset mergeInstances(std::vector<Dataset> parts, const std::vector<std::string>& partNames,
                       MergeReport* report) {
    checkProvenance(parts, partNames);
    Dataset out;
    MergeReport rep;
    if (parts.empty()) return out;
    out.info = parts.front().info;
    out.licenses = parts.front().licenses;
    out.extra = parts.front().extra;
    if (out.info.is_null()) out.info = nlohmann::json::object();
    if (out.info.is_object()) out.info["zsi_merged_from"] = partNames;

    // Categories by name.
    std::map<std::string, int64_t> nameToId;
    bool consistent = true;
    std::vector<Category> cats;
    for (const auto& part : parts)
        for (const auto& c : part.categories) {
            auto it = nameToId.find(c.name);
            if (it == nameToId.end()) {
                nameToId.emplace(c.name, c.id);
                cats.push_back(c);
            } else if (it->second != c.id) {
                consistent = false;
            }
        }
    {
        std::unordered_set<int64_t> ids;
        for (const auto& c : cats) consistent = consistent && ids.insert(c.id).second;
    }
    if (!consistent) {
        rep.categoryIdsRenumbered = true;
        for (size_t i = 0; i < cats.size(); ++i)
            nameToId[cats[i].name] = cats[i].id = static_cast<int64_t>(i + 1);
    }
    out.categories = std::move(cats);

    // Images by file name; ids kept when unique.
    struct Ref {
        size_t part;
        int64_t oldId;
    };
    std::unordered_map<std::string, size_t> fileToPart;
    std::vector<std::pair<Image, Ref>> images;
    std::unordered_set<int64_t> imageIds;
    bool idsUnique = true;
    for (size_t p = 0; p < parts.size(); ++p)
        for (auto& im : parts[p].images) {
            auto [it, fresh] = fileToPart.emplace(im.fileName, p);
            if (!fresh) {
                const std::string a =
                    it->second < partNames.size() ? partNames[it->second] : "a part";
                const std::string b = p < partNames.size() ? partNames[p] : "another part";
                throw Error(
                    ErrorCode::InvalidArgument,
                    "cannot merge: image '" + im.fileName + "' is in both " + a + " and " + b,
                    {{"name", im.fileName}, {"reason", "duplicate image"}});
            }
            const int64_t id = im.id;
            idsUnique = idsUnique && imageIds.insert(id).second;
            images.push_back({std::move(im), Ref{p, id}});
        }
    if (idsUnique) {
        std::sort(images.begin(), images.end(),
                  [](const auto& a, const auto& b) { return a.first.id < b.first.id; });
    } else {
        rep.imageIdsRenumbered = true;
        std::sort(images.begin(), images.end(),
                  [](const auto& a, const auto& b) { return a.first.fileName < b.first.fileName; });
        for (size_t i = 0; i < images.size(); ++i) images[i].first.id = static_cast<int64_t>(i + 1);
    }

    // Annotations grouped per (part, old image id), emitted in the merged image order.
    std::vector<std::unordered_map<int64_t, std::vector<size_t>>> byImage(parts.size());
    std::vector<std::unordered_map<int64_t, int64_t>> catMap(parts.size());
    for (size_t p = 0; p < parts.size(); ++p) {
        for (size_t i = 0; i < parts[p].annotations.size(); ++i)
            byImage[p][parts[p].annotations[i].imageId].push_back(i);
        for (const auto& c : parts[p].categories) catMap[p][c.id] = nameToId.at(c.name);
    }
    int64_t nextId = 1;
    for (auto& [im, ref] : images) {
        auto it = byImage[ref.part].find(ref.oldId);
        if (it != byImage[ref.part].end()) {
            for (size_t idx : it->second) {
                Annotation a = std::move(parts[ref.part].annotations[idx]);
                auto c = catMap[ref.part].find(a.categoryId);
                if (c == catMap[ref.part].end())
                    throw Error(ErrorCode::JsonSchema,
                                "annotation " + std::to_string(a.id) + " names category " +
                                    std::to_string(a.categoryId) +
                                    ", which its file does not define",
                                {{"path", ref.part < partNames.size() ? partNames[ref.part] : ""},
                                 {"field", "category_id"},
                                 {"reason", "unknown category"}});
                a.categoryId = c->second;
                a.imageId = im.id;
                a.id = nextId++;
                out.annotations.push_back(std::move(a));
            }
        }
        out.images.push_back(std::move(im));
    }
    rep.images = out.images.size();
    rep.categories = out.categories.size();
    rep.annotations = out.annotations.size();
    if (report) *report = rep;
    return out;
}

}  // namespace zsi::coco
