#pragma once
// The detector's building blocks in one include (model-internal, torch).
#include "model/box_head.h"
#include "model/fpn.h"
#include "model/mask_head.h"
#include "model/resnet.h"
#include "model/rpn.h"
