zsi_core_module(util
  SOURCES error.cpp data_paths.cpp random.cpp hash.cpp atomic_file.cpp vector_math.cpp
          ${CMAKE_CURRENT_BINARY_DIR}/version.cpp
  DEPS Threads::Threads
  PRIVATE_DEPS OpenSSL::Crypto)
