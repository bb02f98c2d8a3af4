# Windows install tree (never built here: written for the windows CI workflow, see
# .github/workflows/windows.yml). Included from packaging/CMakeLists.txt.
#   bin\zsi.exe, bin\zsi-studio.exe, the DLLs they need (LibTorch, OpenCV, fastText,
#   QCustomPlot from vcpkg), Qt's plugins via windeployqt, share\zsi-studio\ data.

# DLLs found through the runtime dependency set: vcpkg's bin folder and LibTorch's lib folder.
# The Windows system DLLs and the API sets stay out.
set(_dll_dirs "")
if(TORCH_INSTALL_PREFIX)
  list(APPEND _dll_dirs "${TORCH_INSTALL_PREFIX}/lib")
endif()
if(DEFINED VCPKG_INSTALLED_DIR AND DEFINED VCPKG_TARGET_TRIPLET)
  list(APPEND _dll_dirs "${VCPKG_INSTALLED_DIR}/${VCPKG_TARGET_TRIPLET}/bin")
endif()
install(RUNTIME_DEPENDENCY_SET zsi_runtime
        DESTINATION ${CMAKE_INSTALL_BINDIR}
        PRE_EXCLUDE_REGEXES "api-ms-.*" "ext-ms-.*"
        POST_EXCLUDE_REGEXES ".*[Ss]ystem32/.*\\.dll" ".*[Ww]in[Ss]x[Ss]/.*"
        DIRECTORIES ${_dll_dirs}
        COMPONENT programs)

# The MSVC runtime (vcruntime140, msvcp140, ...): the System32 exclusion above leaves it out
# and windeployqt only ships the redistributable's installer, so install the DLLs beside the
# programs.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION ${CMAKE_INSTALL_BINDIR})
set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT programs)
include(InstallRequiredSystemLibraries)

# LibTorch loads some DLLs at run time (not import-linked: the CPU kernels' back ends, the
# CUDA ones); ship the whole lib folder's DLLs as the LibTorch documentation advises.
if(TORCH_INSTALL_PREFIX)
  file(GLOB _torch_dlls "${TORCH_INSTALL_PREFIX}/lib/*.dll")
  install(FILES ${_torch_dlls} DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT programs)
endif()

# Qt's own deployment (platform plugin qwindows, styles, image formats, translations).
if(TARGET zsi-studio)
  qt_generate_deploy_app_script(TARGET zsi-studio OUTPUT_SCRIPT _qt_deploy
                                NO_UNSUPPORTED_PLATFORM_ERROR NO_TRANSLATIONS)
  install(SCRIPT ${_qt_deploy} COMPONENT programs)
endif()
