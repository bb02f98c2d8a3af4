# macOS install tree (never built here: written for the macos CI workflow, see
# .github/workflows/macos.yml). Included from packaging/CMakeLists.txt.
#   ZSI Studio.app/Contents/MacOS/{ZSI Studio, zsi}, Frameworks (Qt via macdeployqt, the
#   Homebrew dylibs and LibTorch's through the runtime dependency set), Resources/zsi-studio.

install(FILES ${CMAKE_CURRENT_LIST_DIR}/zsi-studio.icns
        DESTINATION "ZSI Studio.app/Contents/Resources" COMPONENT programs)

set(_dylib_dirs "")
if(TORCH_INSTALL_PREFIX)
  list(APPEND _dylib_dirs "${TORCH_INSTALL_PREFIX}/lib")
endif()
install(RUNTIME_DEPENDENCY_SET zsi_runtime
        DESTINATION "ZSI Studio.app/Contents/Frameworks"
        PRE_EXCLUDE_REGEXES "^/System/" "^/usr/lib/"
        POST_EXCLUDE_REGEXES "^/System/" "^/usr/lib/" ".*\\.framework/.*"
        DIRECTORIES ${_dylib_dirs}
        COMPONENT programs)
# The executables look for their dylibs in the bundle's Frameworks folder.
if(TARGET zsi-studio)
  set_property(TARGET zsi-studio zsi APPEND PROPERTY INSTALL_RPATH "@executable_path/../Frameworks")
  # macdeployqt: Qt frameworks, the cocoa platform plugin, image formats; also signs ad hoc.
  qt_generate_deploy_app_script(TARGET zsi-studio OUTPUT_SCRIPT _qt_deploy
                                NO_UNSUPPORTED_PLATFORM_ERROR NO_TRANSLATIONS)
  install(SCRIPT ${_qt_deploy} COMPONENT programs)
endif()
