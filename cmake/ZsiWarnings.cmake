# Warnings for the project's own targets only (third-party headers are SYSTEM includes).
function(zsi_set_warnings target)
  if(MSVC)
    # C++ only: the resource compiler (zsi-studio.rc) would get them too and rejects them.
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:/W4 /permissive->)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  endif()
endfunction()
