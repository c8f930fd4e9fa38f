#include "common/attribute_rows.hpp"

#include "common/checkpoint_checks.hpp"
#include "common/cli.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/error.hpp"

namespace nn::apps {
namespace {

constexpr std::size_t kAttributes = static_cast<std::size_t>(data::kCelebaAttributeCount);

bool is_whole_vector(const std::string& row) { return row == "all" || row == "none"; }

}  // namespace

void check_attribute_row(const std::string& row) { attribute_row(row, std::vector<float>(kAttributes, 0.0f)); }

std::vector<float> attribute_row(const std::string& row, const std::vector<float>& majority) {
  if (majority.size() != kAttributes)
    throw Error("attribute row '" + row + "': the majority vector holds " + std::to_string(majority.size()) +
                " values, not " + std::to_string(kAttributes));
  if (is_whole_vector(row)) return std::vector<float>(kAttributes, row == "all" ? 1.0f : 0.0f);
  const std::vector<std::string> words = split_list(row);
  if (words.empty()) throw Error("attribute row '" + row + "' names no attribute");
  std::vector<float> values = majority;
  for (const std::string& word : words) {
    const bool off = !word.empty() && word.front() == '-';
    const std::string name = off ? word.substr(1) : word;
    try {
      values[static_cast<std::size_t>(data::celeba_attribute_index(name))] = off ? 0.0f : 1.0f;
    } catch (const Error& e) {
      throw Error("attribute row '" + row + "': " + e.what());
    }
  }
  return values;
}

std::string majority_metadata(const std::vector<float>& majority) {
  std::string out;
  for (float v : majority) out += (out.empty() ? "" : ",") + std::to_string(static_cast<int>(v));
  return out;
}

std::vector<float> attribute_majority(const Metadata& metadata, const std::string& path) {
  const std::string& text = metadata_text(metadata, "attribute_majority", path);
  std::vector<float> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string cell = text.substr(start, comma - start);
    if (cell != "0" && cell != "1")
      throw Error("checkpoint '" + path + "': metadata entry 'attribute_majority' holds '" + cell +
                  "' where 0 or 1 belongs");
    out.push_back(cell == "1" ? 1.0f : 0.0f);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.size() != kAttributes)
    throw Error("checkpoint '" + path + "': metadata entry 'attribute_majority' holds " + std::to_string(out.size()) +
                " values, not " + std::to_string(kAttributes));
  return out;
}

}  // namespace nn::apps
