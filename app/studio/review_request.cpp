#include "review_request.h"

namespace zsi {

ScoringRequest scoringRequest(const ReviewSession& session) {
    ScoringRequest r;
    static_cast<InferenceSettings&>(r) = session.settings();
    // The vocabulary-independent box rule lets the worker reuse mask maps across vocabularies.
    r.boxRule = BoxRegressionRule::PWeighted;
    for (const auto& c : session.vocabulary().unseen()) r.addUnseen(c.name, c.vector);
    return r;
}

}  // namespace zsi
