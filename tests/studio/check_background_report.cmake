# `zsi-studio --report background` on a copy of the tiny bundle with a training log:
# every file is written and background.json holds the numbers; a bad model is an error.
# cmake -DSTUDIO=... -DBUNDLE=... -DLOG=... -DIMAGE=... -DWORK=... -P check_background_report.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/bundle)
file(GLOB bundle_files ${BUNDLE}/*)
file(COPY ${bundle_files} DESTINATION ${WORK}/bundle)
file(COPY ${LOG} DESTINATION ${WORK}/bundle)

execute_process(COMMAND ${STUDIO} --report background --model ${WORK}/bundle --image ${IMAGE}
                        --unseen "purple heart" --out ${WORK}/report
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "report failed (${rc}):\n${out}\n${err}")
endif()
foreach(f cosines.png class_map.png training.png whatif.png background.json heatmap_P2.png)
  if(NOT EXISTS ${WORK}/report/${f})
    message(FATAL_ERROR "missing ${f}; output:\n${out}")
  endif()
  file(SIZE ${WORK}/report/${f} size)
  if(size LESS 100)
    message(FATAL_ERROR "${f} is only ${size} bytes")
  endif()
endforeach()

file(READ ${WORK}/report/background.json json)
string(JSON n LENGTH "${json}" whatif settings)
string(JSON classes LENGTH "${json}" background classes)
string(JSON samples LENGTH "${json}" training series)
string(JSON levels LENGTH "${json}" heatmaps)
string(JSON unseen GET "${json}" unseen_classes 0)
if(NOT n EQUAL 4 OR NOT classes EQUAL 4 OR NOT samples EQUAL 5 OR levels LESS 1 OR NOT unseen STREQUAL "purple heart")
  message(FATAL_ERROR "background.json: ${n} settings, ${classes} classes, ${samples} samples, ${levels} levels, ${unseen}")
endif()
math(EXPR last "${levels} - 1")
foreach(i RANGE ${last})
  string(JSON f GET "${json}" heatmaps ${i} file)
  if(NOT EXISTS ${WORK}/report/${f})
    message(FATAL_ERROR "missing ${f}")
  endif()
endforeach()

execute_process(COMMAND ${STUDIO} --report background --model ${WORK}/no-such-bundle --out ${WORK}/bad
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "error: ")
  message(FATAL_ERROR "a missing model must fail with a message (${rc}): ${err}")
endif()
message(STATUS "background report checked")
