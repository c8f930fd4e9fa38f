// The modes of dcgan: train, summary, generate, evaluate.
#include "dcgan/modes.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "common/checkpoint_checks.hpp"
#include "common/cli.hpp"
#include "common/device_choice.hpp"
#include "common/phase_times.hpp"
#include "common/resume.hpp"
#include "common/run_folder.hpp"
#include "common/training_loop.hpp"
#include "dcgan/data.hpp"
#include "dcgan/evaluation.hpp"
#include "dcgan/models.hpp"
#include "dcgan/recipe.hpp"
#include "dcgan/run_folder.hpp"
#include "dcgan/trainer.hpp"
#include "nn/data/data_loader.hpp"

namespace dcgan {
namespace {

constexpr std::int64_t kSheetImages = 64;
constexpr const char* kProgram = "dcgan";

nn::Device pick_device(const std::string& name) { return nn::apps::choose_device(name, kProgram); }

// The run configuration a checkpoint stores.
Config stored_config(const nn::SafetensorsFile& file, const std::string& path) {
  return config_from_json(nn::apps::run_config_text(file.metadata, path, kProgram),
                          "checkpoint '" + path + "' metadata 'config'");
}

TrainerSettings trainer_settings(const Config& config) {
  const Architecture arch = architecture_from_name(config.arch);
  TrainerSettings settings = settings_from(recipe_of(arch), arch, channels_of(config));
  settings.lr = config.lr;
  settings.beta1 = config.beta1;
  settings.real_target = config.real_target;
  settings.g_target = config.g_target;
  return settings;
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

}  // namespace

int summary_mode(const Config& config) {
  const Architecture arch = architecture_from_name(config.arch);
  const std::int64_t channels = channels_of(config), size = image_size_of(arch);
  Generator generator(arch, channels);
  Discriminator discriminator(arch, channels);
  std::cout << nn::summary(generator, [&] {
    generator.generate(nn::zeros({1, kLatent}));
  }) << '\n' << nn::summary(discriminator, [&] {
    discriminator.logits(nn::zeros({1, channels, size, size}));
  });
  return 0;
}

int generate_mode(const Config& command_line) {
  const nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(command_line.generate, {"G."});
  const Config config = stored_config(file, command_line.generate);
  const nn::Device device = pick_device(command_line.device);
  nn::set_tf32(command_line.tf32);
  Generator generator(architecture_from_name(config.arch), channels_of(config));
  nn::apps::load_modules(file, command_line.generate, {{"G", &generator}}, device);
  nn::manual_seed(command_line.seed);
  const nn::Tensor z = sample_latent(recipe_of(architecture_from_name(config.arch)).z, command_line.samples,
                                     nn::TensorOptions().device(device));
  std::filesystem::create_directories(command_line.out);
  const std::string path = command_line.out + "/generated.png";
  write_sample_sheet(path, generator, z);
  std::cout << "dcgan: wrote " << path << " (" << command_line.samples << " " << config.arch << " images) on "
            << device.str() << "\n";
  return 0;
}

int evaluate_mode(const Config& command_line) {
  const nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(command_line.evaluate, {"G."});
  Config config = stored_config(file, command_line.evaluate);
  const std::string run_folder = nn::apps::checkpoint_folder(command_line.evaluate);
  config.out = was_given(command_line, "--out") ? command_line.out : run_folder;
  config.cache_dir = command_line.cache_dir.empty() ? nn::apps::default_cache_dir(run_folder) : command_line.cache_dir;
  config.eval_images = command_line.eval_images;
  const nn::Device device = pick_device(command_line.device);
  nn::set_tf32(command_line.tf32);
  Generator generator(architecture_from_name(config.arch), channels_of(config));
  nn::apps::load_modules(file, command_line.evaluate, {{"G", &generator}}, device);
  const DataJudge judge = prepare_judge(config, device, std::cout);
  const Evaluation evaluation = evaluate(judge, generator, config);
  std::cout << "dcgan: " << command_line.evaluate << " seen by the judge:\n" << evaluation_table(judge, evaluation);
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/eval.json";
  nn::apps::write_file_atomically(path, evaluation_json(judge, evaluation, command_line.evaluate));
  std::cout << "dcgan: wrote " << path << "\n";
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
  std::optional<nn::SafetensorsFile> initial_weights;
  // A resumed run's weights come from its checkpoint, whatever it started from.
  if (!checkpoint && !config.init_from.empty())
    initial_weights = nn::apps::load_checked_checkpoint(config.init_from, {"G.", "D."});
  if (config.cache_dir.empty()) config.cache_dir = nn::apps::default_cache_dir(config.out);
  const bool continues_folder =
      checkpoint && nn::apps::same_folder(config.out, nn::apps::checkpoint_folder(config.resume));
  const nn::apps::RunFolderClaim claim{config.out, kProgram, run_file_patterns(), continues_folder, config.overwrite};
  nn::apps::refuse_taken_folder(claim);
  const nn::Device device = pick_device(config.device);
  nn::set_tf32(config.tf32);
  std::cout << "dcgan: " << config.arch << " on " << config.dataset << ", device " << device.str() << ", preset "
            << config.preset << ", batch " << config.batch << ", lr " << config.lr << "\n";

  nn::apps::PhaseTimes times;
  const TrainingData data = times.time("data", [&] { return load_training_data(config); });
  nn::manual_seed(config.seed);
  Trainer trainer(trainer_settings(config), device);
  if (initial_weights) {
    nn::apps::load_modules(*initial_weights, config.init_from, {{"G", &trainer.generator}, {"D", &trainer.discriminator}}, device);
    std::cout << "dcgan: G and D start from the weights of " << config.init_from << "\n";
  }
  nn::data::DataLoader loader(data.dataset, nn::data::DataLoaderOptions()
                                                .batch_size(config.batch)
                                                .drop_last(true)
                                                .seed(config.seed)
                                                .range(-1.0, 1.0)
                                                .tensor_options(trainer.options()));
  if (loader.batches_per_epoch() == 0)
    throw nn::Error("dcgan: " + data.description + " make no full batch of " + std::to_string(config.batch));
  std::cout << "dcgan: training on " << data.description << ", " << loader.batches_per_epoch() << " batches an epoch\n";
  // The sheets' z, drawn before any training.
  const nn::Tensor sheet_z = trainer.sample_z(kSheetImages);

  nn::apps::ResumePoint at;
  std::vector<ConfigChange> history;
  if (checkpoint) {
    at = nn::apps::resume_point(checkpoint->metadata, config.resume, loader.batches_per_epoch());
    nn::apps::require_steps_left(kProgram, config.epochs, config.steps, at, loader.batches_per_epoch());
    nn::load_checkpoint(config.resume, trainer.checkpoint_parts());
    history = nn::apps::resume_history(config.out, continues_folder, changes, at.step, kProgram);
  }
  RunLog log(config.out, at.step, std::cout);
  EvaluationLog eval_log(config.out, at.step, std::cout);
  std::optional<DataJudge> judge;
  if (config.eval_every > 0) judge = times.time("judge", [&] { return prepare_judge(config, device, std::cout); });

  // The folder is this run's from here on.
  const auto lock = nn::apps::take_run_folder(claim, std::cout);
  nn::apps::announce_changes(std::cout, changes, kProgram);
  nn::apps::write_file_atomically(config.out + "/config.json", to_json(config, history));
  log.open();
  eval_log.open();
  if (checkpoint) std::cout << "dcgan: resumed from " << config.resume << " at step " << at.step << "\n";

  std::int64_t step = at.step;
  nn::apps::TrainingLoop loop;
  loop.epochs = config.epochs;
  loop.steps = config.steps;
  loop.start = at;
  loop.resumed_from = config.resume;
  loop.train = [&](const nn::data::Batch& batch, std::int64_t at_step, int epoch) {
    step = at_step;
    const StepMetrics m = trainer.step(batch.images);
    log.append(step, epoch, m);
    char extra[96];
    std::snprintf(extra, sizeof extra, "D %.3f G %.3f D(x) %.2f D(G(z)) %.2f/%.2f", m.d_loss, m.g_loss, m.d_real,
                  m.d_fake, m.d_fake_after);
    return std::string(extra);
  };
  loop.save = [&](const nn::apps::ResumePoint& position, const std::string& name) {
    nn::Metadata meta = nn::apps::position_metadata(position);
    meta["config"] = to_json(config);
    nn::apps::save_run_checkpoint(config.out, name, trainer.checkpoint_parts(), meta, config.keep_checkpoints);
    nn::save_checkpoint(config.out + "/generator.safetensors", {{{"G", &trainer.generator}}, {}}, meta);
    return config.out + "/" + name;
  };
  loop.end_of_epoch = [&](int epoch, bool last) {
    char name[32];
    std::snprintf(name, sizeof name, "samples_epoch_%03d.png", epoch);
    write_sample_sheet(config.out + "/" + name, trainer.generator, sheet_z);
    log.plot();
    if (judge && (epoch % config.eval_every == 0 || last)) {
      const Evaluation evaluation =
          times.time("evaluation", [&] { return evaluate(*judge, trainer.generator, config); });
      eval_log.append(step, epoch, evaluation);
      eval_log.plot();
      std::cout << "dcgan: epoch " << epoch << " seen by the judge:\n" << evaluation_table(*judge, evaluation);
    }
  };
  step = times.time("training", [&] { return nn::apps::run_training_loop(loader, loop); });
  std::cout << "dcgan: " << step << " steps; wall time " << times.summary() << "; run folder " << config.out << "\n";
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
      case Mode::evaluate:
        return evaluate_mode(config);
      case Mode::train:
        return train_mode(config);
    }
    return 0;
  });
}

}  // namespace dcgan
