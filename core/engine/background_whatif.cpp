#include "engine/background_whatif.h"

#include "util/error.h"

namespace zsi {

const std::vector<BackgroundChoice>& whatIfSettings() {
    static const std::vector<BackgroundChoice> s = {
        BackgroundChoice::Learned, BackgroundChoice::Initial, BackgroundChoice::Zero,
        BackgroundChoice::MeanOfUnseen};
    return s;
}

const char* whatIfKey(BackgroundChoice setting) {
    switch (setting) {
        case BackgroundChoice::Model:
            return "model";
        case BackgroundChoice::Learned:
            return "learned";
        case BackgroundChoice::Initial:
            return "initial";
        case BackgroundChoice::Zero:
            return "zero";
        case BackgroundChoice::MeanOfUnseen:
            return "mean-unseen";
        case BackgroundChoice::Custom:
            return "custom";
    }
    return "model";
}

std::vector<WhatIfOutcome> scoreBackgroundWhatIf(Engine& engine, PreparedImage& prepared,
                                                 const ScoringRequest& base) {
    std::vector<WhatIfOutcome> out;
    for (BackgroundChoice setting : whatIfSettings()) {
        WhatIfOutcome o;
        o.setting = setting;
        o.key = whatIfKey(setting);
        ScoringRequest r = base;
        r.background = setting;
        try {
            o.result = engine.score(prepared, r);
            o.instances = static_cast<int>(o.result.instances.size());
            double sum = 0;
            for (const Instance& i : o.result.instances) sum += i.score;
            o.meanScore = o.instances > 0 ? sum / o.instances : 0.0;
        } catch (const Error& e) {
            if (e.code() != ErrorCode::EmptyVocabulary)
                throw;  // only "nothing to score" is a table entry
            o.available = false;
            o.error = e.what();
        }
        out.push_back(std::move(o));
    }
    return out;
}

}  // namespace zsi
