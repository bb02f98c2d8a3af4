#pragma once
// What produced a COCO file: the info.zsi block of every file ZSI Studio writes (batch exports,
// review documents). One reader and one writer, used by the export, the document and the
// merge of export parts.
#include "settings/inference_settings.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace zsi {

struct Provenance {
    std::string app = "ZSI Studio";
    std::string appVersion;  // empty: not recorded
    std::string model;       // model name
    std::string modelSha256;
    std::string embeddings;  // word-vector file name
    std::string embeddingsSha256;
    InferenceSettings inference;
    std::vector<std::string> unseenClasses;  // as typed, synonyms with '|'
    std::string segmentation;                // exports: "rle" or "polygon"; empty elsewhere
};

// info.zsi: every field (inference as an object; empty appVersion / segmentation left out).
nlohmann::json provenanceToJson(const Provenance& p);
// Reads info.zsi. Strings and lists of other types are ignored (files edited by other tools);
// the inference object is read strictly (Error(JsonSchema) naming the field). Files of
// version 0.2 and older kept mode, scoring and the thresholds beside the other keys.
Provenance provenanceFromJson(const nlohmann::json& zsi, const std::string& source = "");

// The info.zsi keys that must agree for files to be parts of one export (including those of
// version 0.2 files).
const std::vector<std::string>& provenanceIdentityKeys();

}  // namespace zsi
