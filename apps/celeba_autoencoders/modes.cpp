// The modes of celeba_autoencoders: train, summary, generate, reconstruct, evaluate.
#include "celeba_autoencoders/modes.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "celeba_autoencoders/data.hpp"
#include "celeba_autoencoders/evaluation.hpp"
#include "celeba_autoencoders/latent_statistics.hpp"
#include "celeba_autoencoders/models.hpp"
#include "celeba_autoencoders/run_folder.hpp"
#include "celeba_autoencoders/trainer.hpp"
#include "celeba_autoencoders/validation.hpp"
#include "common/attribute_rows.hpp"
#include "common/checkpoint_checks.hpp"
#include "common/cli.hpp"
#include "common/device_choice.hpp"
#include "common/phase_times.hpp"
#include "common/resume.hpp"
#include "common/run_folder.hpp"
#include "common/training_loop.hpp"
#include "nn/data/data_loader.hpp"

namespace autoencoders {
namespace {

constexpr const char* kProgram = "celeba_autoencoders";
constexpr std::int64_t kSheetFaces = 32, kSheetSamples = 64;

nn::Device pick_device(const std::string& name) { return nn::apps::choose_device(name, kProgram); }

// The run configuration a checkpoint stores.
Config stored_config(const nn::SafetensorsFile& file, const std::string& path) {
  return config_from_json(nn::apps::run_config_text(file.metadata, path, kProgram),
                          "checkpoint '" + path + "' metadata 'config'");
}

// The configuration for `command_line.resume`, whose checkpoint is given;
// the safe settings that change are appended to `changes`.
Config resumed_config(const Config& command_line, const nn::SafetensorsFile& file, std::vector<ConfigChange>& changes) {
  const std::string& path = command_line.resume;
  nn::apps::refuse_fixed_options(command_line.given, changeable_options(), kProgram, path);
  Config c = stored_config(file, path);
  nn::apps::record_run_changes(command_line, c, changes);
  nn::apps::record_change(command_line.given, "--eval-images", command_line.eval_images, c.eval_images,
                          nn::json::Value::integer(c.eval_images), nn::json::Value::integer(command_line.eval_images),
                          changes);
  nn::apps::take_resume_places(command_line, c);
  return c;
}

// The tensors of a checkpoint of `kind`: "encoder.*" or "autoencoder.*".
std::string part_of(ModelKind kind) { return is_encoder(kind) ? "encoder" : "autoencoder"; }

// An autoencoder checkpoint's model, loaded on `device`, with its run's configuration.
struct LoadedAutoencoder {
  Config config;
  std::unique_ptr<Autoencoder> model;
};

LoadedAutoencoder load_autoencoder(const nn::SafetensorsFile& file, const std::string& path, nn::Device device,
                                   const std::string& mode) {
  LoadedAutoencoder loaded{stored_config(file, path), nullptr};
  const ModelKind kind = model_from_name(loaded.config.model);
  if (is_encoder(kind))
    throw nn::Error(std::string(kProgram) + ": " + path + " is a checkpoint of an " + loaded.config.model +
                    " run; " + mode + " needs one of an autoencoder (model1 ... model4)");
  loaded.model = std::make_unique<Autoencoder>(kind);
  nn::apps::load_modules(file, path, {{"autoencoder", loaded.model.get()}}, device);
  return loaded;
}

// The checkpoint a new model1 or model3 run's encoder starts from: it must
// come from a run of the matching encoder.
nn::SafetensorsFile pretrained_encoder(const Config& config, ModelKind kind) {
  const ModelKind wanted = *pretrained_encoder_of(kind);
  nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(config.encoder, {"encoder."});
  const Config encoder_config = stored_config(file, config.encoder);
  if (encoder_config.model != name_of(wanted))
    throw nn::Error(std::string(kProgram) + ": --encoder " + config.encoder + " is a checkpoint of an " +
                    encoder_config.model + " run; " + config.model + " starts from " + name_of(wanted));
  return file;
}

// The encoder's codes of the test faces: what new latents are drawn from.
LatentStatistics test_statistics(Autoencoder& model, const FaceSplits& faces, nn::Device device) {
  const bool was_training = model.is_training();
  model.eval();
  const LatentStatistics statistics =
      fit_latent_statistics([&](const nn::Tensor& images) { return model.encode(images); }, faces.test, device);
  model.train(was_training);
  return statistics;
}

std::vector<std::vector<float>> attribute_vectors(const std::vector<std::string>& rows,
                                                  const std::vector<float>& majority) {
  std::vector<std::vector<float>> vectors;
  for (const std::string& row : rows) vectors.push_back(nn::apps::attribute_row(row, majority));
  return vectors;
}

std::string epoch_file(const char* stem, int epoch) {
  char name[64];
  std::snprintf(name, sizeof name, "%s_epoch_%03d.png", stem, epoch);
  return name;
}

}  // namespace

int summary_mode(const Config& config) {
  const ModelKind kind = model_from_name(config.model);
  const std::int64_t size = image_size_of(kind);
  if (is_encoder(kind)) {
    AttributeEncoder encoder(kind);
    std::cout << nn::summary(encoder, {1, 3, size, size});
  } else {
    Autoencoder model(kind);
    std::cout << nn::summary(model, {1, 3, size, size});
  }
  return 0;
}

int generate_mode(const Config& command_line) {
  const nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(command_line.generate, {"autoencoder."});
  const nn::Device device = pick_device(command_line.device);
  nn::set_tf32(command_line.tf32);
  LoadedAutoencoder loaded = load_autoencoder(file, command_line.generate, device, "--generate");
  if (!command_line.attr_rows.empty() && !pretrained_encoder_of(loaded.model->kind()))
    throw nn::apps::UsageError(std::string(kProgram) + ": --attr needs model1 or model3, whose latent is the 40 " +
                               "attributes; " + command_line.generate + " is a " + loaded.config.model + " checkpoint");
  const LatentStatistics statistics = LatentStatistics::from_metadata(
      nn::apps::metadata_text(file.metadata, "latent_statistics", command_line.generate), command_line.generate);
  nn::manual_seed(command_line.seed);
  const nn::Tensor noise = nn::normal({command_line.samples, statistics.size()}, 0.0, 1.0).to(device);
  std::filesystem::create_directories(command_line.out);
  const std::string sampled = command_line.out + "/sampled.png";
  write_sampled_sheet(sampled, *loaded.model, statistics, noise);
  std::cout << kProgram << ": wrote " << sampled << " (" << command_line.samples << " faces sampled from "
            << loaded.config.model << "'s latent statistics) on " << device.str() << "\n";
  if (!command_line.attr_rows.empty()) {
    const std::string attributes = command_line.out + "/attribute_faces.png";
    write_attribute_sheet(
        attributes, *loaded.model,
        attribute_vectors(command_line.attr_rows, nn::apps::attribute_majority(file.metadata, command_line.generate)));
    std::cout << kProgram << ": wrote " << attributes << " (" << command_line.attr_rows.size()
              << " attribute faces)\n";
  }
  return 0;
}

int reconstruct_mode(const Config& command_line) {
  const nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(command_line.reconstruct, {"autoencoder."});
  const nn::Device device = pick_device(command_line.device);
  nn::set_tf32(command_line.tf32);
  LoadedAutoencoder loaded = load_autoencoder(file, command_line.reconstruct, device, "--reconstruct");
  Config& config = loaded.config;
  config.cache_dir = command_line.cache_dir.empty()
                         ? nn::apps::default_cache_dir(nn::apps::checkpoint_folder(command_line.reconstruct))
                         : command_line.cache_dir;
  const FaceSplits faces = load_face_splits(config);
  nn::data::DataLoader loader(faces.test, nn::data::DataLoaderOptions()
                                              .batch_size(kSheetFaces)
                                              .shuffle(false)
                                              .range(0.0, 1.0)
                                              .tensor_options(nn::TensorOptions().device(device)));
  loader.start_epoch(0);
  const std::optional<nn::data::Batch> batch = loader.next();
  if (!batch)
    throw nn::Error(std::string(kProgram) + ": " + faces.description + ": no test faces to reconstruct with " +
                    command_line.reconstruct);
  std::filesystem::create_directories(command_line.out);
  const std::string path = command_line.out + "/reconstructions.png";
  write_reconstruction_sheet(path, *loaded.model, batch->images);
  std::cout << kProgram << ": wrote " << path << " (" << batch->images.size(0) << " test faces and their "
            << config.model << " reconstructions)\n";
  return 0;
}

int evaluate_mode(const Config& command_line) {
  const nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(command_line.evaluate, {});
  Config config = stored_config(file, command_line.evaluate);
  const std::string run_folder = nn::apps::checkpoint_folder(command_line.evaluate);
  config.out = command_line.was_given("--out") ? command_line.out : run_folder;
  config.cache_dir = command_line.cache_dir.empty() ? nn::apps::default_cache_dir(run_folder) : command_line.cache_dir;
  if (command_line.was_given("--eval-images")) config.eval_images = command_line.eval_images;
  const nn::Device device = pick_device(command_line.device);
  nn::set_tf32(command_line.tf32);
  const ModelKind kind = model_from_name(config.model);
  std::string json;
  if (is_encoder(kind)) {
    AttributeEncoder encoder(kind);
    nn::apps::load_modules(file, command_line.evaluate, {{"encoder", &encoder}}, device);
    const FaceSplits faces = load_face_splits(config);
    const nn::evaluation::JudgeQuality quality = encoder_accuracy(encoder, faces.test, faces.majority, device);
    std::cout << kProgram << ": " << command_line.evaluate << " on the test faces:\n"
              << encoder_accuracy_table(config.model, quality);
    json = encoder_evaluation_json(quality, command_line.evaluate);
  } else {
    LoadedAutoencoder loaded = load_autoencoder(file, command_line.evaluate, device, "--evaluate");
    const LatentStatistics statistics = LatentStatistics::from_metadata(
        nn::apps::metadata_text(file.metadata, "latent_statistics", command_line.evaluate), command_line.evaluate);
    const FaceSplits faces = load_face_splits(config);
    const FaceJudge judge = prepare_judge(config, device, std::cout);
    const Evaluation evaluation = evaluate(judge, *loaded.model, statistics, faces.train_labels);
    std::cout << kProgram << ": " << command_line.evaluate << " seen by the judge:\n"
              << evaluation_table(judge, evaluation);
    json = evaluation_json(judge, evaluation, command_line.evaluate);
  }
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/eval.json";
  nn::apps::write_file_atomically(path, json);
  std::cout << kProgram << ": wrote " << path << "\n";
  return 0;
}

int train_mode(const Config& command_line) {
  // Every input is read and checked before the run folder is touched.
  Config config = command_line;
  std::vector<ConfigChange> changes;
  std::optional<nn::SafetensorsFile> checkpoint;
  if (!command_line.resume.empty()) {
    checkpoint = nn::apps::load_checked_checkpoint(command_line.resume, {});
    config = resumed_config(command_line, *checkpoint, changes);
  }
  const ModelKind kind = model_from_name(config.model);
  std::optional<nn::SafetensorsFile> initial_weights;
  // A resumed run's weights come from its checkpoint, whatever it started from.
  if (!checkpoint && !config.init_from.empty())
    initial_weights = nn::apps::load_checked_checkpoint(config.init_from, {part_of(kind) + "."});
  std::optional<nn::SafetensorsFile> encoder_weights;
  if (!checkpoint && !initial_weights && pretrained_encoder_of(kind)) encoder_weights = pretrained_encoder(config, kind);
  if (config.cache_dir.empty()) config.cache_dir = nn::apps::default_cache_dir(config.out);
  const bool continues_folder =
      checkpoint && nn::apps::same_folder(config.out, nn::apps::checkpoint_folder(config.resume));
  const nn::apps::RunFolderClaim claim{config.out, kProgram, run_file_patterns(), continues_folder, config.overwrite};
  nn::apps::refuse_taken_folder(claim);
  const nn::Device device = pick_device(config.device);
  nn::set_tf32(config.tf32);
  std::cout << kProgram << ": " << config.model << ", device " << device.str() << ", preset " << config.preset
            << ", batch " << config.batch << ", lr " << config.lr << "\n";

  nn::apps::PhaseTimes times;
  const FaceSplits faces = times.time("data", [&] { return load_face_splits(config); });
  nn::manual_seed(config.seed);
  Trainer trainer(kind, config.lr, device);
  if (initial_weights) {
    nn::apps::load_modules(*initial_weights, config.init_from, {{part_of(kind), &trainer.model()}}, device);
    std::cout << kProgram << ": the model starts from the weights of " << config.init_from << "\n";
  } else if (encoder_weights) {
    nn::apps::load_modules(*encoder_weights, config.encoder, {{"encoder", trainer.autoencoder->encoder.get()}},
                           device);
    std::cout << kProgram << ": the encoder starts from " << config.encoder
              << (kind == ModelKind::model3 ? " (frozen)\n" : " (fine-tuned)\n");
  }
  nn::data::DataLoader loader(faces.train, nn::data::DataLoaderOptions()
                                               .batch_size(config.batch)
                                               .drop_last(true)
                                               .seed(config.seed)
                                               .range(0.0, 1.0)
                                               .tensor_options(trainer.options()));
  if (loader.batches_per_epoch() == 0)
    throw nn::Error(std::string(kProgram) + ": " + faces.description + " make no full batch of --batch " +
                    std::to_string(config.batch));
  std::cout << kProgram << ": training on " << faces.description << ", " << loader.batches_per_epoch()
            << " batches an epoch\n";
  // The sheets' faces and noise, drawn before any training.
  std::optional<nn::Tensor> sheet_faces, sheet_noise;
  if (trainer.autoencoder) {
    nn::data::DataLoader first(faces.validation, nn::data::DataLoaderOptions()
                                                     .batch_size(kSheetFaces)
                                                     .shuffle(false)
                                                     .range(0.0, 1.0)
                                                     .tensor_options(trainer.options()));
    first.start_epoch(0);
    sheet_faces = first.next()->images;
    sheet_noise = nn::normal({kSheetSamples, latent_size_of(kind)}, 0.0, 1.0, trainer.options());
  }

  nn::apps::ResumePoint at;
  std::vector<ConfigChange> history;
  if (checkpoint) {
    at = nn::apps::resume_point(checkpoint->metadata, config.resume, loader.batches_per_epoch());
    nn::apps::require_steps_left(kProgram, config.epochs, config.steps, at, loader.batches_per_epoch());
    nn::load_checkpoint(config.resume, trainer.checkpoint_parts());
    history = nn::apps::resume_history(config.out, continues_folder, changes, at.step, kProgram);
  }
  RunLog log(config.out, is_encoder(kind), at.step, std::cout);
  EvaluationLog eval_log(config.out, is_encoder(kind), at.step, std::cout);
  std::optional<FaceJudge> judge;
  if (config.eval_every > 0 && trainer.autoencoder)
    judge = times.time("judge", [&] { return prepare_judge(config, device, std::cout); });

  // The folder is this run's from here on.
  const auto lock = nn::apps::take_run_folder(claim, std::cout);
  nn::apps::announce_changes(std::cout, changes, kProgram);
  nn::apps::write_file_atomically(config.out + "/config.json", to_json(config, history));
  log.open();
  eval_log.open();
  if (checkpoint) std::cout << kProgram << ": resumed from " << config.resume << " at step " << at.step << "\n";

  std::int64_t step = at.step;
  std::optional<LatentStatistics> statistics;
  nn::apps::TrainingLoop loop;
  loop.epochs = config.epochs;
  loop.steps = config.steps;
  loop.start = at;
  loop.resumed_from = config.resume;
  loop.train = [&](const nn::data::Batch& batch, std::int64_t at_step, int epoch) {
    step = at_step;
    const double loss = trainer.step(batch.images, batch.labels);
    log.append_step(step, epoch, loss);
    char extra[48];
    std::snprintf(extra, sizeof extra, "BCE %.4f", loss);
    return std::string(extra);
  };
  loop.save = [&](const nn::apps::ResumePoint& position, const std::string& name) {
    nn::Metadata meta = nn::apps::position_metadata(position);
    meta["config"] = to_json(config);
    meta["attribute_majority"] = nn::apps::majority_metadata(faces.majority);
    if (trainer.autoencoder) {
      statistics = test_statistics(*trainer.autoencoder, faces, device);
      meta["latent_statistics"] = statistics->to_metadata();
    }
    nn::apps::save_run_checkpoint(config.out, name, trainer.checkpoint_parts(), meta, config.keep_checkpoints);
    return config.out + "/" + name;
  };
  loop.end_of_epoch = [&](int epoch, bool last) {
    const ValidationFigures validation = validation_figures(trainer, faces.validation, config.batch);
    log.append_validation(step, epoch, validation);
    log.plot();
    std::cout << kProgram << ": epoch " << epoch << " validation BCE " << validation.loss;
    if (trainer.encoder) std::cout << ", mean per-label accuracy " << validation.accuracy;
    std::cout << "\n";
    if (trainer.autoencoder) {
      write_reconstruction_sheet(config.out + "/" + epoch_file("reconstructions", epoch), *trainer.autoencoder,
                                 *sheet_faces);
      write_sampled_sheet(config.out + "/" + epoch_file("samples", epoch), *trainer.autoencoder, *statistics,
                          *sheet_noise);
      if (pretrained_encoder_of(kind))
        write_attribute_sheet(config.out + "/" + epoch_file("attribute_faces", epoch), *trainer.autoencoder,
                              attribute_vectors(sheet_attribute_rows(), faces.majority));
    }
    if (config.eval_every == 0 || (epoch % config.eval_every != 0 && !last)) return;
    if (trainer.encoder) {
      const nn::evaluation::JudgeQuality quality = times.time(
          "evaluation", [&] { return encoder_accuracy(*trainer.encoder, faces.test, faces.majority, device); });
      eval_log.append(step, epoch, quality);
      std::cout << kProgram << ": epoch " << epoch << ", " << encoder_accuracy_table(config.model, quality);
    } else {
      const Evaluation evaluation = times.time(
          "evaluation", [&] { return evaluate(*judge, *trainer.autoencoder, *statistics, faces.train_labels); });
      eval_log.append(step, epoch, evaluation);
      std::cout << kProgram << ": epoch " << epoch << " seen by the judge:\n" << evaluation_table(*judge, evaluation);
    }
    eval_log.plot();
  };
  step = times.time("training", [&] { return nn::apps::run_training_loop(loader, loop); });
  std::cout << kProgram << ": " << step << " steps; wall time " << times.summary() << "; run folder " << config.out
            << "\n";
  return 0;
}

int run_program(int argc, const char* const* argv) {
  return nn::apps::exit_status_of([&] {
    Config config;
    if (!parse_config(argc, argv, config)) return 0;
    switch (mode_of(config)) {
      case Mode::summary:
        return summary_mode(config);
      case Mode::generate:
        return generate_mode(config);
      case Mode::reconstruct:
        return reconstruct_mode(config);
      case Mode::evaluate:
        return evaluate_mode(config);
      case Mode::train:
        return train_mode(config);
    }
    return 0;
  });
}

}  // namespace autoencoders
