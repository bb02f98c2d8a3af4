#include "data/coco.h"

namespace zsi::coco {

const Image* Dataset::findImage(int64_t id) const {
    for (const auto& im : images)
        if (im.id == id) return &im;
    return nullptr;
}

const Category* Dataset::findCategory(int64_t id) const {
    for (const auto& c : categories)
        if (c.id == id) return &c;
    return nullptr;
}

const Category* Dataset::findCategory(const std::string& name) const {
    for (const auto& c : categories)
        if (c.name == name) return &c;
    return nullptr;
}

Rle toRle(const Segmentation& s, int imageHeight, int imageWidth) {
    if (const auto* p = std::get_if<Polygons>(&s))
        return rle::fromPolygons(p->rings, imageHeight, imageWidth);
    if (const auto* u = std::get_if<UncompressedRle>(&s)) return u->rle;
    if (const auto* c = std::get_if<CompressedRle>(&s))
        return rle::fromString(c->counts, c->height, c->width);
    return rle::fromPolygons({}, imageHeight, imageWidth);
}

Segmentation toCompressed(const Rle& r) {
    return CompressedRle{r.height, r.width, rle::toString(r)};
}

std::string extraString(const nlohmann::json& extra, const char* key, const std::string& fallback) {
    if (!extra.is_object()) return fallback;
    auto it = extra.find(key);
    if (it == extra.end() || !it->is_string()) return fallback;
    return it->get<std::string>();
}

}  // namespace zsi::coco
