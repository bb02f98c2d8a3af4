zsi_core_module(engine
  SOURCES
    engine.cpp
  DEPS zsi::data zsi::model zsi::ops zsi::torch)
