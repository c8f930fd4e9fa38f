// The modes of acgan_celeba: train, summary, generate, reconstruct, evaluate, score the renderer.
#include "acgan_celeba/modes.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "acgan_celeba/data.hpp"
#include "acgan_celeba/evaluation.hpp"
#include "acgan_celeba/resume.hpp"
#include "acgan_celeba/run_folder.hpp"
#include "acgan_celeba/trainer.hpp"
#include "common/attribute_rows.hpp"
#include "common/checkpoint_checks.hpp"
#include "common/cli.hpp"
#include "common/device_choice.hpp"
#include "common/phase_times.hpp"
#include "common/run_folder.hpp"
#include "common/training_loop.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/data/data_loader.hpp"

namespace acgan {
namespace {

constexpr std::int64_t kSheetRows = 6, kReconstructionImages = 16;

// The latent distribution a checkpoint's run trained with, unless --z was given.
std::string z_distribution(const Config& config, const nn::SafetensorsFile& file, const std::string& path) {
  const auto stored = file.metadata.find("config");
  if (was_given(config, "--z") || stored == file.metadata.end()) return config.z_dist;
  return config_from_json(stored->second, "checkpoint '" + path + "' metadata 'config'").z_dist;
}

// The latent source a checkpoint carries for --z encoder ("Z.mean", "Z.variance") or
// --z codes ("Z.codes", "Z.labels", "Z.count"); null for the other distributions.
std::unique_ptr<LatentSource> latent_source_of(const nn::SafetensorsFile& file, const std::string& path,
                                               const std::string& distribution, nn::Device device) {
  std::unique_ptr<LatentSource> source = make_latent_source(distribution);
  if (!source) return source;
  const nn::StateDict state = nn::select_prefixed(file.tensors, "Z");
  if (state.empty())
    throw nn::Error("acgan_celeba: " + path + " holds no latent source (Z.*) for --z " + distribution);
  source->load_state_dict(state);
  source->to(device);
  return source;
}

// The generator a checkpoint samples with: the running average of G's
// weights (G_average.*) where the run kept one, else G.
std::string sampling_generator_name(const nn::SafetensorsFile& file) {
  return nn::select_prefixed(file.tensors, "G_average").empty() ? "G" : "G_average";
}

nn::apps::RunFolderClaim folder_claim(const Config& config, bool continues_folder) {
  return {config.out, "acgan_celeba", run_file_patterns(), continues_folder, config.overwrite};
}

nn::Device pick_device(const std::string& name) { return nn::apps::choose_device(name, "acgan_celeba"); }

}  // namespace

int list_attributes_mode() {
  for (const std::string_view name : nn::data::celeba_attribute_names()) std::cout << name << '\n';
  return 0;
}

int generate_mode(const Config& config) {
  const nn::Device device = pick_device(config.device);
  nn::set_tf32(config.tf32);
  const nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(config.generate, {"G."});
  Generator generator;
  nn::apps::load_modules(file, config.generate, {{sampling_generator_name(file), &generator}}, device);
  const std::vector<float> base = nn::apps::attribute_majority(file.metadata, config.generate);
  std::vector<std::vector<float>> rows;
  for (const std::string& row : config.attr_rows) rows.push_back(nn::apps::attribute_row(row, base));
  nn::manual_seed(config.seed);
  const std::string distribution = z_distribution(config, file, config.generate);
  const nn::Tensor noise = (distribution == "uniform" ? nn::uniform({config.samples, kLatent}, 0, 1)
                                                      : nn::normal({config.samples, kLatent}, 0, 1))
                               .to(device);
  const std::unique_ptr<LatentSource> source = latent_source_of(file, config.generate, distribution, device);
  const nn::Tensor z = source ? source->latent_from_noise(noise) : noise;
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/generated.png";
  write_generation_sheet(path, generator, rows, z);
  std::cout << "acgan_celeba: wrote " << path << " (" << rows.size() << " rows of " << config.samples << ") on "
            << device.str() << "\n";
  return 0;
}

int reconstruct_mode(const Config& config) {
  const nn::Device device = pick_device(config.device);
  nn::set_tf32(config.tf32);
  const nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(config.reconstruct, {"E.", "G."});
  Encoder encoder;
  Generator generator;
  nn::apps::load_modules(file, config.reconstruct, {{"E", &encoder}, {sampling_generator_name(file), &generator}},
                         device);
  const nn::Tensor images = load_images_for_reconstruction(config.images).to(device);
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/reconstructed.png";
  write_reconstruction_sheet(path, encoder, generator, images);
  std::cout << "acgan_celeba: wrote " << path << " on " << device.str() << "\n";
  return 0;
}

int evaluate_mode(const Config& command_line) {
  const nn::SafetensorsFile file = nn::apps::load_checked_checkpoint(command_line.evaluate, {"E.", "G."});
  // The run's data and sampling settings; where to write and how much to
  // generate come from this command line.
  Config config = config_from_json(nn::apps::run_config_text(file.metadata, command_line.evaluate, "acgan_celeba"),
                                   "checkpoint '" + command_line.evaluate + "' metadata 'config'");
  const std::string run_folder = nn::apps::checkpoint_folder(command_line.evaluate);
  config.out = was_given(command_line, "--out") ? command_line.out : run_folder;
  config.cache_dir = command_line.cache_dir.empty() ? nn::apps::default_cache_dir(run_folder) : command_line.cache_dir;
  config.eval_faces = command_line.eval_faces;
  config.eval_control = command_line.eval_control;
  const nn::Device device = pick_device(command_line.device);
  nn::set_tf32(command_line.tf32);
  Encoder encoder;
  Generator generator;
  nn::apps::load_modules(file, command_line.evaluate, {{"E", &encoder}, {sampling_generator_name(file), &generator}},
                         device);
  const TrainingData data = load_training_data(config);
  const nn::apps::FaceJudge judge = prepare_judge(config, device, std::cout);
  const std::unique_ptr<LatentSource> source = latent_source_of(file, command_line.evaluate, config.z_dist, device);
  const Evaluation evaluation = evaluate(judge, encoder, generator, source.get(), config, data.labels);
  std::cout << "acgan_celeba: " << command_line.evaluate << " seen by the attribute judge:\n"
            << evaluation_table(judge, evaluation);
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/eval.json";
  nn::apps::write_file_atomically(path, evaluation_json(judge, evaluation, command_line.evaluate));
  std::cout << "acgan_celeba: wrote " << path << "\n";
  return 0;
}

int score_renderer_mode(const Config& command_line) {
  Config config = command_line;
  if (config.cache_dir.empty()) config.cache_dir = nn::apps::default_cache_dir(config.out);
  const nn::Device device = pick_device(config.device);
  const TrainingData data = load_training_data(config);
  const nn::apps::FaceJudge judge = prepare_judge(config, device, std::cout);
  const nn::evaluation::GeneratorScores scores = score_synthetic_renderer(judge, config, data.labels, device);
  std::cout << "acgan_celeba: the synthetic faces' renderer, drawing exactly the attributes asked for, seen by the "
               "attribute judge:\n"
            << nn::apps::scores_table(scores, std::nullopt, judge.trained.quality);
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/renderer_eval.json";
  nn::json::Value v = nn::json::Value::object();
  v.add("judge", nn::json::Value::string(judge.trained.path))
      .add("renderer", nn::evaluation::to_json(scores, judge.trained.quality.names));
  nn::apps::write_file_atomically(path, nn::json::dump(v, 2) + "\n");
  std::cout << "acgan_celeba: wrote " << path << "\n";
  return 0;
}

int summary_mode(const Config& config) {
  Encoder encoder;
  Discriminator discriminator(TrunkOptions{config.input_noise, config.dropout});
  Generator generator;
  const nn::Tensor images = nn::zeros({1, 3, kImageSize, kImageSize});
  std::cout << nn::summary(encoder, [&] { encoder.encode(images); }) << '\n'
            << nn::summary(generator, [&] { generator.generate(nn::zeros({1, kAttributes}), nn::zeros({1, kLatent})); })
            << '\n'
            << nn::summary(discriminator, [&] { discriminator.judge(images); });
  return 0;
}

int train_mode(const Config& command_line) {
  // Every input is read and checked before the run folder is touched.
  Config config = command_line;
  std::vector<ConfigChange> changes;
  std::optional<nn::SafetensorsFile> checkpoint;
  if (!command_line.resume.empty()) {
    checkpoint = nn::apps::load_checked_checkpoint(command_line.resume, {});
    config = resumed_config(command_line, checkpoint->metadata, changes);
  }
  std::optional<nn::SafetensorsFile> initial_weights;
  // A resumed run's weights come from its checkpoint, whatever it started from.
  if (!checkpoint && !config.init_from.empty())
    initial_weights = nn::apps::load_checked_checkpoint(config.init_from, {"E.", "G.", "D."});
  if (config.cache_dir.empty()) config.cache_dir = nn::apps::default_cache_dir(config.out);
  const bool continues_folder =
      checkpoint && nn::apps::same_folder(config.out, nn::apps::checkpoint_folder(config.resume));
  nn::apps::refuse_taken_folder(folder_claim(config, continues_folder));
  const nn::Device device = pick_device(config.device);
  nn::set_tf32(config.tf32);
  std::cout << "acgan_celeba: device " << device.str() << ", dtype f32, TF32 " << (nn::tf32_enabled() ? "on" : "off")
            << ", preset " << config.preset << ", batch " << config.batch << ", lr " << config.lr << "\n";

  nn::apps::PhaseTimes times;
  const TrainingData data = times.time("data", [&] { return load_training_data(config); });
  nn::manual_seed(config.seed);
  Trainer trainer(config, device, data.labels);
  if (initial_weights) {
    nn::apps::load_modules(*initial_weights, config.init_from,
                           {{"E", &trainer.encoder}, {"G", &trainer.generator}, {"D", &trainer.discriminator}},
                           device);
    trainer.restart_average();
    std::cout << "acgan_celeba: E, G and D start from the weights of " << config.init_from << "\n";
  }
  nn::data::DataLoader loader(data.dataset, nn::data::DataLoaderOptions()
                                                .batch_size(config.batch)
                                                .drop_last(true)
                                                .seed(config.seed)
                                                .range(-1.0, 1.0)
                                                .tensor_options(trainer.options()));
  if (loader.batches_per_epoch() == 0)
    throw nn::Error("acgan_celeba: " + std::to_string(data.dataset->size()) +
                    " training images make no full batch of " + std::to_string(config.batch));

  // Fixed inputs for the per-epoch sheets, drawn before any training.
  const nn::Tensor sheet_noise = trainer.sample_noise(kSheetRows);
  std::vector<float> sheet_bases;
  for (std::int64_t r = 0; r < kSheetRows; ++r)
    sheet_bases.insert(sheet_bases.end(), data.majority.begin(), data.majority.end());
  std::vector<nn::Tensor> sheet_images;
  {
    loader.start_epoch(0);
    const std::optional<nn::data::Batch> first = loader.next();
    sheet_images.push_back(first->images.slice_batch(0, std::min(kReconstructionImages, config.batch)));
  }

  nn::apps::ResumePoint at;
  std::vector<ConfigChange> history;
  if (checkpoint) {
    at = resume_point(checkpoint->metadata, config.resume, loader.batches_per_epoch());
    nn::apps::require_steps_left("acgan_celeba", config.epochs, config.steps, at, loader.batches_per_epoch());
    nn::load_checkpoint(config.resume, trainer.checkpoint_parts());
    history = nn::apps::resume_history(config.out, continues_folder, changes, at.step, "acgan_celeba");
  }
  RunLog log(config.out, at.step, std::cout);
  EvaluationLog eval_log(config.out, at.step, std::cout);
  std::optional<nn::apps::FaceJudge> judge;
  if (config.eval_every > 0) judge = times.time("judge", [&] { return prepare_judge(config, device, std::cout); });

  // The folder is this run's from here on.
  const auto lock = nn::apps::take_run_folder(folder_claim(config, continues_folder), std::cout);
  nn::apps::announce_changes(std::cout, changes, "acgan_celeba");
  nn::apps::write_file_atomically(config.out + "/config.json", to_json(config, history));
  log.open();
  eval_log.open();
  if (checkpoint) std::cout << "acgan_celeba: resumed from " << config.resume << " at step " << at.step << "\n";
  const auto save = [&](const nn::apps::ResumePoint& position, const std::string& name) {
    nn::Metadata meta = nn::apps::position_metadata(position);
    meta["attribute_majority"] = nn::apps::majority_metadata(data.majority);
    meta["config"] = to_json(config);
    nn::apps::save_run_checkpoint(config.out, name, trainer.checkpoint_parts(), meta, config.keep_checkpoints);
    nn::CheckpointParts generator_parts{{{"G", &trainer.sampling_generator()}}, {}};
    if (trainer.latent_source) generator_parts.modules["Z"] = trainer.latent_source.get();
    nn::save_checkpoint(config.out + "/generator.safetensors", generator_parts, meta);
    return config.out + "/" + name;
  };
  std::int64_t step = at.step;
  const auto train = [&](const nn::data::Batch& batch, std::int64_t at_step, int epoch) {
    step = at_step;
    const StepMetrics m = trainer.step(batch.images, batch.labels);
    log.append(step, epoch, m);
    char extra[160];
    std::snprintf(extra, sizeof extra, "D %.3f/%.3f G %.3f/%.3f AE %.3f acc %.2f", m.d_loss_w, m.d_loss_y,
                  m.g_loss_w, m.g_loss_y, m.ae_loss, m.d_acc_w);
    return std::string(extra);
  };
  const auto end_of_epoch = [&](int epoch, bool last) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "epoch_%03d.png", epoch);
    Generator& generator = trainer.sampling_generator();
    write_reconstruction_sheet(config.out + "/reconstructions_" + suffix, trainer.encoder, generator,
                               sheet_images.front());
    write_attribute_sheet(config.out + "/generated_" + suffix, generator, sheet_bases,
                          trainer.latent_from_noise(sheet_noise), sheet_attributes());
    const nn::Tensor& faces = sheet_images.front();
    write_edit_sheet(config.out + "/edited_" + suffix, trainer.encoder, generator,
                     faces.slice_batch(0, std::min<std::int64_t>(kSheetRows, faces.size(0))), sheet_attributes());
    log.plot();
    if (judge && (epoch % config.eval_every == 0 || last)) {
      const Evaluation evaluation = times.time("evaluation", [&] {
        return evaluate(*judge, trainer.encoder, generator, trainer.latent_source.get(), config, data.labels);
      });
      eval_log.append(step, epoch, evaluation);
      eval_log.plot();
      std::cout << "acgan_celeba: epoch " << epoch << " seen by the attribute judge:\n"
                << evaluation_table(*judge, evaluation);
    }
  };

  nn::apps::TrainingLoop loop;
  loop.epochs = config.epochs;
  loop.steps = config.steps;
  loop.start = at;
  loop.resumed_from = config.resume;
  loop.train = train;
  loop.save = save;
  loop.end_of_epoch = end_of_epoch;
  step = times.time("training", [&] { return nn::apps::run_training_loop(loader, loop); });
  std::cout << "acgan_celeba: " << step << " steps; wall time " << times.summary() << "; run folder " << config.out
            << "\n";
  return 0;
}

int run_program(int argc, const char* const* argv) {
  return nn::apps::exit_status_of([&] {
    Config config;
    if (!parse_config(argc, argv, config)) return 0;
    switch (mode_of(config)) {
      case Mode::list_attributes: return list_attributes_mode();
      case Mode::summary: return summary_mode(config);
      case Mode::generate: return generate_mode(config);
      case Mode::reconstruct: return reconstruct_mode(config);
      case Mode::evaluate: return evaluate_mode(config);
      case Mode::score_renderer: return score_renderer_mode(config);
      case Mode::train: return train_mode(config);
    }
    return 0;
  });
}

}  // namespace acgan
