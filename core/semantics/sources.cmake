zsi_core_module(semantics
  SOURCES embedding.cpp vector_table.cpp mapped_file.cpp text_vectors.cpp class_columns.cpp
          fasttext_backend.cpp class_name.cpp normalisation.cpp class_embedder.cpp
          class_vocabulary.cpp embedding_info.cpp
  DEPS zsi::util
  PRIVATE_DEPS zsi::fasttext nlohmann_json::nlohmann_json)
