# settings: the inference settings every layer shares (torch-free; see inference_settings.h).
zsi_core_module(settings
  SOURCES inference_settings.cpp
  DEPS zsi::util nlohmann_json::nlohmann_json)
