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

namespace {

using TraitField = bool FaceTraits::*;

// Each CelebA label and the trait that holds it.
constexpr std::pair<std::string_view, TraitField> kLabelledTraits[] = {
    {"5_o_Clock_Shadow", &FaceTraits::five_o_clock_shadow}, {"Arched_Eyebrows", &FaceTraits::arched_eyebrows},
    {"Attractive", &FaceTraits::attractive},                {"Bags_Under_Eyes", &FaceTraits::bags_under_eyes},
    {"Bald", &FaceTraits::bald},                            {"Bangs", &FaceTraits::bangs},
    {"Big_Lips", &FaceTraits::big_lips},                    {"Big_Nose", &FaceTraits::big_nose},
    {"Black_Hair", &FaceTraits::black_hair},                {"Blond_Hair", &FaceTraits::blond_hair},
    {"Blurry", &FaceTraits::blurry},                        {"Brown_Hair", &FaceTraits::brown_hair},
    {"Bushy_Eyebrows", &FaceTraits::bushy_eyebrows},        {"Chubby", &FaceTraits::chubby},
    {"Double_Chin", &FaceTraits::double_chin},              {"Eyeglasses", &FaceTraits::eyeglasses},
    {"Goatee", &FaceTraits::goatee},                        {"Gray_Hair", &FaceTraits::gray_hair},
    {"Heavy_Makeup", &FaceTraits::heavy_makeup},            {"High_Cheekbones", &FaceTraits::high_cheekbones},
    {"Male", &FaceTraits::male},                            {"Mouth_Slightly_Open", &FaceTraits::mouth_slightly_open},
    {"Mustache", &FaceTraits::mustache},                    {"Narrow_Eyes", &FaceTraits::narrow_eyes},
    {"No_Beard", &FaceTraits::no_beard},                    {"Oval_Face", &FaceTraits::oval_face},
    {"Pale_Skin", &FaceTraits::pale_skin},                  {"Pointy_Nose", &FaceTraits::pointy_nose},
    {"Receding_Hairline", &FaceTraits::receding_hairline},  {"Rosy_Cheeks", &FaceTraits::rosy_cheeks},
    {"Sideburns", &FaceTraits::sideburns},                  {"Smiling", &FaceTraits::smiling},
    {"Straight_Hair", &FaceTraits::straight_hair},          {"Wavy_Hair", &FaceTraits::wavy_hair},
    {"Wearing_Earrings", &FaceTraits::wearing_earrings},    {"Wearing_Hat", &FaceTraits::wearing_hat},
    {"Wearing_Lipstick", &FaceTraits::wearing_lipstick},    {"Wearing_Necklace", &FaceTraits::wearing_necklace},
    {"Wearing_Necktie", &FaceTraits::wearing_necktie},      {"Young", &FaceTraits::young}};
static_assert(std::size(kLabelledTraits) == kCelebaAttributeCount);

std::size_t column_of(std::string_view name) { return static_cast<std::size_t>(celeba_attribute_index(name)); }

}  // namespace

std::array<bool, kCelebaAttributeCount> attribute_row(const FaceTraits& t) {
  std::array<bool, kCelebaAttributeCount> row{};
  for (const auto& [name, field] : kLabelledTraits) row[column_of(name)] = t.*field;
  return row;
}

FaceTraits face_traits_from_row(const std::array<bool, kCelebaAttributeCount>& row) {
  FaceTraits t;
  for (const auto& [name, field] : kLabelledTraits) t.*field = row[column_of(name)];
  t.full_beard = !t.no_beard && !t.goatee;
  return t;
}

}  // namespace nn::data
