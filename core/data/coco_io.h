#pragma once
// Reading and writing COCO instances files and results files.
//
// Reading streams through RapidJSON's SAX reader: each image / annotation / category is
// built from a small per-element tree and converted at once, so memory is the data model
// plus one element, never a DOM of the whole file (COCO train2017 instances: 450 MB).
// Writing is atomic (zsi::writeFileAtomic): a crash never leaves half a file.
#include "data/coco.h"

#include <filesystem>
#include <memory>
#include <ostream>
#include <string_view>
#include <vector>

namespace zsi::coco {

// Throws Error(FileNotFound / FileUnreadable), Error(JsonMalformed) with "path" and
// "reason" (RapidJSON's message and byte offset), Error(JsonSchema) with "path", "field"
// (e.g. "annotations[12].bbox") and "reason".
Dataset readInstances(const std::filesystem::path& path);
Dataset parseInstances(std::string_view json, const std::string& sourceName = "<memory>");

void writeInstances(const std::filesystem::path& path, const Dataset& data);
std::string instancesToString(const Dataset& data);

// Results: a flat JSON array. Masks are read from compressed (or uncompressed) RLE;
// detections without "bbox" get hasBbox = false (pycocotools then derives the box from the
// mask). Polygon segmentations in results need the image size and are rejected.
std::vector<Detection> readResults(const std::filesystem::path& path);
std::vector<Detection> parseResults(std::string_view json,
                                    const std::string& sourceName = "<memory>");
void writeResults(const std::filesystem::path& path, const std::vector<Detection>& dets);
std::string resultsToString(const std::vector<Detection>& dets);

// Streams an instances file element by element, so an export of any size needs memory for
// one element only. Sections come in the order images, categories, annotations (an empty
// section may be skipped); finish() closes the document (the destructor does not).
class InstancesStreamWriter {
public:
    InstancesStreamWriter(std::ostream& os, const nlohmann::json& info,
                          const nlohmann::json& licenses,
                          const nlohmann::json& extra = nlohmann::json::object());
    ~InstancesStreamWriter();
    void image(const Image& im);
    void category(const Category& c);
    void annotation(const Annotation& a);
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The same for a results file (a flat array of detections).
class ResultsStreamWriter {
public:
    explicit ResultsStreamWriter(std::ostream& os);
    ~ResultsStreamWriter();
    void detection(const Detection& d);
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace zsi::coco
