# zsi_checkpoint: files written by Python's torch.save (legacy and zip formats), read and
# written without Python or LibTorch: a bounded pickle reader, a zip directory reader, the
# tensor layer and the legacy-format writer. Torch-free (fuzzable on its own).
zsi_core_module(checkpoint
  SOURCES pickle.cpp input_file.cpp zip_archive.cpp torch_file.cpp torch_file_writer.cpp
  DEPS zsi::util nlohmann_json::nlohmann_json)
