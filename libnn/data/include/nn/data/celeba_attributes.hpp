#pragma once
// The 40 CelebA attributes, in the order of list_attr_celeba's columns.
#include <array>
#include <string_view>

namespace nn::data {

inline constexpr int kCelebaAttributeCount = 40;

const std::array<std::string_view, kCelebaAttributeCount>& celeba_attribute_names();

// Column of `name` (exact spelling). An unknown name raises nn::Error that
// suggests the closest names.
int celeba_attribute_index(std::string_view name);

}  // namespace nn::data
