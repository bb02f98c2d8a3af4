#!/usr/bin/env bash
# Builds fastText 0.9.2 (MIT) as a static library with a CMake package "fasttext" (target
# fasttext::fasttext-static, headers in include/fasttext/), for platforms whose package
# managers no longer carry it: vcpkg has no fasttext port and Homebrew disabled its formula
# (2025). Upstream's own CMakeLists hard-codes GCC flags and links pthread, so MSVC cannot use
# it; this compiles the library sources (everything in src/ but main.cc) with our own.
#   scripts/ci/build_fasttext.sh PREFIX        (bash: Git Bash on Windows, inside the MSVC environment)
set -euo pipefail
prefix="${1:?usage: build_fasttext.sh PREFIX}"
work="$(mktemp -d)"
if [[ -n "${FASTTEXT_SOURCE:-}" ]]; then  # an unpacked fastText 0.9.2 tree (offline builds)
  src="$FASTTEXT_SOURCE"
else
  curl -sSL https://github.com/facebookresearch/fastText/archive/refs/tags/v0.9.2.tar.gz -o "$work/fasttext.tar.gz"
  tar -xzf "$work/fasttext.tar.gz" -C "$work"
  src="$work/fastText-0.9.2"
fi
mkdir -p "$work/pkg"
cat > "$work/pkg/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.24)
project(fasttext VERSION 0.9.2 LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
file(GLOB sources ${FASTTEXT_SRC}/src/*.cc)
list(FILTER sources EXCLUDE REGEX "/main\\.cc$")
file(GLOB headers ${FASTTEXT_SRC}/src/*.h)
add_library(fasttext-static STATIC ${sources})
find_package(Threads REQUIRED)
target_link_libraries(fasttext-static PUBLIC Threads::Threads)
if(MSVC)
  target_compile_definitions(fasttext-static PRIVATE NOMINMAX _CRT_SECURE_NO_WARNINGS)
  target_compile_options(fasttext-static PRIVATE /EHsc /bigobj)
endif()
target_include_directories(fasttext-static INTERFACE $<INSTALL_INTERFACE:include>)
install(TARGETS fasttext-static EXPORT fasttextTargets ARCHIVE DESTINATION lib)
install(FILES ${headers} DESTINATION include/fasttext)
install(EXPORT fasttextTargets NAMESPACE fasttext:: DESTINATION lib/cmake/fasttext)
file(WRITE ${CMAKE_BINARY_DIR}/fasttextConfig.cmake
     "include(CMakeFindDependencyMacro)\nfind_dependency(Threads)\ninclude(\${CMAKE_CURRENT_LIST_DIR}/fasttextTargets.cmake)\n")
install(FILES ${CMAKE_BINARY_DIR}/fasttextConfig.cmake DESTINATION lib/cmake/fasttext)
CMAKE
cmake -S "$work/pkg" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFASTTEXT_SRC="$src"
cmake --build "$work/build" ${CMAKE_BUILD_PARALLEL_LEVEL:+--parallel "$CMAKE_BUILD_PARALLEL_LEVEL"}
cmake --install "$work/build" --prefix "$prefix"
