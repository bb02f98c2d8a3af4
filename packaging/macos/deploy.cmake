# macOS install tree (never built here: written for the macos CI workflow, see
# .github/workflows/macos.yml). Included from packaging/CMakeLists.txt.
#   ZSI Studio.app/Contents/MacOS/{ZSI Studio, zsi}, Contents/Frameworks (Qt, the Homebrew
#   dylibs and LibTorch's, all copied and re-pointed by macdeployqt), Resources/zsi-studio.

install(FILES ${CMAKE_CURRENT_LIST_DIR}/zsi-studio.icns
        DESTINATION "ZSI Studio.app/Contents/Resources" COMPONENT programs)

# The executables look for their dylibs in the bundle's Frameworks folder.
set_property(TARGET zsi APPEND PROPERTY INSTALL_RPATH "@executable_path/../Frameworks")
if(TARGET zsi-studio)
  set_property(TARGET zsi-studio APPEND PROPERTY INSTALL_RPATH "@executable_path/../Frameworks")
  # macdeployqt on both executables (the CLI is an "additional executable" of the bundle): it
  # copies Qt, the cocoa platform plugin, image formats and every non-system dylib (Homebrew's
  # OpenCV, QCustomPlot, LibTorch's via -libpath) into Frameworks and rewrites the install
  # names, which a plain runtime dependency set would not do. The bundle name has a space, so
  # the script is written out with quotes rather than by qt_generate_deploy_app_script.
  set(_libpath "")
  if(TORCH_INSTALL_PREFIX)
    set(_libpath "DEPLOY_TOOL_OPTIONS \"-libpath=${TORCH_INSTALL_PREFIX}/lib\"")
  endif()
  qt_generate_deploy_script(TARGET zsi-studio OUTPUT_SCRIPT _qt_deploy CONTENT "
qt_deploy_runtime_dependencies(
    EXECUTABLE \"ZSI Studio.app\"
    ADDITIONAL_EXECUTABLES \"ZSI Studio.app/Contents/MacOS/zsi\"
    ${_libpath}
    NO_TRANSLATIONS)
")
  install(SCRIPT ${_qt_deploy} COMPONENT programs)
endif()
