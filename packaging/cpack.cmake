# CPack: one description, three native formats.
#   Linux   DEB  zsi-studio_<version>_amd64.deb, dependencies computed by dpkg-shlibdeps
#   Windows NSIS installer (windeployqt'd Qt, LibTorch DLLs; see windows/deploy.cmake)
#   macOS   DragNDrop DMG of "ZSI Studio.app" (macdeployqt; see macos/deploy.cmake)
# The portable Linux bundle is not a CPack generator: packaging/linux/make_portable.cmake.
set(CPACK_PACKAGE_NAME "zsi-studio")
set(CPACK_PACKAGE_VENDOR "ZSI Studio developers")
set(CPACK_PACKAGE_CONTACT "ZSI Studio developers <zsi-studio@users.noreply.github.com>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "zero-shot instance segmentation desktop tool")
# Lines under 80 columns: the Debian control file shows them as they are (lintian checks it).
set(CPACK_PACKAGE_DESCRIPTION
    "ZSI Studio finds instance masks for classes a detector was never trained\n"
    "on: type the names of new classes, their word vectors become the\n"
    "classifier, and the masks come back with per-class similarity scores to\n"
    "review, correct and export as COCO JSON. It implements Zero-Shot Instance\n"
    "Segmentation (Zheng et al., CVPR 2021) in LibTorch, opens the published\n"
    "checkpoints, and ships a small demo model, word vectors and demo images.\n"
    "This package holds the desktop app (zsi-studio) and the command line\n"
    "tool (zsi).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "ZSI Studio")
set(CPACK_PACKAGE_EXECUTABLES "zsi-studio;ZSI Studio")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build.*/;/\\\\.git/;/out/")
# Group-writable directories from a lax umask would end up in the package otherwise.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

if(WIN32)
  set(CPACK_GENERATOR "NSIS;ZIP")
  set(CPACK_NSIS_PACKAGE_NAME "ZSI Studio ${PROJECT_VERSION}")
  set(CPACK_NSIS_DISPLAY_NAME "ZSI Studio")
  set(CPACK_NSIS_MUI_ICON "${CMAKE_CURRENT_LIST_DIR}/windows/zsi-studio.ico")
  set(CPACK_NSIS_MUI_UNIICON "${CMAKE_CURRENT_LIST_DIR}/windows/zsi-studio.ico")
  set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\zsi-studio.exe")
  set(CPACK_NSIS_MODIFY_PATH ON)  # offers to put bin\ (zsi.exe) on PATH
  set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
  # The Start menu shortcut comes from CPACK_PACKAGE_EXECUTABLES.
elseif(APPLE)
  set(CPACK_GENERATOR "DragNDrop")
  set(CPACK_DMG_VOLUME_NAME "ZSI Studio ${PROJECT_VERSION}")
  set(CPACK_DMG_FORMAT "UDZO")
  set(CPACK_PACKAGE_ICON "${CMAKE_CURRENT_LIST_DIR}/macos/zsi-studio.icns")
else()
  set(CPACK_GENERATOR "DEB")
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # zsi-studio_<version>_<arch>.deb
  set(CPACK_DEBIAN_PACKAGE_SECTION "science")
  set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # The desktop integration is welcome but not needed for the CLI on a server.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-dejavu-core, hicolor-icon-theme")
  # CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY on the Description line itself.
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
  set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
endif()

include(CPack)
