# zsi_io: model bundle read/write; import and export of the reference checkpoints.
zsi_core_module(io
  SOURCES model_bundle.cpp model_inspector.cpp reference_checkpoint.cpp
  DEPS zsi::model zsi::checkpoint zsi::semantics)
