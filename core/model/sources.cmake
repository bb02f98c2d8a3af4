# zsi_model: the ZSI network (config, ResNet, FPN, BA-RPN, semantic box and mask heads,
# scoring rules, staged inference). Torch only in this module's .cpp files and internal headers,
# except model_config.h which is torch-free.
zsi_core_module(model
  SOURCES model_config.cpp nn_util.cpp resnet.cpp fpn.cpp rpn.cpp box_head.cpp mask_head.cpp
          box_coder.cpp scoring.cpp postprocess.cpp preprocess.cpp detector.cpp
  DEPS zsi::util zsi::settings zsi::ops zsi::torch nlohmann_json::nlohmann_json ${OpenCV_LIBS})
