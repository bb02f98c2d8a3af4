# zsi_io: model bundle read/write (later: import of the reference checkpoints).
zsi_core_module(io
  SOURCES model_bundle.cpp model_inspector.cpp
  DEPS zsi::model)
