#pragma once
// The 40 labels of a synthetic face as named fields, drawn with CelebA-like
// frequencies and the dependencies between them (sex, age, smiling).
#include <array>
#include <cstdint>

#include "nn/data/celeba_attributes.hpp"

namespace nn::data {

struct FaceTraits {
  bool five_o_clock_shadow = false, arched_eyebrows = false, attractive = false, bags_under_eyes = false;
  bool bald = false, bangs = false, big_lips = false, big_nose = false;
  bool black_hair = false, blond_hair = false, blurry = false, brown_hair = false;
  bool bushy_eyebrows = false, chubby = false, double_chin = false, eyeglasses = false;
  bool goatee = false, gray_hair = false, heavy_makeup = false, high_cheekbones = false;
  bool male = false, mouth_slightly_open = false, mustache = false, narrow_eyes = false;
  bool no_beard = true, oval_face = false, pale_skin = false, pointy_nose = false;
  bool receding_hairline = false, rosy_cheeks = false, sideburns = false, smiling = false;
  bool straight_hair = false, wavy_hair = false, wearing_earrings = false, wearing_hat = false;
  bool wearing_lipstick = false, wearing_necklace = false, wearing_necktie = false, young = false;
  // Not a CelebA label: a full beard (No_Beard false without a goatee).
  bool full_beard = false;
};

FaceTraits sample_face_traits(std::uint64_t seed, std::int64_t index);
// The labels in CelebA's column order.
std::array<bool, kCelebaAttributeCount> attribute_row(const FaceTraits& traits);
// The traits a row of labels names, whether or not sample_face_traits ever
// draws them together; a beard without a goatee is a full beard.
FaceTraits face_traits_from_row(const std::array<bool, kCelebaAttributeCount>& row);

}  // namespace nn::data
