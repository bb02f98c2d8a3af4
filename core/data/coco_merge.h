#pragma once
// Joining the parts of a sharded export (`zsi export --shard K/N`, `zsi merge`) or any COCO
// instances files of one image collection into one file with consistent ids.
#include "data/coco.h"

#include <string>
#include <vector>

namespace zsi::coco {

struct MergeReport {
    bool imageIdsRenumbered = false;     // parts disagreed, images got new ids 1..N
    bool categoryIdsRenumbered = false;  // parts disagreed on name -> id
    size_t images = 0, categories = 0, annotations = 0;
};

// Categories are matched by name (first part's order, new names appended); images by file
// name (the same file in two parts is an error: shards never overlap). Image ids are kept
// when they are unique across the parts (shards of one export use global ids), otherwise
// renumbered in file-name order. Annotations get ids 1.. in image order, keeping each
// image's own order. `info` is the first part's, with "zsi_merged_from" listing `partNames`.
// When two parts carry ZSI provenance (info "zsi") that differs in model, embeddings, mode,
// scoring or classes, the merge is refused (Error(InvalidArgument) naming the field).
Dataset mergeInstances(std::vector<Dataset> parts, const std::vector<std::string>& partNames,
                       MergeReport* report = nullptr);

}  // namespace zsi::coco
