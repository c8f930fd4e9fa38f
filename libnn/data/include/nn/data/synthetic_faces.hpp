#pragma once
// Synthetic faces: a deterministic generator of procedurally drawn faces in
// CelebA's aligned layout (178 wide, 218 high, the face inside the crop
// window rows 59..186, columns 24..151) with all 40 CelebA attributes. The
// visible ones (hair colour and style, Bald, Bangs, Male, Smiling, Mouth_
// Slightly_Open, Eyeglasses, Mustache, Goatee/No_Beard, Wearing_Hat,
// Pale_Skin, Wearing_Lipstick, Heavy_Makeup, Rosy_Cheeks, Earrings, ...)
// are drawn; every label follows CelebA-like frequencies and constraints
// (one hair colour at most, none when bald, no facial hair on women).
// Face i of seed s is a pure function of (s, i): the same bytes on any
// machine and any number of threads.
#include <array>
#include <cstdint>
#include <string>

#include "nn/data/celeba_attributes.hpp"
#include "nn/data/progress.hpp"
#include "nn/image.hpp"

namespace nn::data {

inline constexpr int kSyntheticFaceWidth = 178;
inline constexpr int kSyntheticFaceHeight = 218;

// Where the face landed in the image (pixel coordinates, x right, y down):
// for tests and tools that look at particular parts.
struct SyntheticFaceLandmarks {
  double left_eye_x, left_eye_y, right_eye_x, right_eye_y;
  double mouth_x, mouth_y;
  double crown_x, crown_y;  // on the upper head, under the hair unless bald
  double head_rx, head_ry;  // head ellipse radii before tilt
  double tilt;              // radians, clockwise in the image
};

struct SyntheticFace {
  Image image;                                             // 178x218 RGB
  std::array<bool, kCelebaAttributeCount> attributes{};    // CelebA order
  SyntheticFaceLandmarks landmarks{};
};

// The labels of face `index` alone (cheap: nothing is drawn).
std::array<bool, kCelebaAttributeCount> synthetic_face_attributes(std::uint64_t seed, std::int64_t index);
// Labels and drawing of face `index`.
SyntheticFace render_synthetic_face(std::uint64_t seed, std::int64_t index);
// Face `index` drawn with `attributes` in place of its own labels: what the
// data's renderer makes of any request, combinations it never draws included
// (a man wearing lipstick, a bald head with blond hair). With the face's own
// labels it is render_synthetic_face(seed, index). A changed label may change
// unrelated details too (which random draws a trait consumes differs).
SyntheticFace render_synthetic_face(std::uint64_t seed, std::int64_t index,
                                    const std::array<bool, kCelebaAttributeCount>& attributes);
// CelebA's split: the first 80% of the faces train (0), the next 10%
// validate (1), the rest test (2).
int synthetic_face_partition(std::int64_t index, std::int64_t count);

// Writes dir/img_align_celeba/000001.jpg ..., dir/list_attr_celeba.txt and
// dir/list_eval_partition.txt for `count` faces, drawing in parallel, plus a
// stamp file naming the parameters. Refuses a non-empty folder that holds no
// stamp (it could be a real dataset). `progress` hears of every face written.
void write_synthetic_celeba(const std::string& dir, std::int64_t count, std::uint64_t seed,
                            const ProgressReport& progress = {});
// Reuses `dir` when it holds a complete set written with the same count,
// seed and generator version; regenerates it otherwise. Returns whether it
// (re)generated.
bool ensure_synthetic_celeba(const std::string& dir, std::int64_t count, std::uint64_t seed,
                             const ProgressReport& progress = {});

}  // namespace nn::data
