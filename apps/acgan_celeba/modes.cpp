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
#include "acgan_celeba/run_folder.hpp"
#include "acgan_celeba/trainer.hpp"
#include "common/cli.hpp"
#include "common/progress.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/data/data_loader.hpp"

namespace acgan {
namespace {


// Attributes flipped one per column in the per-epoch generation sheet.
const std::vector<std::string> kSheetFlips = {"Male",      "Smiling",    "Eyeglasses",  "Blond_Hair",
                                              "Black_Hair", "Bald",      "Wearing_Hat", "Mouth_Slightly_Open"};
constexpr std::int64_t kSheetRows = 6, kReconstructionImages = 16;

nn::Device pick_device(const std::string& name) {
  if (name == "auto") return nn::cuda_available() ? nn::Device::cuda(0) : nn::Device::cpu();
  return nn::Device::parse(name);
}

std::string join(const std::vector<float>& values) {
  std::string out;
  for (float v : values) out += (out.empty() ? "" : ",") + std::to_string(static_cast<int>(v));
  return out;
}

std::vector<float> parse_majority(const nn::Metadata& meta) {
  std::vector<float> out(kAttributes, 0.0f);
  const auto found = meta.find("attribute_majority");
  if (found == meta.end()) return out;
  const std::vector<std::string> parts = nn::apps::split_list(found->second);
  for (std::size_t i = 0; i < parts.size() && i < out.size(); ++i) out[i] = parts[i] == "1" ? 1.0f : 0.0f;
  return out;
}

std::int64_t meta_int(const nn::Metadata& meta, const std::string& key, const std::string& path) {
  const auto found = meta.find(key);
  if (found == meta.end()) throw nn::Error("acgan_celeba: checkpoint '" + path + "' has no '" + key + "' entry");
  return std::stoll(found->second);
}

// Loads the named models of a checkpoint written by training.
nn::Metadata load_models(const std::string& path, const std::map<std::string, nn::Module*>& models) {
  const nn::SafetensorsFile file = nn::load_safetensors(path);
  for (const auto& [name, module] : models) module->load_state_dict(nn::select_prefixed(file.tensors, name));
  return file.metadata;
}

}  // namespace

int generate_mode(const Config& config) {
  Generator generator;
  const nn::Metadata meta = load_models(config.generate, {{"G", &generator}});
  const std::vector<float> base = parse_majority(meta);
  std::vector<std::vector<float>> rows;
  for (const std::string& names : config.attr_rows) {
    std::vector<float> row = base;
    for (const std::string& name : nn::apps::split_list(names))
      row[static_cast<std::size_t>(nn::data::celeba_attribute_index(name))] = 1.0f;
    rows.push_back(row);
  }
  nn::manual_seed(config.seed);
  const nn::Tensor z = config.z_dist == "normal" ? nn::normal({config.samples, kLatent}, 0, 1)
                                                 : nn::uniform({config.samples, kLatent}, 0, 1);
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/generated.png";
  write_generation_sheet(path, generator, rows, z);
  std::cout << "acgan_celeba: wrote " << path << " (" << rows.size() << " rows of " << config.samples << ")\n";
  return 0;
}

int reconstruct_mode(const Config& config) {
  Encoder encoder;
  Generator generator;
  load_models(config.reconstruct, {{"E", &encoder}, {"G", &generator}});
  const nn::Tensor images = load_images_for_reconstruction(config.images);
  std::filesystem::create_directories(config.out);
  const std::string path = config.out + "/reconstructed.png";
  write_reconstruction_sheet(path, encoder, generator, images);
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

int train_mode(const Config& config) {
  const nn::Device device = pick_device(config.device);
  nn::set_tf32(config.tf32);
  std::cout << "acgan_celeba: device " << device.str() << ", dtype f32, TF32 " << (nn::tf32_enabled() ? "on" : "off")
            << ", preset " << config.preset << ", batch " << config.batch << ", lr " << config.lr << "\n";
  std::filesystem::create_directories(config.out);
  std::ofstream(config.out + "/config.json") << to_json(config);

  const TrainingData data = load_training_data(config);
  nn::manual_seed(config.seed);
  Trainer trainer(config, device, data.labels);
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
  const nn::Tensor sheet_z = trainer.sample_z(kSheetRows);
  std::vector<float> sheet_bases;
  for (std::int64_t r = 0; r < kSheetRows; ++r)
    sheet_bases.insert(sheet_bases.end(), data.majority.begin(), data.majority.end());
  std::vector<nn::Tensor> sheet_images;
  {
    loader.start_epoch(0);
    const std::optional<nn::data::Batch> first = loader.next();
    sheet_images.push_back(first->images.slice_batch(0, std::min(kReconstructionImages, config.batch)));
  }

  int start_epoch = 0;
  std::int64_t skip_batches = 0, step = 0;
  if (!config.resume.empty()) {
    const nn::Metadata meta = nn::load_checkpoint(config.resume, trainer.checkpoint_parts());
    start_epoch = static_cast<int>(meta_int(meta, "epoch", config.resume));
    skip_batches = meta_int(meta, "batch_in_epoch", config.resume);
    step = meta_int(meta, "step", config.resume);
    std::cout << "acgan_celeba: resumed from " << config.resume << " at step " << step << "\n";
  }
  RunLog log(config.out, step);
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
    last_checkpoint = path;
  };
  const auto sheets = [&](int epoch) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "epoch_%03d.png", epoch + 1);
    write_reconstruction_sheet(config.out + "/reconstructions_" + suffix, trainer.encoder, trainer.generator,
                               sheet_images.front());
    write_attribute_sheet(config.out + "/generated_" + suffix, trainer.generator, sheet_bases, sheet_z, kSheetFlips);
    const nn::Tensor& faces = sheet_images.front();
    write_edit_sheet(config.out + "/edited_" + suffix, trainer.encoder, trainer.generator,
                     faces.slice_batch(0, std::min<std::int64_t>(kSheetRows, faces.size(0))), kSheetFlips);
    log.plot();
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
      sheets(epoch);
      if (stop) break;
    }
  } catch (const nn::Error& e) {
    throw nn::Error(std::string(e.what()) + "; stopped, last good checkpoint: " + last_checkpoint);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "acgan_celeba: " << step << " steps, " << seconds << " s; run folder " << config.out << "\n";
  return 0;
}

}  // namespace acgan
