# zsi_train: ZSI training - MaxIoU assigners and random samplers, the method's losses, the
# data pipeline (COCO + split, flips, batches), the LR schedule and the trainer loop with
# checkpoints into a model bundle. Torch in the .cpp files and internal headers; trainer.h
# is torch-free (the CLI and the app include it).
zsi_core_module(train
  SOURCES assigner.cpp losses.cpp schedule.cpp training_data.cpp train_step.cpp
          train_state.cpp trainer.cpp
  DEPS zsi::model zsi::data zsi::semantics zsi::ops zsi::io zsi::runtime zsi::torch
       nlohmann_json::nlohmann_json ${OpenCV_LIBS})
