#pragma once
// The scoring request of a review session: its inference settings and its typed unseen
// classes, as the worker scores them.
#include "engine/engine.h"
#include "review_session.h"

namespace zsi {

ScoringRequest scoringRequest(const ReviewSession& session);

}  // namespace zsi
