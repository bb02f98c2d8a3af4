#include "engine/background_whatif.h"

#include "util/error.h"

namespace zsi {

const std::vector<BackgroundOverride>& whatIfSettings() {
    static const std::vector<BackgroundOverride> s = {
        BackgroundOverride::Learned, BackgroundOverride::Initial, BackgroundOverride::Zero,
        BackgroundOverride::MeanOfUnseen};
    return s;
}

const char* whatIfKey(BackgroundOverride setting) {
    switch (setting) {
        case BackgroundOverride::None:
            return "model";
        case BackgroundOverride::Learned:
            return "learned";
        case BackgroundOverride::Initial:
            return "initial";
        case BackgroundOverride::Zero:
            return "zero";
        case BackgroundOverride::MeanOfUnseen:
            return "mean-unseen";
        case BackgroundOverride::Custom:
            return "custom";
    }
    return "model";
}

std::vector<WhatIfOutcome> scoreBackgroundWhatIf(Engine& engine, PreparedImage& prepared,
                                                 const ScoringRequest& base) {
    std::vector<WhatIfOutcome> out;
    for (BackgroundOverride setting : whatIfSettings()) {
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
