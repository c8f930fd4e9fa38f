#include "synthetic_face_traits.hpp"

#include <iterator>
#include <string_view>
#include <utility>

#include "face_random.hpp"
#include "nn/error.hpp"

namespace nn::data {

// The conditional probabilities below are chosen so that the marginals come
// out near CelebA's published attribute frequencies (Male 0.42, Young 0.77,
// No_Beard 0.83, Smiling 0.48, Eyeglasses 0.065, ...).
FaceTraits sample_face_traits(std::uint64_t seed, std::int64_t index) {
  FaceRandom random(seed, static_cast<std::uint64_t>(index), FaceStream::attributes);
  FaceTraits t;
  t.male = random.chance(0.417);
  t.young = random.chance(0.774);
  const bool female = !t.male;

  if (t.male) {
    const bool bearded = random.chance(0.40);
    t.no_beard = !bearded;
    t.goatee = bearded && random.chance(0.38);
    t.full_beard = bearded && !t.goatee;
    t.mustache = random.chance(bearded ? 0.20 : 0.033);
    t.sideburns = random.chance(bearded ? 0.30 : 0.03);
    t.five_o_clock_shadow = !bearded && random.chance(0.44);
    t.bald = random.chance(t.young ? 0.03 : 0.12);
    t.wearing_necktie = random.chance(0.175);
  }

  if (!t.bald) {
    if (random.chance(t.young ? 0.008 : 0.17)) {
      t.gray_hair = true;
    } else {
      const double u = random.uniform();
      const double blond = female ? 0.25 : 0.04, black = female ? 0.22 : 0.30, brown = female ? 0.24 : 0.19;
      t.blond_hair = u < blond;
      t.black_hair = u >= blond && u < blond + black;
      t.brown_hair = u >= blond + black && u < blond + black + brown;
    }
    const double style = random.uniform();
    const double wavy = female ? 0.45 : 0.14, straight = female ? 0.19 : 0.24;
    t.wavy_hair = style < wavy;
    t.straight_hair = style >= wavy && style < wavy + straight;
    t.bangs = random.chance(female ? 0.21 : 0.07);
    t.receding_hairline = !t.bangs && random.chance(t.young ? 0.055 : 0.21);
  }
  t.wearing_hat = random.chance(0.048);

  t.eyeglasses = random.chance(t.male ? 0.11 : 0.03);
  t.smiling = random.chance(0.482);
  t.mouth_slightly_open = random.chance(t.smiling ? 0.70 : 0.27);
  t.high_cheekbones = random.chance(t.smiling ? 0.78 : 0.15);

  if (female) {
    t.heavy_makeup = random.chance(0.66);
    t.wearing_lipstick = random.chance(t.heavy_makeup ? 0.97 : 0.47);
  }
  t.wearing_earrings = random.chance(female ? 0.30 : 0.03);
  t.wearing_necklace = random.chance(female ? 0.20 : 0.01);

  t.arched_eyebrows = random.chance(female ? 0.40 : 0.08);
  t.bushy_eyebrows = random.chance(female ? 0.065 : 0.25);
  t.big_nose = random.chance(female ? 0.13 : 0.38);
  t.pointy_nose = random.chance(female ? 0.36 : 0.16);
  t.big_lips = random.chance(female ? 0.28 : 0.19);
  t.narrow_eyes = random.chance(0.115);
  t.oval_face = random.chance(female ? 0.36 : 0.18);
  t.pale_skin = random.chance(female ? 0.06 : 0.02);
  t.rosy_cheeks = random.chance(female ? 0.10 : 0.02);
  t.chubby = random.chance(female ? 0.02 : 0.11);
  t.double_chin = random.chance(t.chubby ? 0.5 : 0.025);
  t.bags_under_eyes = random.chance(t.young ? 0.15 : 0.41);
  t.blurry = random.chance(0.051);
  t.attractive = random.chance(t.young ? (t.heavy_makeup ? 0.72 : 0.52) : 0.20);
  return t;
}

std::array<bool, kCelebaAttributeCount> attribute_row(const FaceTraits& t) {
  const std::pair<std::string_view, bool> named[] = {
      {"5_o_Clock_Shadow", t.five_o_clock_shadow}, {"Arched_Eyebrows", t.arched_eyebrows},
      {"Attractive", t.attractive},                {"Bags_Under_Eyes", t.bags_under_eyes},
      {"Bald", t.bald},                            {"Bangs", t.bangs},
      {"Big_Lips", t.big_lips},                    {"Big_Nose", t.big_nose},
      {"Black_Hair", t.black_hair},                {"Blond_Hair", t.blond_hair},
      {"Blurry", t.blurry},                        {"Brown_Hair", t.brown_hair},
      {"Bushy_Eyebrows", t.bushy_eyebrows},        {"Chubby", t.chubby},
      {"Double_Chin", t.double_chin},              {"Eyeglasses", t.eyeglasses},
      {"Goatee", t.goatee},                        {"Gray_Hair", t.gray_hair},
      {"Heavy_Makeup", t.heavy_makeup},            {"High_Cheekbones", t.high_cheekbones},
      {"Male", t.male},                            {"Mouth_Slightly_Open", t.mouth_slightly_open},
      {"Mustache", t.mustache},                    {"Narrow_Eyes", t.narrow_eyes},
      {"No_Beard", t.no_beard},                    {"Oval_Face", t.oval_face},
      {"Pale_Skin", t.pale_skin},                  {"Pointy_Nose", t.pointy_nose},
      {"Receding_Hairline", t.receding_hairline},  {"Rosy_Cheeks", t.rosy_cheeks},
      {"Sideburns", t.sideburns},                  {"Smiling", t.smiling},
      {"Straight_Hair", t.straight_hair},          {"Wavy_Hair", t.wavy_hair},
      {"Wearing_Earrings", t.wearing_earrings},    {"Wearing_Hat", t.wearing_hat},
      {"Wearing_Lipstick", t.wearing_lipstick},    {"Wearing_Necklace", t.wearing_necklace},
      {"Wearing_Necktie", t.wearing_necktie},      {"Young", t.young}};
  static_assert(std::size(named) == kCelebaAttributeCount);
  std::array<bool, kCelebaAttributeCount> row{};
  for (const auto& [name, value] : named) row[static_cast<std::size_t>(celeba_attribute_index(name))] = value;
  return row;
}

}  // namespace nn::data
