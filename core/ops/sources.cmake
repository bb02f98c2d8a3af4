zsi_core_module(ops
  SOURCES roi_align.cpp roi_align_aten.cpp nms.cpp box_iou.cpp paste_mask.cpp
  DEPS zsi::util zsi::runtime zsi::torch
  PRIVATE_DEPS ${OpenCV_LIBS})
# The RoIAlign channel sweeps and the NMS overlap sweep are loops that GCC vectorises at -O3 (RelWithDebInfo is
# -O2, whose cheap cost model leaves them scalar).
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/roi_align.cpp ${CMAKE_CURRENT_LIST_DIR}/nms.cpp
    PROPERTIES COMPILE_OPTIONS -O3)
endif()
