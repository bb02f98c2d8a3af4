zsi_core_module(util
  SOURCES error.cpp runtime.cpp data_paths.cpp random.cpp hash.cpp atomic_file.cpp
          ${CMAKE_CURRENT_BINARY_DIR}/version.cpp
  DEPS Threads::Threads
  PRIVATE_DEPS zsi::torch OpenSSL::Crypto)
