// The four modes of acgan_celeba: train, summary, generate, reconstruct.
#include "acgan_celeba/modes.hpp"

#include <chrono>
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
#include "common/checkpoint_checks.hpp"
#include "common/cli.hpp"
#include "common/progress.hpp"
#include "common/run_folder.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/data/data_loader.hpp"

namespace acgan {
namespace {

constexpr std::int64_t kSheetRows = 6, kReconstructionImages = 16;

nn::Device pick_device(const std::string& name) {
  if (name == "auto") return nn::cuda_available() ? nn::Device::cuda(0) : nn::Device::cpu();
  const nn::Device device = nn::Device::parse(name);
  if (device.is_cuda() && !nn::cuda_available())
    throw nn::Error("acgan_celeba: --device " + name + ": no usable CUDA device on this machine");
  return device;
}

std::string join(const std::vector<float>& values) {
  std::string out;
  for (float v : values) out += (out.empty() ? "" : ",") + std::to_string(static_cast<int>(v));
  return out;
}

// A checkpoint read whole, refused when a tensor under one of `prefixes` (all
// when empty) is not finite.
nn::SafetensorsFile load_checked(const std::string& path, const std::vector<std::string>& prefixes) {
  nn::SafetensorsFile file = nn::load_safetensors(path);
  nn::apps::require_finite_tensors(file, path, prefixes);
  return file;
}

void load_models(const nn::SafetensorsFile& file, const std::map<std::string, nn::Module*>& models,
                 nn::Device device) {
  for (const auto& [name, module] : models) {
    module->load_state_dict(nn::select_prefixed(file.tensors, name));
    module->to(device);
  }
}

// The latent distribution a checkpoint's run trained with, unless --z was given.
std::string z_distribution(const Config& config, const nn::SafetensorsFile& file, const std::string& path) {
  const auto stored = file.metadata.find("config");
  if (was_given(config, "--z") || stored == file.metadata.end()) return config.z_dist;
  return config_from_json(stored->second, "checkpoint '" + path + "' metadata 'config'").z_dist;
}

// The --z encoder statistics a checkpoint carries ("Z.mean", "Z.variance").
std::shared_ptr<LatentStatistics> latent_statistics_of(const nn::SafetensorsFile& file, const std::string& path,
                                                       nn::Device device) {
  const nn::StateDict state = nn::select_prefixed(file.tensors, "Z");
  if (state.empty())
    throw nn::Error("acgan_celeba: " + path + " holds no latent statistics (Z.mean, Z.variance) for --z encoder");
  auto statistics = std::make_shared<LatentStatistics>();
  statistics->load_state_dict(state);
  statistics->to(device);
  return statistics;
}

bool same_folder(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec);
}

// A new run (or a run resumed into another folder) may not take a folder
// holding another run's files unless --overwrite.
void refuse_taken_folder(const Config& config, bool continues_folder) {
  if (continues_folder || config.overwrite) return;
  const std::vector<std::string> found = nn::apps::matching_files(config.out, run_file_patterns());
  if (found.empty()) return;
  std::string listed;
  for (std::size_t i = 0; i < found.size() && i < 4; ++i) listed += (i ? ", " : "") + found[i];
  if (found.size() > 4) listed += ", ...";
  throw nn::Error("acgan_celeba: the run folder '" + config.out + "' holds another run (" + listed +
                  "); continue it with --resume " + config.out +
                  "/checkpoint_last.safetensors, replace it with --overwrite, or choose another --out");
}

}  // namespace

int list_attributes_mode() {
  for (const std::string_view name : nn::data::celeba_attribute_names()) std::cout << name << '\n';
  return 0;
}

int generate_mode(const Config& config) {
  const nn::Device device = pick_device(config.device);
  nn::set_tf32(config.tf32);
  const nn::SafetensorsFile file = load_checked(config.generate, {"G."});
  Generator generator;
  load_models(file, {{"G", &generator}}, device);
  const std::vector<float> base = attribute_majority(file.metadata, config.generate);
  std::vector<std::vector<float>> rows;
  for (const std::string& names : config.attr_rows) {
    std::vector<float> row = base;
    for (const std::string& name : nn::apps::split_list(names))
      row[static_cast<std::size_t>(nn::data::celeba_attribute_index(name))] = 1.0f;
    rows.push_back(row);
  }
  nn::manual_seed(config.seed);
  const std::string distribution = z_distribution(config, file, config.generate);
  const nn::Tensor noise = (distribution == "uniform" ? nn::uniform({config.samples, kLatent}, 0, 1)
                                                      : nn::normal({config.samples, kLatent}, 0, 1))
                               .to(device);
  const nn::Tensor z =
      distribution == "encoder" ? latent_statistics_of(file, config.generate, device)->latent_from_noise(noise) : noise;
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
  const nn::SafetensorsFile file = load_checked(config.reconstruct, {"E.", "G."});
  Encoder encoder;
  Generator generator;
  load_models(file, {{"E", &encoder}, {"G", &generator}}, device);
  const nn::Tensor images = load_images_for_reconstruction(config.images).to(device);
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/reconstructed.png";
  write_reconstruction_sheet(path, encoder, generator, images);
  std::cout << "acgan_celeba: wrote " << path << " on " << device.str() << "\n";
  return 0;
}

int evaluate_mode(const Config& command_line) {
  const nn::SafetensorsFile file = load_checked(command_line.evaluate, {"E.", "G."});
  const auto stored = file.metadata.find("config");
  if (stored == file.metadata.end())
    throw nn::Error("acgan_celeba: " + command_line.evaluate +
                    ": no 'config' metadata; is it a checkpoint of acgan_celeba?");
  // The run's data and sampling settings; where to write and how much to
  // generate come from this command line.
  Config config = config_from_json(stored->second, "checkpoint '" + command_line.evaluate + "' metadata 'config'");
  const std::string folder = std::filesystem::path(command_line.evaluate).parent_path().string();
  const std::string run_folder = folder.empty() ? "." : folder;
  config.out = was_given(command_line, "--out") ? command_line.out : run_folder;
  config.cache_dir = command_line.cache_dir.empty() ? run_folder + "/../cache" : command_line.cache_dir;
  config.eval_faces = command_line.eval_faces;
  config.eval_control = command_line.eval_control;
  const nn::Device device = pick_device(command_line.device);
  nn::set_tf32(command_line.tf32);
  Encoder encoder;
  Generator generator;
  load_models(file, {{"E", &encoder}, {"G", &generator}}, device);
  const TrainingData data = load_training_data(config);
  const nn::apps::FaceJudge judge = prepare_judge(config, device, std::cout);
  std::shared_ptr<LatentStatistics> statistics;
  if (config.z_dist == "encoder") statistics = latent_statistics_of(file, command_line.evaluate, device);
  const Evaluation evaluation = evaluate(judge, encoder, generator, statistics.get(), config, data.labels);
  std::cout << "acgan_celeba: " << command_line.evaluate << " seen by the attribute judge:\n"
            << evaluation_table(judge, evaluation);
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/eval.json";
  nn::apps::write_file_atomically(path, evaluation_json(judge, evaluation, command_line.evaluate));
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
    checkpoint = load_checked(command_line.resume, {});
    config = resumed_config(command_line, checkpoint->metadata, changes);
  }
  std::optional<nn::SafetensorsFile> initial_weights;
  if (!config.init_from.empty()) initial_weights = load_checked(config.init_from, {"E.", "G.", "D."});
  if (config.cache_dir.empty()) config.cache_dir = config.out + "/../cache";
  const bool continues_folder =
      checkpoint && same_folder(config.out, std::filesystem::path(config.resume).parent_path().string());
  refuse_taken_folder(config, continues_folder);
  const nn::Device device = pick_device(config.device);
  nn::set_tf32(config.tf32);
  std::cout << "acgan_celeba: device " << device.str() << ", dtype f32, TF32 " << (nn::tf32_enabled() ? "on" : "off")
            << ", preset " << config.preset << ", batch " << config.batch << ", lr " << config.lr << "\n";

  const TrainingData data = load_training_data(config);
  nn::manual_seed(config.seed);
  Trainer trainer(config, device, data.labels);
  if (initial_weights) {
    load_models(*initial_weights,
                {{"E", &trainer.encoder}, {"G", &trainer.generator}, {"D", &trainer.discriminator}}, device);
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

  ResumePoint at;
  std::vector<ConfigChange> history;
  if (checkpoint) {
    at = resume_point(checkpoint->metadata, config.resume, loader.batches_per_epoch());
    require_steps_left(config, at, loader.batches_per_epoch());
    nn::load_checkpoint(config.resume, trainer.checkpoint_parts());
    for (ConfigChange& change : changes) change.step = at.step;
    const std::string config_path = config.out + "/config.json";
    if (continues_folder && std::filesystem::exists(config_path))
      history = changes_from_json(nn::apps::read_file(config_path), config_path);
  }
  RunLog log(config.out, at.step, std::cout);
  EvaluationLog eval_log(config.out, at.step, std::cout);
  std::optional<nn::apps::FaceJudge> judge;
  if (config.eval_every > 0) judge = prepare_judge(config, device, std::cout);

  // The folder is this run's from here on.
  const nn::apps::RunFolderLock lock(config.out, "acgan_celeba");
  refuse_taken_folder(config, continues_folder);
  if (config.overwrite && !checkpoint)
    for (const std::string& name : nn::apps::matching_files(config.out, run_file_patterns()))
      std::filesystem::remove(config.out + "/" + name);
  for (const std::string& name : nn::apps::sweep_temporary_files(config.out))
    std::cout << "acgan_celeba: removed the stale temporary file " << config.out << "/" << name << "\n";
  for (const ConfigChange& change : changes)
    std::cout << "acgan_celeba: " << change.flag << " changes from " << nn::json::dump(change.from) << " to "
              << nn::json::dump(change.to) << " at step " << change.step << "\n";
  history.insert(history.end(), changes.begin(), changes.end());
  nn::apps::write_file_atomically(config.out + "/config.json", to_json(config, history));
  log.open();
  eval_log.open();
  if (checkpoint) std::cout << "acgan_celeba: resumed from " << config.resume << " at step " << at.step << "\n";
  std::int64_t step = at.step, skip_batches = at.batch_in_epoch;
  const int start_epoch = at.epoch;
  std::string last_checkpoint = config.resume.empty() ? "none" : config.resume;
  const auto save = [&](int epoch, std::int64_t batch_in_epoch, const std::string& name) {
    const nn::Metadata meta = {{"epoch", std::to_string(epoch)},
                               {"batch_in_epoch", std::to_string(batch_in_epoch)},
                               {"step", std::to_string(step)},
                               {"attribute_majority", join(data.majority)},
                               {"config", to_json(config)}};
    const std::string path = config.out + "/" + name;
    nn::save_checkpoint(path, trainer.checkpoint_parts(), meta);
    nn::save_checkpoint(config.out + "/checkpoint_last.safetensors", trainer.checkpoint_parts(), meta);
    nn::CheckpointParts generator_parts{{{"G", &trainer.generator}}, {}};
    if (config.z_dist == "encoder") generator_parts.modules["Z"] = &trainer.latent_statistics;
    nn::save_checkpoint(config.out + "/generator.safetensors", generator_parts, meta);
    last_checkpoint = path;
    if (config.keep_checkpoints > 0)
      nn::apps::remove_all_but_newest(config.out, {"checkpoint_epoch_*.safetensors", "checkpoint_step_*.safetensors"},
                                      static_cast<std::size_t>(config.keep_checkpoints));
  };
  const auto sheets = [&](int epoch, bool last) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "epoch_%03d.png", epoch + 1);
    write_reconstruction_sheet(config.out + "/reconstructions_" + suffix, trainer.encoder, trainer.generator,
                               sheet_images.front());
    write_attribute_sheet(config.out + "/generated_" + suffix, trainer.generator, sheet_bases,
                          trainer.latent_from_noise(sheet_noise), sheet_attributes());
    const nn::Tensor& faces = sheet_images.front();
    write_edit_sheet(config.out + "/edited_" + suffix, trainer.encoder, trainer.generator,
                     faces.slice_batch(0, std::min<std::int64_t>(kSheetRows, faces.size(0))), sheet_attributes());
    log.plot();
    if (judge && ((epoch + 1) % config.eval_every == 0 || last)) {
      const Evaluation evaluation =
          evaluate(*judge, trainer.encoder, trainer.generator, &trainer.latent_statistics, config, data.labels);
      eval_log.append(step, epoch + 1, evaluation);
      eval_log.plot();
      std::cout << "acgan_celeba: epoch " << epoch + 1 << " seen by the attribute judge:\n"
                << evaluation_table(*judge, evaluation);
    }
  };

  const auto start = std::chrono::steady_clock::now();
  try {
    for (int epoch = start_epoch; epoch < config.epochs; ++epoch) {
      loader.start_epoch(epoch);
      std::int64_t batch_in_epoch = 0;
      for (; batch_in_epoch < skip_batches; ++batch_in_epoch) loader.next();
      skip_batches = 0;
      nn::apps::ProgressBar bar("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(config.epochs),
                                loader.batches_per_epoch(), nn::apps::ProgressOptions().unit("batch"));
      bar.update(batch_in_epoch);
      bool stop = false;
      while (std::optional<nn::data::Batch> batch = loader.next()) {
        const StepMetrics m = trainer.step(batch->images, batch->labels);
        ++step;
        ++batch_in_epoch;
        log.append(step, epoch + 1, m);
        char extra[160];
        std::snprintf(extra, sizeof extra, "D %.3f/%.3f G %.3f/%.3f AE %.3f acc %.2f", m.d_loss_w, m.d_loss_y,
                      m.g_loss_w, m.g_loss_y, m.ae_loss, m.d_acc_w);
        bar.update(batch_in_epoch, extra);
        if (config.steps > 0 && step >= config.steps) {
          stop = true;
          break;
        }
      }
      bar.finish();
      const bool epoch_done = batch_in_epoch >= loader.batches_per_epoch();
      char name[48];
      std::snprintf(name, sizeof name, "checkpoint_epoch_%03d.safetensors", epoch + 1);
      save(epoch_done ? epoch + 1 : epoch, epoch_done ? 0 : batch_in_epoch,
           epoch_done ? name : "checkpoint_step_" + std::to_string(step) + ".safetensors");
      sheets(epoch, stop || epoch + 1 == config.epochs);
      if (stop) break;
    }
  } catch (const nn::Error& e) {
    throw nn::Error(std::string(e.what()) + "; stopped, last good checkpoint: " + last_checkpoint);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "acgan_celeba: " << step << " steps, " << seconds << " s; run folder " << config.out << "\n";
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
      case Mode::train: return train_mode(config);
    }
    return 0;
  });
}

}  // namespace acgan
