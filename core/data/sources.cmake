# zsi_data: COCO data model and JSON I/O, RLE / polygon codecs, splits, the synthetic
# zero-shot benchmark. One file per line (other modules' owners append here).
zsi_core_module(data
  SOURCES
    rle.cpp
    coco.cpp
    coco_io.cpp
    split.cpp
    synth.cpp
    synth_scene.cpp
    emoji_synth.cpp
    image_io.cpp
    instance.cpp
    palette.cpp
    overlay.cpp
    mask_polygons.cpp
    export_formats.cpp
    coco_merge.cpp
    dataset_export.cpp
    annotation_document.cpp
    provenance.cpp
  DEPS zsi::util zsi::settings ${OpenCV_LIBS} nlohmann_json::nlohmann_json)
