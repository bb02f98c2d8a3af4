#include "analysis/training_log.h"

#include "analysis/background_analysis.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace zsi::analysis {

TrainingLog parseTrainingLog(std::string_view text, const std::string& source) {
    TrainingLog log;
    std::map<int, BackgroundSample> samples;
    size_t pos = 0;
    int lineNo = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        const bool lastLine = end == std::string_view::npos || end + 1 >= text.size();
        const bool terminated = end != std::string_view::npos;
        if (!terminated) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded()) {
            // A line cut off by a writer (the trainer appends while we read; a crash before a
            // resume leaves a half line in the middle) is skipped. A file whose first line is
            // not JSON is not a training log at all.
            if (log.lines == 0 && !lastLine)
                throw Error(ErrorCode::JsonMalformed,
                            source + ": line " + std::to_string(lineNo) + " is not valid JSON",
                            {{"path", source},
                             {"reason", "line " + std::to_string(lineNo) + " is not valid JSON"}});
            if (lastLine) log.tornTail = true;
            ++log.skipped;
            continue;
        }
        if (!j.is_object() || !j.contains("iteration") || !j["iteration"].is_number_integer())
            throw Error(
                ErrorCode::JsonSchema,
                source + ": line " + std::to_string(lineNo) + " has no integer \"iteration\"",
                {{"path", source},
                 {"field", "iteration"},
                 {"reason", "line " + std::to_string(lineNo)}});
        ++log.lines;
        const int it = j["iteration"].get<int>();
        log.lastIteration = std::max(log.lastIteration, it);
        auto vb = j.find("vb");
        if (vb == j.end()) continue;
        if (!vb->is_array() || vb->empty() ||
            !std::all_of(vb->begin(), vb->end(),
                         [](const nlohmann::json& x) { return x.is_number(); }))
            throw Error(
                ErrorCode::JsonSchema,
                source + ": line " + std::to_string(lineNo) + ": \"vb\" is not a vector",
                {{"path", source}, {"field", "vb"}, {"reason", "line " + std::to_string(lineNo)}});
        BackgroundSample s;
        s.iteration = it;
        s.vb = vb->get<std::vector<float>>();
        if (auto c = j.find("vb_cos_initial"); c != j.end() && c->is_number()) {
            s.cosInitial = c->get<double>();
            s.hasCosInitial = true;
        }
        s.norm = l2Norm(s.vb.data(), int(s.vb.size()));
        samples[it] = std::move(s);
    }
    if (log.lines == 0 && log.skipped > (log.tornTail ? 1 : 0))
        throw Error(ErrorCode::JsonMalformed, source + ": no valid JSON line",
                    {{"path", source}, {"reason", "no valid JSON line"}});
    for (auto& [it, s] : samples) log.background.push_back(std::move(s));
    return log;
}

TrainingLog readTrainingLog(const std::filesystem::path& path) {
    return parseTrainingLog(readFileBytes(path), path.string());
}

std::optional<std::filesystem::path> findTrainingLog(const std::filesystem::path& bundleDir) {
    std::error_code ec;
    const auto inBundle = bundleDir / "train_log.jsonl";
    if (std::filesystem::is_regular_file(inBundle, ec)) return inBundle;
    auto dir = bundleDir;
    if (!dir.has_filename()) dir = dir.parent_path();  // "bundle/" -> "bundle"
    const auto live = std::filesystem::path(dir.string() + ".training") / "log.jsonl";
    if (std::filesystem::is_regular_file(live, ec)) return live;
    return std::nullopt;
}

std::vector<BackgroundSeriesPoint> backgroundSeries(const TrainingLog& log, int dim,
                                                    const std::vector<std::string>& classNames,
                                                    const std::vector<float>& classVectors,
                                                    const std::vector<float>& initial) {
    std::vector<BackgroundSeriesPoint> out;
    for (const auto& s : log.background) {
        if (int(s.vb.size()) != dim)
            throw Error(ErrorCode::DimensionMismatch,
                        "V_b at iteration " + std::to_string(s.iteration) + " has " +
                            std::to_string(s.vb.size()) +
                            " values, the model has D = " + std::to_string(dim),
                        {{"what", "logged V_b"},
                         {"expected", std::to_string(dim)},
                         {"found", std::to_string(s.vb.size())}});
        BackgroundSeriesPoint p;
        p.iteration = s.iteration;
        p.norm = s.norm;
        if (s.hasCosInitial)
            p.cosInitial = s.cosInitial;
        else if (int(initial.size()) == dim)
            p.cosInitial = cosine(s.vb.data(), initial.data(), dim);
        p.nearestClass = nearestRow(classVectors, dim, s.vb.data(), &p.nearestCos);
        if (p.nearestClass >= 0 && size_t(p.nearestClass) < classNames.size())
            p.nearestName = classNames[size_t(p.nearestClass)];
        out.push_back(std::move(p));
    }
    return out;
}

void to_json(nlohmann::json& j, const BackgroundSeriesPoint& p) {
    j = {{"iteration", p.iteration},
         {"cos_initial", p.cosInitial},
         {"norm", p.norm},
         {"nearest_class", p.nearestName},
         {"nearest_cos", p.nearestCos}};
}

}  // namespace zsi::analysis
