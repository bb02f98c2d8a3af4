# runtime: LibTorch's process settings (threads, allocator) and the device a model runs on.
# runtime.h is torch-free (the app calls it at start-up); device.h is for core.
zsi_core_module(runtime
  SOURCES runtime.cpp device.cpp
  DEPS zsi::util zsi::torch)
