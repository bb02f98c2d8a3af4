#!/usr/bin/env bash
# Builds QCustomPlot 2.1.1 (GPL-3.0; two source files) as a shared library with a CMake
# package QCustomPlotQt6, for platforms without a QCustomPlot package (macOS Homebrew).
#   scripts/ci/build_qcustomplot.sh PREFIX
set -euo pipefail
prefix="${1:?usage: build_qcustomplot.sh PREFIX}"
work="$(mktemp -d)"
curl -sSL https://www.qcustomplot.com/release/2.1.1/QCustomPlot-source.tar.gz -o "$work/qcp.tar.gz"
tar -xzf "$work/qcp.tar.gz" -C "$work"
src="$(dirname "$(find "$work" -name qcustomplot.cpp | head -1)")"
cat > "$src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.24)
project(QCustomPlotQt6 VERSION 2.1.1 LANGUAGES CXX)
set(CMAKE_AUTOMOC ON)
find_package(Qt6 REQUIRED COMPONENTS Widgets PrintSupport)
add_library(QCustomPlotQt6 SHARED qcustomplot.cpp qcustomplot.h)
target_compile_definitions(QCustomPlotQt6 PRIVATE QCUSTOMPLOT_COMPILE_LIBRARY INTERFACE QCUSTOMPLOT_USE_LIBRARY)
target_link_libraries(QCustomPlotQt6 PUBLIC Qt6::Widgets Qt6::PrintSupport)
target_include_directories(QCustomPlotQt6 INTERFACE $<INSTALL_INTERFACE:include>)
install(TARGETS QCustomPlotQt6 EXPORT QCustomPlotQt6Targets)
install(FILES qcustomplot.h DESTINATION include)
install(EXPORT QCustomPlotQt6Targets NAMESPACE QCustomPlotQt6:: DESTINATION lib/cmake/QCustomPlotQt6
        FILE QCustomPlotQt6Config.cmake)
CMAKE
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$(brew --prefix qt 2>/dev/null || true)"
cmake --build "$work/build"
cmake --install "$work/build" --prefix "$prefix"
