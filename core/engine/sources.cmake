zsi_core_module(engine
  SOURCES
    engine.cpp
    engine_open.cpp
    suggest_names.cpp
    class_setup.cpp
    batch_export.cpp
    background_whatif.cpp
  DEPS zsi::data zsi::semantics zsi::model zsi::io zsi::ops zsi::runtime zsi::torch
  PRIVATE_DEPS nlohmann_json::nlohmann_json)
