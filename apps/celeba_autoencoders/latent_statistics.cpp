#include "celeba_autoencoders/latent_statistics.hpp"

#include <cmath>

#include "nn/data/data_loader.hpp"
#include "nn/json.hpp"

namespace autoencoders {
namespace {

std::vector<double> numbers_of(const nn::json::Value& object, const char* key, const std::string& where) {
  const nn::json::Value* array = object.find(key);
  if (!array || array->kind() != nn::json::Value::Kind::array)
    throw nn::Error(where + " has no array '" + key + "'");
  std::vector<double> out;
  for (const nn::json::Value& item : array->items()) {
    if (item.kind() != nn::json::Value::Kind::number && item.kind() != nn::json::Value::Kind::integer)
      throw nn::Error(where + " holds a " + nn::json::kind_name(item.kind()) + " in '" + key + "'");
    out.push_back(item.as_number());
  }
  return out;
}

nn::json::Value array_of(const std::vector<double>& values) {
  std::vector<nn::json::Value> items;
  for (double v : values) items.push_back(nn::json::Value::number(v));
  return nn::json::Value::array(std::move(items));
}

}  // namespace

nn::Tensor LatentStatistics::latent_from_noise(const nn::Tensor& noise) const {
  if (noise.dim() != 2 || noise.size(1) != size())
    throw nn::Error("latent statistics: noise of shape " + nn::shape_str(noise.shape()) + " for " +
                    std::to_string(size()) + " latent dimensions");
  const nn::TensorOptions options = nn::TensorOptions().dtype(noise.dtype()).device(noise.device());
  return noise * nn::from_vector(stddev, {size()}, options) + nn::from_vector(mean, {size()}, options);
}

std::string LatentStatistics::to_metadata() const {
  nn::json::Value v = nn::json::Value::object();
  v.add("mean", array_of(mean)).add("stddev", array_of(stddev));
  return nn::json::dump(v);
}

LatentStatistics LatentStatistics::from_metadata(const std::string& text, const std::string& path) {
  const std::string where = "checkpoint '" + path + "': metadata entry 'latent_statistics'";
  try {
    const nn::json::Value v = nn::json::parse(text);
    if (v.kind() != nn::json::Value::Kind::object) throw nn::Error(where + " is not a JSON object");
    LatentStatistics s{numbers_of(v, "mean", where), numbers_of(v, "stddev", where)};
    if (s.mean.empty() || s.mean.size() != s.stddev.size())
      throw nn::Error(where + " holds " + std::to_string(s.mean.size()) + " means and " +
                      std::to_string(s.stddev.size()) + " deviations");
    for (double d : s.stddev)
      if (!(d >= 0) || !std::isfinite(d)) throw nn::Error(where + " holds the deviation " + std::to_string(d));
    for (double m : s.mean)
      if (!std::isfinite(m)) throw nn::Error(where + " holds the mean " + std::to_string(m));
    return s;
  } catch (const nn::json::ParseError& e) {
    throw nn::Error(where + " is not JSON: " + e.what());
  }
}

LatentStatistics statistics_of_codes(const std::vector<double>& codes, std::int64_t dims) {
  const std::size_t d = static_cast<std::size_t>(dims);
  if (dims < 1 || codes.size() % d != 0 || codes.size() / d < 2)
    throw nn::Error("latent statistics: " + std::to_string(codes.size()) + " values are not at least two codes of " +
                    std::to_string(dims));
  const double n = static_cast<double>(codes.size() / d);
  LatentStatistics s{std::vector<double>(d, 0.0), std::vector<double>(d, 0.0)};
  for (std::size_t i = 0; i < codes.size(); ++i) s.mean[i % d] += codes[i];
  for (double& m : s.mean) m /= n;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const double centred = codes[i] - s.mean[i % d];
    s.stddev[i % d] += centred * centred;
  }
  for (double& v : s.stddev) v = std::sqrt(v / (n - 1));
  return s;
}

LatentStatistics fit_latent_statistics(const LatentEncoder& encode, std::shared_ptr<const nn::data::Dataset> faces,
                                       nn::Device device) {
  nn::NoGradGuard no_grad;
  nn::data::DataLoader loader(std::move(faces), nn::data::DataLoaderOptions()
                                                    .batch_size(256)
                                                    .shuffle(false)
                                                    .range(0.0, 1.0)
                                                    .tensor_options(nn::TensorOptions().device(device)));
  std::vector<double> codes;
  std::int64_t dims = 0;
  loader.start_epoch(0);
  while (std::optional<nn::data::Batch> batch = loader.next()) {
    const nn::Tensor latent = encode(batch->images);
    dims = latent.size(1);
    const std::vector<double> values = latent.to_vector<double>();
    codes.insert(codes.end(), values.begin(), values.end());
  }
  return statistics_of_codes(codes, dims);
}

}  // namespace autoencoders
