# Third-party packages. All come from Debian 12's archive (see docs/toolchain notes in README).
find_package(Threads REQUIRED)
find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
# fastText: Debian ships a pkg-config file; elsewhere scripts/ci/build_fasttext.sh installs a
# CMake package (vcpkg has no port and Homebrew disabled its formula).
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(FASTTEXT QUIET IMPORTED_TARGET fasttext)
endif()
if(NOT TARGET zsi::fasttext)
  add_library(zsi_fasttext INTERFACE)
  if(TARGET PkgConfig::FASTTEXT)
    target_link_libraries(zsi_fasttext INTERFACE PkgConfig::FASTTEXT)
  else()
    find_package(fasttext CONFIG REQUIRED)
    if(TARGET fasttext::fasttext-shared)
      target_link_libraries(zsi_fasttext INTERFACE fasttext::fasttext-shared)
    else()
      target_link_libraries(zsi_fasttext INTERFACE fasttext::fasttext-static)
    endif()
  endif()
  add_library(zsi::fasttext ALIAS zsi_fasttext)
endif()

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
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets Test PrintSupport LinguistTools)
endif()
if(ZSI_BUILD_GUI)
  # Debian ships a CMake package; elsewhere (vcpkg, a hand build) the header and library.
  find_package(QCustomPlotQt6 QUIET)
  if(NOT TARGET QCustomPlotQt6::QCustomPlotQt6)
    find_path(ZSI_QCUSTOMPLOT_INCLUDE qcustomplot.h PATH_SUFFIXES qcustomplot REQUIRED)
    find_library(ZSI_QCUSTOMPLOT_LIBRARY NAMES qcustomplot QCustomPlotQt6 qcustomplot2 REQUIRED)
    add_library(QCustomPlotQt6::QCustomPlotQt6 UNKNOWN IMPORTED)
    set_target_properties(QCustomPlotQt6::QCustomPlotQt6 PROPERTIES
      IMPORTED_LOCATION ${ZSI_QCUSTOMPLOT_LIBRARY}
      INTERFACE_INCLUDE_DIRECTORIES ${ZSI_QCUSTOMPLOT_INCLUDE}
      INTERFACE_COMPILE_DEFINITIONS QCUSTOMPLOT_USE_LIBRARY
      INTERFACE_LINK_LIBRARIES "Qt6::Widgets;Qt6::PrintSupport")
  endif()
endif()
