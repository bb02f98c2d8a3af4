# Third-party packages. All come from Debian 12's archive (see docs/toolchain notes in README).
find_package(Threads REQUIRED)
find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(FASTTEXT REQUIRED IMPORTED_TARGET fasttext)

# TORCH_CXX_FLAGS carries -D_GLIBCXX_USE_CXX11_ABI; apply it everywhere so std::string
# crosses the core library boundary safely.
if(TORCH_CXX_FLAGS)
  separate_arguments(_zsi_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  add_compile_options(${_zsi_torch_flags})
endif()

# Torch as an imported target with SYSTEM includes, so -Wextra stays quiet about its headers.
if(NOT TARGET zsi::torch)
  add_library(zsi_torch INTERFACE)
  target_link_libraries(zsi_torch INTERFACE ${TORCH_LIBRARIES})
  target_include_directories(zsi_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
  add_library(zsi::torch ALIAS zsi_torch)
endif()

set(ZSI_HAS_CUDA OFF)
if(TORCH_CUDA_LIBRARIES OR CUDA_FOUND)
  set(ZSI_HAS_CUDA ON)
endif()

if(ZSI_BUILD_GUI OR ZSI_BUILD_TESTS)
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets Concurrent Test PrintSupport LinguistTools)
endif()
if(ZSI_BUILD_GUI)
  find_package(QCustomPlotQt6 REQUIRED)
endif()
