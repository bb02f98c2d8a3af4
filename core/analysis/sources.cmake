# Torch-free analysis of the background word vector: cosines, projection, the
# training log's V_b series and p(background) heatmaps. The app, widgets and reports use it.
zsi_core_module(analysis
  SOURCES
    background_analysis.cpp
    training_log.cpp
    heatmap.cpp
  DEPS zsi::util ${OpenCV_LIBS} nlohmann_json::nlohmann_json)
