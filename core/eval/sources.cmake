# zsi_eval: COCO evaluation (pycocotools-exact) and the ZSD/ZSI/GZSD/GZSI protocols.
zsi_core_module(eval
  SOURCES
    coco_eval.cpp
    zsi_protocol.cpp
  DEPS zsi::data)
