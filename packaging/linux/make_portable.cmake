# The portable Linux bundle: an installed tree that carries every shared library it needs
# except the C runtime (glibc, libstdc++, libgcc_s: present on every desktop distribution,
# and bundling them breaks the host's GL drivers), so it runs unpacked anywhere, with no
# install step and no root:
#   cmake -DBUILD=<build dir> -DOUT=<dir> -DVERSION=<x.y.z> -P packaging/linux/make_portable.cmake
# Writes OUT/zsi-studio-<version>-linux-x86_64.tar.gz holding zsi-studio-<version>-linux-x86_64/
#   bin/zsi, bin/zsi-studio      launchers (set LD_LIBRARY_PATH, exec the programs)
#   libexec/zsi, libexec/zsi-studio, libexec/qt.conf
#   lib/                         the shared libraries (runtime dependency closure)
#   plugins/                     Qt plugins: platforms (xcb, wayland, offscreen), image formats
#   share/zsi-studio/            the data, as in a normal install
cmake_policy(VERSION 3.25)
foreach(v BUILD OUT VERSION)
  if(NOT ${v})
    message(FATAL_ERROR "make_portable.cmake needs -D${v}=...")
  endif()
endforeach()
set(name zsi-studio-${VERSION}-linux-x86_64)
set(stage ${OUT}/portable-stage)
set(root ${stage}/${name})
file(REMOVE_RECURSE ${stage})
file(MAKE_DIRECTORY ${stage})

execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${root} --strip
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
# Desktop-integration files belong to system packages; the bundle keeps only docs and data.
file(REMOVE_RECURSE ${root}/share/applications ${root}/share/metainfo ${root}/share/icons)

# Programs move to libexec/ (so ../share/zsi-studio still resolves) behind launchers in bin/.
file(MAKE_DIRECTORY ${root}/libexec ${root}/lib ${root}/plugins)
set(programs "")
foreach(p zsi zsi-studio)
  if(EXISTS ${root}/bin/${p})
    file(RENAME ${root}/bin/${p} ${root}/libexec/${p})
    list(APPEND programs ${root}/libexec/${p})
    file(WRITE ${root}/bin/${p}
"#!/bin/sh
# ZSI Studio portable bundle: run ${p} with the bundled libraries and Qt plugins.
here=\$(dirname \"\$(readlink -f \"\$0\")\")/..
LD_LIBRARY_PATH=\"\$here/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\"
FONTCONFIG_FILE=\"\${FONTCONFIG_FILE:-\$here/share/fonts/fonts.conf}\"
export LD_LIBRARY_PATH FONTCONFIG_FILE
exec \"\$here/libexec/${p}\" \"\$@\"
")
    file(CHMOD ${root}/bin/${p} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
         GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endif()
endforeach()

# Qt plugins the app loads at run time (not link-time dependencies).
execute_process(COMMAND qtpaths6 --query QT_INSTALL_PLUGINS OUTPUT_VARIABLE qtplugins
                OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT IS_DIRECTORY "${qtplugins}")
  set(qtplugins /usr/lib/x86_64-linux-gnu/qt6/plugins)
endif()
set(modules "")
set(plugin_sources "")
foreach(pattern platforms/libqxcb.so platforms/libqoffscreen.so platforms/libqminimal.so
        platforms/libqwayland-generic.so platforms/libqwayland-egl.so
        xcbglintegrations/*.so wayland-shell-integration/*.so wayland-decoration-client/*.so
        wayland-graphics-integration-client/*.so imageformats/*.so iconengines/*.so
        platforminputcontexts/*.so platformthemes/libqxdgdesktopportal.so)
  file(GLOB found ${qtplugins}/${pattern})
  foreach(f IN LISTS found)
    cmake_path(RELATIVE_PATH f BASE_DIRECTORY ${qtplugins} OUTPUT_VARIABLE rel)
    cmake_path(GET rel PARENT_PATH sub)
    file(COPY ${f} DESTINATION ${root}/plugins/${sub})
    list(APPEND modules ${root}/plugins/${rel})
    list(APPEND plugin_sources ${f})
  endforeach()
endforeach()
# Fonts: a minimal system (a container, a server used over X forwarding) may have no font at
# all, and Qt then draws every letter as a box. The launchers point fontconfig at a file that
# reads the system's own configuration when there is one and adds DejaVu from the bundle.
set(dejavu "")
foreach(f DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSansMono.ttf DejaVuSansMono-Bold.ttf)
  if(NOT EXISTS /usr/share/fonts/truetype/dejavu/${f})
    message(FATAL_ERROR "no ${f} to bundle (Debian package fonts-dejavu-core)")
  endif()
  list(APPEND dejavu /usr/share/fonts/truetype/dejavu/${f})
endforeach()
file(COPY ${dejavu} DESTINATION ${root}/share/fonts/dejavu)
file(WRITE ${root}/share/fonts/fonts.conf
"<?xml version=\"1.0\"?>
<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">
<!-- ZSI Studio portable bundle: the system's fonts when it has a configuration, plus DejaVu. -->
<fontconfig>
  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>
  <dir prefix=\"relative\">dejavu</dir>
  <cachedir prefix=\"xdg\">fontconfig</cachedir>
</fontconfig>
")
list(APPEND plugin_sources ${dejavu})  # so that the font's licence is collected below
file(WRITE ${root}/libexec/qt.conf "[Paths]\nPrefix = ..\nPlugins = plugins\n")

# The library search path the system loader uses (ld.so.conf), for the dependency walk.
execute_process(COMMAND ldconfig -v -N -X OUTPUT_VARIABLE ldout ERROR_QUIET)
string(REGEX MATCHALL "(^|\n)(/[^:\n]+):" dirs "${ldout}")
list(TRANSFORM dirs REPLACE "^\n?(/[^:]+):$" "\\1")

set(runtime_excludes "^ld-linux" "^linux-vdso" "^libc\\.so" "^libm\\.so" "^libdl\\.so"
    "^libpthread\\.so" "^librt\\.so" "^libresolv\\.so" "^libutil\\.so" "^libmvec\\.so"
    "^libstdc\\+\\+\\.so" "^libgcc_s\\.so")
file(GET_RUNTIME_DEPENDENCIES
     EXECUTABLES ${programs}
     MODULES ${modules}
     DIRECTORIES ${dirs}
     PRE_EXCLUDE_REGEXES ${runtime_excludes}
     RESOLVED_DEPENDENCIES_VAR deps
     UNRESOLVED_DEPENDENCIES_VAR missing)
if(missing)
  message(FATAL_ERROR "unresolved shared libraries: ${missing}")
endif()
set(bytes 0)
foreach(d IN LISTS deps)
  file(COPY ${d} DESTINATION ${root}/lib FOLLOW_SYMLINK_CHAIN)
  file(SIZE ${d} s)
  math(EXPR bytes "${bytes} + ${s}")
endforeach()
list(LENGTH deps ndeps)
math(EXPR mib "${bytes} / 1048576")
message(STATUS "bundled ${ndeps} shared libraries (${mib} MiB)")

# The licences of what the bundle carries: the Debian copyright file of every package that a
# bundled library or plugin comes from, in share/doc/third-party/<package>/copyright, and the
# list in share/doc/third-party/PACKAGES.txt (package, version, bundled files).
find_program(DPKG_QUERY dpkg-query)
if(DPKG_QUERY)
  set(patterns "")
  foreach(f IN LISTS deps plugin_sources)
    # dpkg knows a file by the path its package gave; with merged /usr that may be /lib/...
    # or /usr/lib/..., so match the path without its /usr.
    string(REGEX REPLACE "^/usr/" "/" tail "${f}")
    list(APPEND patterns "*${tail}")
  endforeach()
  execute_process(COMMAND ${DPKG_QUERY} -S ${patterns} OUTPUT_VARIABLE owned ERROR_QUIET)
  string(REPLACE "\n" ";" owned "${owned}")
  set(packages "")
  foreach(line IN LISTS owned)
    if(line MATCHES "^([a-z0-9][a-z0-9+.-]*)(:[a-z0-9]+)?: ")
      list(APPEND packages ${CMAKE_MATCH_1})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES packages)
  list(SORT packages)
  set(third ${root}/share/doc/third-party)
  file(MAKE_DIRECTORY ${third})
  set(listing "Packages whose libraries this bundle carries (Debian 12 builds), with their licences in <package>/copyright:\n")
  foreach(pkg IN LISTS packages)
    execute_process(COMMAND ${DPKG_QUERY} -W "-f=\${Package}\t\${Version}\n" ${pkg} OUTPUT_VARIABLE v ERROR_QUIET)
    string(APPEND listing "${v}")
    if(EXISTS /usr/share/doc/${pkg}/copyright)
      file(MAKE_DIRECTORY ${third}/${pkg})
      file(COPY_FILE /usr/share/doc/${pkg}/copyright ${third}/${pkg}/copyright)
    endif()
  endforeach()
  file(WRITE ${third}/PACKAGES.txt "${listing}")
  list(LENGTH packages npkgs)
  message(STATUS "licences of ${npkgs} packages in share/doc/third-party")
else()
  message(WARNING "no dpkg-query: the bundle carries no third-party licence files")
endif()

file(COPY_FILE ${CMAKE_CURRENT_LIST_DIR}/README-portable.txt ${root}/README.txt)
execute_process(COMMAND ${CMAKE_COMMAND} -E tar czf ${OUT}/${name}.tar.gz ${name}
                WORKING_DIRECTORY ${stage} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tar failed")
endif()
file(REMOVE_RECURSE ${stage})
file(SIZE ${OUT}/${name}.tar.gz tsize)
math(EXPR tmib "${tsize} / 1048576")
message(STATUS "portable bundle: ${OUT}/${name}.tar.gz (${tmib} MiB)")
