# Man pages and bash completion generated from the programs' own --help, so they never drift
# from the real options:
#   cmake -DZSI=<zsi> -DSTUDIO=<zsi-studio> -DOUT=<dir> -DVERSION=<x.y.z> [-DGZIP=ON] -P generate_cli_docs.cmake
# Writes OUT/man1/zsi.1 (.1.gz with GZIP), OUT/man1/zsi-<command>.1 for every subcommand, OUT/man1/zsi-studio.1
# and OUT/bash-completion/zsi.
cmake_policy(VERSION 3.25)
foreach(v ZSI OUT VERSION)
  if(NOT ${v})
    message(FATAL_ERROR "generate_cli_docs.cmake needs -D${v}=...")
  endif()
endforeach()
file(REMOVE_RECURSE ${OUT}/man1)  # a removed subcommand must not leave its page behind
file(MAKE_DIRECTORY ${OUT}/man1 ${OUT}/bash-completion)
string(TIMESTAMP today "%Y-%m-%d" UTC)  # honours SOURCE_DATE_EPOCH
set(ENV{QT_QPA_PLATFORM} offscreen)

function(run_help out)
  execute_process(COMMAND ${ARGN} --help OUTPUT_VARIABLE text ERROR_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN} --help failed (${rc})")
  endif()
  # The program path in "Usage:" lines becomes the installed name.
  string(REGEX REPLACE "Usage: [^ ]*/(zsi[a-z-]*)" "Usage: \\1" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Text as a man page body: verbatim lines, troff-escaped.
function(man_page file name section summary body see_also)
  string(REPLACE "\\" "\\e" body "${body}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" body "${body}")
  string(TOUPPER "${name}" upper)
  file(WRITE ${file} ".TH ${upper} ${section} \"${today}\" \"ZSI Studio ${VERSION}\" \"User Commands\"\n"
                     ".SH NAME\n${name} \\- ${summary}\n"
                     ".SH DESCRIPTION\n.nf\n${body}\n.fi\n")
  if(see_also)
    file(APPEND ${file} ".SH SEE ALSO\n${see_also}\n")
  endif()
endfunction()

# Long options named in a help text.
function(options_of text out)
  string(REGEX MATCHALL "\n  (-[A-Za-z], ?)?--[a-z0-9-]+" found "${text}")
  set(result "")
  foreach(f IN LISTS found)
    string(REGEX REPLACE ".*(--[a-z0-9-]+)$" "\\1" o "${f}")
    list(APPEND result ${o})
  endforeach()
  list(REMOVE_DUPLICATES result)
  string(REPLACE ";" " " result "${result}")
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

run_help(top ${ZSI})
string(REGEX MATCH "Subcommands:\n(([ ]+[a-z-]+[ ]+[^\n]*\n)+)" _ "${top}")
set(block "${CMAKE_MATCH_1}")
string(REGEX MATCHALL "  [a-z-]+ +[^\n]*" entries "${block}")
set(commands "")
set(see "")
set(cases "")
foreach(e IN LISTS entries)
  string(REGEX REPLACE "^  ([a-z-]+) +(.*)$" "\\1" cmd "${e}")
  string(REGEX REPLACE "^  ([a-z-]+) +(.*)$" "\\2" summary "${e}")
  list(APPEND commands ${cmd})
  run_help(help ${ZSI} ${cmd})
  man_page(${OUT}/man1/zsi-${cmd}.1 "zsi-${cmd}" 1 "${summary}" "${help}" ".BR zsi (1)")
  string(APPEND see ".BR zsi-${cmd} (1),\n")
  options_of("${help}" opts)
  string(APPEND cases "        ${cmd}) opts=\"${opts}\" ;;\n")
endforeach()
man_page(${OUT}/man1/zsi.1 "zsi" 1 "zero-shot instance segmentation from the command line" "${top}"
         "${see}.BR zsi-studio (1)")
if(STUDIO)
  run_help(studio ${STUDIO})
  man_page(${OUT}/man1/zsi-studio.1 "zsi-studio" 1 "zero-shot instance segmentation, the desktop app"
           "${studio}" ".BR zsi (1)")
endif()
options_of("${top}" global)
string(REPLACE ";" " " commandWords "${commands}")
file(WRITE ${OUT}/bash-completion/zsi
"# bash completion for zsi (generated from zsi --help by packaging/generate_cli_docs.cmake)
_zsi() {
    local cur=\"\${COMP_WORDS[COMP_CWORD]}\" sub=\"\" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case \"\${COMP_WORDS[i]}\" in
            -*) ;;
            *) sub=\"\${COMP_WORDS[i]}\"; break ;;
        esac
    done
    local opts=\"${global}\"
    if [[ -z \"$sub\" ]]; then
        COMPREPLY=($(compgen -W \"${commandWords} $opts\" -- \"$cur\"))
        return
    fi
    case \"$sub\" in
${cases}    esac
    if [[ \"$cur\" == -* ]]; then
        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))
    else
        COMPREPLY=($(compgen -f -- \"$cur\"))
    fi
}
complete -o filenames -F _zsi zsi
")
# Debian policy: man pages gzip-compressed, without a timestamp (-n) so builds are reproducible.
if(GZIP)
  file(GLOB pages ${OUT}/man1/*.1)
  foreach(p IN LISTS pages)
    execute_process(COMMAND gzip -9nf ${p} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "gzip ${p} failed")
    endif()
  endforeach()
endif()
list(LENGTH commands n)
message(STATUS "man pages and bash completion for zsi and ${n} subcommands in ${OUT}")
