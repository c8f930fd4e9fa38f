#include "nn/data/celeba_attributes.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "nn/error.hpp"

namespace nn::data {
namespace {

constexpr std::array<std::string_view, kCelebaAttributeCount> kNames = {
    "5_o_Clock_Shadow", "Arched_Eyebrows",  "Attractive",         "Bags_Under_Eyes",   "Bald",
    "Bangs",            "Big_Lips",         "Big_Nose",           "Black_Hair",        "Blond_Hair",
    "Blurry",           "Brown_Hair",       "Bushy_Eyebrows",     "Chubby",            "Double_Chin",
    "Eyeglasses",       "Goatee",           "Gray_Hair",          "Heavy_Makeup",      "High_Cheekbones",
    "Male",             "Mouth_Slightly_Open", "Mustache",        "Narrow_Eyes",       "No_Beard",
    "Oval_Face",        "Pale_Skin",        "Pointy_Nose",        "Receding_Hairline", "Rosy_Cheeks",
    "Sideburns",        "Smiling",          "Straight_Hair",      "Wavy_Hair",         "Wearing_Earrings",
    "Wearing_Hat",      "Wearing_Lipstick", "Wearing_Necklace",   "Wearing_Necktie",   "Young"};

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Case-insensitive edit distance (insert, delete, substitute).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitute = diagonal + (fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_names(std::string_view name) {
  std::vector<std::pair<std::size_t, std::string_view>> ranked;
  for (std::string_view candidate : kNames) ranked.emplace_back(edit_distance(name, candidate), candidate);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string list;
  for (std::size_t i = 0; i < 3; ++i) {
    if (i > 0) list += ", ";
    list += ranked[i].second;
  }
  return list;
}

}  // namespace

const std::array<std::string_view, kCelebaAttributeCount>& celeba_attribute_names() { return kNames; }

int celeba_attribute_index(std::string_view name) {
  const auto found = std::find(kNames.begin(), kNames.end(), name);
  if (found != kNames.end()) return static_cast<int>(found - kNames.begin());
  throw Error("unknown CelebA attribute '" + std::string(name) + "' (closest: " + closest_names(name) + ")");
}

}  // namespace nn::data
