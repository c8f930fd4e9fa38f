// Draws one synthetic face from its traits. All lengths are in pixels in the
// face's own frame: origin at the head's centre, x right, y down; the frame
// is then tilted and placed in the 178x218 image.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "face_random.hpp"
#include "nn/data/synthetic_faces.hpp"
#include "raster.hpp"
#include "synthetic_face_traits.hpp"

namespace nn::data {
namespace {

using raster::Box;
using raster::Canvas;
using raster::Frame;
using raster::Rgb;
using raster::Vec2;

// Deterministic texture in [-1, 1] for a small cell around local point p.
double speckle(Vec2 p, double cell) {
  const auto ix = static_cast<std::uint32_t>(static_cast<std::int32_t>(std::floor(p.x / cell)));
  const auto iy = static_cast<std::uint32_t>(static_cast<std::int32_t>(std::floor(p.y / cell)));
  std::uint32_t h = ix * 0x8DA6B343u ^ iy * 0xD8163841u;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  return static_cast<double>(h & 0xFFFF) / 32767.5 - 1.0;
}

Rgb jitter(FaceRandom& random, Rgb c, double amount) {
  return {c.r + random.uniform(-amount, amount), c.g + random.uniform(-amount, amount),
          c.b + random.uniform(-amount, amount)};
}

Vec2 mirror(Vec2 p, double side) { return {p.x * side, p.y}; }

// Every number of the drawing, drawn once from the geometry stream.
struct Face {
  FaceTraits t;
  Vec2 centre;
  double tilt = 0;
  double rx = 0, ry = 0;
  Rgb skin, hair, brow, lips, iris, clothes, background_top, background_bottom, hat, hat_band, frames, jewel,
      eyeshadow;
  double background_slant = 0;
  double light_x = 0, light_y = 0, light_strength = 0, gain = 1, noise = 0;
  double eye_x = 0, eye_y = 0, eye_w = 0, eye_h = 0, gaze = 0;
  double brow_y = 0, brow_arch = 0, brow_thickness = 0;
  double nose_y = 0, nose_w = 0;
  double mouth_y = 0, mouth_w = 0, upper_lip = 0, lower_lip = 0, smile = 0, gap = 0;
  double hair_bottom = 0, hair_width = 0, hairline = 0, wave_amount = 0;
  bool long_hair = false, hoop_earrings = false, beanie = false, round_lenses = false, sunglasses = false;
};

Rgb hair_colour(const FaceTraits& t, FaceRandom& random) {
  if (t.black_hair) return jitter(random, {28, 22, 20}, 7);
  if (t.brown_hair) return jitter(random, {98, 62, 36}, 14);
  if (t.blond_hair) return jitter(random, {222, 188, 118}, 14);
  if (t.gray_hair) return jitter(random, {172, 170, 166}, 18);
  // Unlabelled colours in between, as in CelebA.
  const Rgb others[] = {{58, 40, 30}, {138, 64, 36}, {162, 124, 80}, {176, 88, 46}};
  return jitter(random, others[random.below(4)], 10);
}

Face layout(const FaceTraits& t, std::uint64_t seed, std::int64_t index) {
  FaceRandom random(seed, static_cast<std::uint64_t>(index), FaceStream::geometry);
  Face f;
  f.t = t;
  const double size = random.uniform(0.92, 1.08) * (t.male ? 1.0 : 0.96);
  f.rx = 44.0 * size * (t.chubby ? 1.1 : 1.0) * (t.oval_face ? 0.94 : 1.0);
  f.ry = 57.0 * size * (t.oval_face ? 1.04 : 1.0);
  f.centre = {89.0 + random.uniform(-4.5, 4.5), 121.0 + random.uniform(-4.0, 4.0)};
  f.tilt = random.uniform(-0.12, 0.12);

  const double tone = random.uniform();
  f.skin = t.pale_skin ? jitter(random, {246, 222, 208}, 5)
                       : jitter(random, raster::mix({118, 78, 56}, {236, 192, 164}, 0.25 + 0.75 * tone), 6);
  f.hair = hair_colour(t, random);
  f.brow = t.blond_hair || t.gray_hair ? raster::scale(f.hair, 0.7) : raster::scale(f.hair, 0.8);
  if (t.bald) f.brow = jitter(random, {70, 52, 40}, 10);
  f.lips = t.wearing_lipstick ? jitter(random, random.chance(0.7) ? Rgb{188, 28, 48} : Rgb{200, 70, 110}, 12)
                              : raster::mix(f.skin, {170, 80, 80}, random.uniform(0.35, 0.55));
  const Rgb irises[] = {{78, 50, 30}, {60, 40, 24}, {70, 110, 150}, {80, 110, 70}};
  f.iris = jitter(random, irises[random.below(4)], 8);
  f.clothes = {random.uniform(30, 210), random.uniform(30, 210), random.uniform(30, 210)};
  f.background_top = {random.uniform(40, 235), random.uniform(40, 235), random.uniform(40, 235)};
  const Rgb second{random.uniform(20, 240), random.uniform(20, 240), random.uniform(20, 240)};
  f.background_bottom = raster::mix(f.background_top, second, random.uniform(0.2, 0.8));
  f.background_slant = random.uniform(-0.5, 0.5);
  f.hat = {random.uniform(20, 200), random.uniform(20, 200), random.uniform(20, 200)};
  f.hat_band = raster::scale(f.hat, 0.55);
  f.beanie = random.chance(0.4);
  const Rgb frames[] = {{18, 18, 20}, {58, 34, 24}, {70, 72, 80}};
  f.frames = frames[random.below(3)];
  f.round_lenses = random.chance(0.5);
  f.sunglasses = random.chance(0.15);
  f.jewel = random.chance(0.6) ? Rgb{228, 186, 72} : Rgb{212, 212, 222};
  f.hoop_earrings = random.chance(0.4);
  const Rgb shadows[] = {{120, 80, 140}, {110, 70, 50}, {70, 100, 150}, {150, 90, 90}};
  f.eyeshadow = shadows[random.below(4)];

  f.light_x = random.uniform(-1, 1);
  f.light_y = random.uniform(-0.6, 0.6);
  f.light_strength = random.uniform(0.04, 0.22);
  f.gain = random.uniform(0.86, 1.1);
  f.noise = random.uniform(1.5, 6.0);

  f.eye_x = f.rx * random.uniform(0.37, 0.43);
  f.eye_y = -f.ry * random.uniform(0.08, 0.13);
  f.eye_w = f.rx * random.uniform(0.18, 0.21);
  f.eye_h = f.eye_w * (t.narrow_eyes ? 0.28 : random.uniform(0.45, 0.55)) * (t.smiling ? 0.85 : 1.0);
  f.gaze = random.uniform(-0.25, 0.25) * f.eye_w;
  f.brow_y = f.eye_y - f.ry * random.uniform(0.15, 0.19);
  f.brow_arch = f.ry * (t.arched_eyebrows ? 0.075 : 0.025);
  f.brow_thickness = t.bushy_eyebrows ? 4.0 : (t.male ? 2.4 : 2.0);

  f.nose_w = f.rx * (t.big_nose ? 0.21 : (t.pointy_nose ? 0.12 : 0.15));
  f.nose_y = f.ry * (t.big_nose || t.pointy_nose ? 0.28 : 0.24);
  f.mouth_y = f.ry * random.uniform(0.5, 0.55);
  f.mouth_w = f.rx * (t.smiling ? 0.34 : 0.28) * random.uniform(0.92, 1.08);
  f.upper_lip = f.ry * (t.big_lips ? 0.065 : 0.035);
  f.lower_lip = f.ry * (t.big_lips ? 0.085 : 0.05);
  f.smile = f.ry * (t.smiling ? 0.075 : random.uniform(-0.01, 0.01));
  f.gap = t.mouth_slightly_open ? f.ry * (t.smiling ? 0.075 : 0.045) : 0.0;

  f.long_hair = !t.male && random.chance(0.88);
  f.hair_bottom = f.ry * (f.long_hair ? random.uniform(1.1, 1.6) : random.uniform(0.25, 0.6));
  f.hair_width = f.rx * random.uniform(1.14, 1.32);
  f.hairline = -f.ry * random.uniform(0.5, 0.58);
  f.wave_amount = t.wavy_hair ? 2.2 : (t.straight_hair ? 0.0 : 0.8);
  return f;
}

class Painter {
 public:
  Painter(const Face& face, Canvas& canvas)
      : f_(face),
        t_(face.t),
        canvas_(canvas),
        frame_(face.centre, raster::small_angle_sin(face.tilt), raster::small_angle_cos(face.tilt)) {}

  void draw() {
    background();
    body();
    if (!t_.bald) back_hair();
    neck();
    ears();
    head();
    facial_hair();
    skin_details();
    eyes();
    brows();
    nose();
    mouth();
    if (!t_.bald) front_hair();
    if (t_.wearing_earrings) earrings();
    if (t_.eyeglasses) glasses();
    if (t_.wearing_hat) hat();
  }

  const Frame& frame() const { return frame_; }

 private:
  template <class Distance>
  void fill(Box box, Distance&& distance, Rgb colour, double opacity = 1.0, double softness = 1.0) {
    raster::fill(canvas_, frame_, box, std::forward<Distance>(distance), colour, opacity, softness);
  }
  template <class Distance, class Colour>
  void paint(Box box, Distance&& distance, Colour&& colour, double opacity = 1.0, double softness = 1.0) {
    raster::paint(canvas_, frame_, box, std::forward<Distance>(distance), std::forward<Colour>(colour), opacity,
                  softness);
  }
  // A stroke of the given width along a polyline.
  void stroke(const std::vector<Vec2>& points, double width, Rgb colour, double opacity = 1.0,
              double softness = 1.0) {
    fill(raster::bounds(points, width + softness),
         [&](Vec2 p) { return raster::polyline_distance(p, points) - width / 2; }, colour, opacity, softness);
  }
  Box head_box(double margin) const { return {-f_.rx - margin, -f_.ry - margin, f_.rx + margin, f_.ry + margin}; }

  double head_distance(Vec2 p) const {
    const double oval = raster::ellipse_distance(p, {0, 0}, f_.rx, f_.ry);
    if (t_.male) {
      const double jaw = raster::rounded_box_distance(p, {0, 0.35 * f_.ry}, {0.8 * f_.rx, 0.62 * f_.ry}, 0.45 * f_.rx);
      return std::min(oval, jaw);
    }
    return std::max(oval, raster::ellipse_distance(p, {0, -0.25 * f_.ry}, 1.05 * f_.rx, 1.25 * f_.ry));
  }

  Rgb hair_texture(Vec2 p) const {
    const double bend = t_.wavy_hair ? 0.45 * raster::wave(p.y / 16.0) : 0.2 * raster::wave(p.y / 40.0);
    const double strands = f_.long_hair
                               ? 0.05 * raster::wave(p.x / 2.3 + bend) + 0.06 * raster::wave(p.x / 8.5 + 0.5 * bend)
                               : 0.07 * speckle(p, 1.2) + 0.03 * raster::wave(p.x / 2.3 + bend);
    const double shine = 1.06 - 0.16 * ((p.y + f_.ry) / (2.5 * f_.ry));
    return raster::scale(f_.hair, shine * (1.0 + strands));
  }

  void background() {
    const double w = canvas_.width(), h = canvas_.height();
    for (int y = 0; y < canvas_.height(); ++y) {
      for (int x = 0; x < canvas_.width(); ++x) {
        const double s = ((x - w / 2) * f_.background_slant + (y - h / 2)) / h + 0.5;
        const Rgb c = raster::mix(f_.background_top, f_.background_bottom, std::clamp(s, 0.0, 1.0));
        double* px = canvas_.at(x, y);
        px[0] = c.r, px[1] = c.g, px[2] = c.b;
      }
    }
  }

  void body() {
    const double top = 1.22 * f_.ry;
    const Vec2 centre{0, top + 0.62 * f_.ry};
    const double brx = 2.1 * f_.rx, bry = 0.62 * f_.ry;
    const Box box{-brx, top, brx, top + 2 * bry};
    paint(box, [&](Vec2 p) { return raster::ellipse_distance(p, centre, brx, bry); },
          [&](Vec2 p) { return raster::scale(f_.clothes, 1.0 - 0.25 * (p.x * p.x) / (brx * brx)); });
    const double nx = 0.36 * f_.rx;
    if (t_.wearing_necktie) {
      const std::vector<Vec2> shirt = {{-nx * 1.2, top - 2}, {nx * 1.2, top - 2}, {0, top + 0.75 * f_.ry}};
      fill(raster::bounds(shirt, 2), [&](Vec2 p) { return raster::polygon_distance(p, shirt); }, {236, 236, 240});
      const std::vector<Vec2> knot = {{-0.09 * f_.rx, top + 1}, {0.09 * f_.rx, top + 1}, {0.06 * f_.rx, top + 0.12 * f_.ry},
                                      {-0.06 * f_.rx, top + 0.12 * f_.ry}};
      const std::vector<Vec2> blade = {{-0.06 * f_.rx, top + 0.12 * f_.ry}, {0.06 * f_.rx, top + 0.12 * f_.ry},
                                       {0.14 * f_.rx, top + 0.6 * f_.ry}, {0, top + 0.72 * f_.ry},
                                       {-0.14 * f_.rx, top + 0.6 * f_.ry}};
      const Rgb tie = raster::scale(f_.hat, 0.8);
      fill(raster::bounds(blade, 2), [&](Vec2 p) { return raster::polygon_distance(p, blade); }, tie);
      fill(raster::bounds(knot, 2), [&](Vec2 p) { return raster::polygon_distance(p, knot); }, raster::scale(tie, 0.8));
    } else {
      const std::vector<Vec2> neckline = {{-nx, top - 2}, {nx, top - 2}, {0, top + 0.35 * f_.ry}};
      fill(raster::bounds(neckline, 2), [&](Vec2 p) { return raster::polygon_distance(p, neckline); },
           raster::scale(f_.skin, 0.86));
    }
  }

  void back_hair() {
    const double top_y = -0.1 * f_.ry, top_ry = (t_.male ? 1.08 : 1.14) * f_.ry;
    const double bottom = t_.male ? 0.1 * f_.ry : f_.hair_bottom;
    const double width = t_.male ? 1.08 * f_.rx : f_.hair_width;
    const Box box{-width - 4, top_y - top_ry - 4, width + 4, std::max(bottom, 0.3 * f_.ry) + 4};
    paint(box,
          [&](Vec2 p) {
            const double crown = raster::ellipse_distance(p, {0, top_y}, width, top_ry);
            const double d =
                f_.long_hair
                    ? std::min(crown, raster::rounded_box_distance(p, {0, bottom / 2}, {width * 0.98, bottom / 2},
                                                                   0.3 * f_.rx))
                    : std::max(crown, p.y - bottom);
            return d + f_.wave_amount * raster::wave(p.y / 18.0);
          },
          [&](Vec2 p) { return hair_texture(p); });
  }

  void neck() {
    const double half_w = 0.42 * f_.rx * (t_.male ? 1.15 : 1.0);
    const Vec2 centre{0, 0.98 * f_.ry};
    fill({-half_w, 0.4 * f_.ry, half_w, 1.6 * f_.ry},
         [&](Vec2 p) { return raster::rounded_box_distance(p, centre, {half_w, 0.5 * f_.ry}, 0.12 * f_.rx); },
         raster::scale(f_.skin, 0.84));
    if (t_.wearing_necklace) {
      const double y0 = 1.18 * f_.ry;
      const auto chain = raster::quadratic_curve({-half_w * 0.95, y0 - 0.08 * f_.ry}, {0, y0 + 0.3 * f_.ry},
                                                 {half_w * 0.95, y0 - 0.08 * f_.ry}, 16);
      stroke(chain, 1.6, f_.jewel);
      const Vec2 pendant{0, y0 + 0.15 * f_.ry};
      fill({-4, pendant.y - 4, 4, pendant.y + 4},
           [&](Vec2 p) { return raster::ellipse_distance(p, pendant, 2.6, 3.2); }, f_.jewel);
    }
    if (t_.double_chin) {
      const Vec2 chin{0, 0.98 * f_.ry};
      fill({-0.5 * f_.rx, 0.8 * f_.ry, 0.5 * f_.rx, 1.15 * f_.ry},
           [&](Vec2 p) { return raster::ellipse_distance(p, chin, 0.5 * f_.rx, 0.15 * f_.ry); },
           raster::scale(f_.skin, 0.94));
    }
  }

  void ears() {
    for (double side : {-1.0, 1.0}) {
      const Vec2 ear{side * 0.98 * f_.rx, 0.02 * f_.ry};
      const double erx = 0.14 * f_.rx, ery = 0.2 * f_.ry;
      fill({ear.x - erx, ear.y - ery, ear.x + erx, ear.y + ery},
           [&](Vec2 p) { return raster::ellipse_distance(p, ear, erx, ery); }, raster::scale(f_.skin, 0.9));
      const Vec2 inner{ear.x + side * 0.02 * f_.rx, ear.y};
      fill({inner.x - erx, inner.y - ery, inner.x + erx, inner.y + ery},
           [&](Vec2 p) { return raster::ellipse_distance(p, inner, erx * 0.5, ery * 0.6); },
           raster::scale(f_.skin, 0.72), 0.6, 2.0);
    }
  }

  void head() {
    paint(head_box(2), [&](Vec2 p) { return head_distance(p); },
          [&](Vec2 p) {
            const double x = p.x / f_.rx, y = p.y / f_.ry;
            return raster::scale(f_.skin, 1.03 - 0.17 * (x * x + 0.6 * y * y));
          });
    if (t_.double_chin) {
      stroke(raster::quadratic_curve({-0.38 * f_.rx, 0.9 * f_.ry}, {0, 1.08 * f_.ry}, {0.38 * f_.rx, 0.9 * f_.ry}, 12),
             1.4, raster::scale(f_.skin, 0.68), 0.45, 1.5);
    }
  }

  // Top edge of a beard-like region: under the mouth in the middle, rising
  // to `side_y` at the jaw's corners.
  static double jaw_region_top(double x, double rx, double centre_y, double side_y) {
    const double s = std::min(1.0, (x * x) / (0.64 * rx * rx));
    return centre_y + (side_y - centre_y) * s;
  }

  void facial_hair() {
    const Rgb beard = t_.bald ? Rgb{70, 55, 45} : raster::scale(f_.hair, 0.85);
    const auto textured = [&](Vec2 p) { return raster::scale(beard, 1.0 + 0.18 * speckle(p, 1.2)); };
    if (t_.sideburns) {
      for (double side : {-1.0, 1.0}) {
        const Vec2 centre{side * 0.9 * f_.rx, -0.05 * f_.ry};
        const Vec2 half{0.1 * f_.rx, 0.28 * f_.ry};
        paint({centre.x - half.x - 2, centre.y - half.y - 2, centre.x + half.x + 2, centre.y + half.y + 2},
              [&](Vec2 p) {
                return std::max(raster::rounded_box_distance(p, centre, half, 2.0), head_distance(p) + 0.5);
              },
              textured);
      }
    }
    if (t_.five_o_clock_shadow) {
      paint(head_box(1),
            [&](Vec2 p) {
              const double top = jaw_region_top(p.x, f_.rx, f_.nose_y + 0.06 * f_.ry, 0.1 * f_.ry);
              return std::max(head_distance(p), top - p.y);
            },
            [&](Vec2 p) { return raster::scale(Rgb{70, 66, 76}, 1.0 + 0.25 * speckle(p, 1.0)); }, 0.2, 5.0);
    }
    if (t_.full_beard) {
      paint(head_box(2),
            [&](Vec2 p) {
              const double top = jaw_region_top(p.x, f_.rx, f_.mouth_y + 0.04 * f_.ry, 0.05 * f_.ry);
              return std::max(head_distance(p) - 1.0, top - p.y) + 1.2 * speckle(p, 2.0);
            },
            textured);
    }
    if (t_.goatee) {
      const Vec2 centre{0, 0.8 * f_.ry};
      paint({-0.25 * f_.rx, 0.55 * f_.ry, 0.25 * f_.rx, 1.05 * f_.ry},
            [&](Vec2 p) {
              return std::max(raster::ellipse_distance(p, centre, 0.2 * f_.rx, 0.2 * f_.ry), head_distance(p)) +
                     0.8 * speckle(p, 2.0);
            },
            textured);
    }
  }

  void skin_details() {
    for (double side : {-1.0, 1.0}) {
      const Vec2 cheek{side * 0.52 * f_.rx, 0.22 * f_.ry};
      const Box cheek_box{cheek.x - 0.3 * f_.rx, cheek.y - 0.2 * f_.ry, cheek.x + 0.3 * f_.rx, cheek.y + 0.2 * f_.ry};
      const auto cheek_shape = [&](Vec2 p) { return raster::ellipse_distance(p, cheek, 0.17 * f_.rx, 0.1 * f_.ry); };
      if (t_.high_cheekbones) {
        const Vec2 bone{side * 0.5 * f_.rx, 0.08 * f_.ry};
        fill(cheek_box, [&](Vec2 p) { return raster::ellipse_distance(p, bone, 0.2 * f_.rx, 0.07 * f_.ry); },
             raster::scale(f_.skin, 1.14), 0.5, 5.0);
        const Vec2 hollow{side * 0.55 * f_.rx, 0.32 * f_.ry};
        fill(cheek_box, [&](Vec2 p) { return raster::ellipse_distance(p, hollow, 0.15 * f_.rx, 0.05 * f_.ry); },
             raster::scale(f_.skin, 0.8), 0.4, 5.0);
      }
      if (t_.heavy_makeup) fill(cheek_box, cheek_shape, {214, 112, 122}, 0.25, 7.0);
      if (t_.rosy_cheeks) fill(cheek_box, cheek_shape, {228, 92, 108}, 0.42, 6.0);
      if (t_.bags_under_eyes) {
        const double x = side * f_.eye_x;
        const double y = f_.eye_y + 1.6 * f_.eye_h + 1.5;
        stroke(raster::quadratic_curve({x - side * 0.55 * f_.eye_w, y},
                                       {x + side * 0.1 * f_.eye_w, y + 1.6 * f_.eye_h + 2.0},
                                       {x + side * 0.75 * f_.eye_w, y - 0.2 * f_.eye_h}, 10),
               2.0, raster::mix(raster::scale(f_.skin, 0.7), {90, 60, 100}, 0.25), 0.4, 2.2);
      }
      if (!t_.young || t_.smiling) {
        const double depth = t_.young ? 0.2 : 0.32;
        stroke(raster::quadratic_curve(mirror({0.2 * f_.rx, f_.nose_y - 0.02 * f_.ry}, side),
                                       mirror({0.36 * f_.rx, f_.mouth_y - 0.12 * f_.ry}, side),
                                       mirror({f_.mouth_w + 0.06 * f_.rx, f_.mouth_y + 0.05 * f_.ry}, side), 10),
               1.3, raster::scale(f_.skin, 0.66), depth, 1.6);
      }
    }
    if (!t_.young) {
      for (double y : {-0.5 * f_.ry, -0.58 * f_.ry}) {
        stroke(raster::quadratic_curve({-0.32 * f_.rx, y + 1.5}, {0, y - 1.5}, {0.32 * f_.rx, y + 1.5}, 10), 0.9,
               raster::scale(f_.skin, 0.7), 0.3, 1.4);
      }
    }
  }

  void eyes() {
    for (double side : {-1.0, 1.0}) {
      const Vec2 eye{side * f_.eye_x, f_.eye_y};
      const double w = f_.eye_w, h = f_.eye_h;
      const Box box{eye.x - 1.5 * w, eye.y - 3.5 * h - 4, eye.x + 1.5 * w, eye.y + 2 * h + 3};
      if (t_.heavy_makeup) {
        const Vec2 lid{eye.x, eye.y - 1.1 * h};
        fill(box, [&](Vec2 p) { return raster::ellipse_distance(p, lid, 1.15 * w, 1.5 * h + 1.5); }, f_.eyeshadow,
             0.55, 3.0);
      }
      const auto white = [&](Vec2 p) { return raster::ellipse_distance(p, eye, w, h); };
      fill(box, white, {236, 232, 226});
      const Vec2 iris{eye.x + f_.gaze, eye.y};
      const double iris_r = std::max(h, 0.45 * w) * 0.98;
      fill(box, [&](Vec2 p) { return std::max(raster::ellipse_distance(p, iris, iris_r, iris_r), white(p)); }, f_.iris);
      fill(box, [&](Vec2 p) { return std::max(raster::ellipse_distance(p, iris, 0.45 * iris_r, 0.45 * iris_r), white(p)); },
           {16, 12, 12});
      const Vec2 glint{iris.x + 0.3 * iris_r, iris.y - 0.3 * iris_r};
      fill(box, [&](Vec2 p) { return raster::ellipse_distance(p, glint, 0.8, 0.8); }, {250, 250, 250}, 0.8);
      const auto lid = raster::quadratic_curve({eye.x - w * 1.05, eye.y + 0.1 * h}, {eye.x, eye.y - 2.1 * h},
                                               {eye.x + w * 1.05, eye.y + 0.1 * h}, 12);
      stroke(lid, t_.heavy_makeup ? 2.4 : 1.4, {36, 24, 24});
      const auto lower = raster::quadratic_curve({eye.x - w, eye.y + 0.1 * h}, {eye.x, eye.y + 2.0 * h},
                                                 {eye.x + w, eye.y + 0.1 * h}, 10);
      stroke(lower, 0.9, raster::scale(f_.skin, 0.6), 0.5);
    }
  }

  void brows() {
    const double length = f_.rx * (t_.bushy_eyebrows ? 0.5 : 0.46);
    for (double side : {-1.0, 1.0}) {
      const Vec2 inner = mirror({0.13 * f_.rx, f_.brow_y + 0.01 * f_.ry}, side);
      const Vec2 outer = mirror({0.13 * f_.rx + length, f_.brow_y + 0.035 * f_.ry}, side);
      const Vec2 control = mirror({0.13 * f_.rx + 0.6 * length, f_.brow_y - 2.0 * f_.brow_arch}, side);
      stroke(raster::quadratic_curve(inner, control, outer, 12), f_.brow_thickness, f_.brow, 0.95, 1.3);
    }
  }

  void nose() {
    const double w = f_.nose_w, y = f_.nose_y;
    const Rgb shade = raster::scale(f_.skin, 0.72);
    for (double side : {-1.0, 1.0}) {
      stroke(raster::quadratic_curve(mirror({0.07 * f_.rx, f_.eye_y + 0.06 * f_.ry}, side),
                                     mirror({0.08 * f_.rx, y - 0.12 * f_.ry}, side),
                                     mirror({0.9 * w, y - 0.02 * f_.ry}, side), 10),
             1.2, shade, 0.32, 1.6);
    }
    const Box box{-2 * w, y - 0.3 * f_.ry, 2 * w, y + 0.1 * f_.ry};
    if (t_.pointy_nose) {
      const std::vector<Vec2> tip = {{-0.55 * w, y - 0.1 * f_.ry}, {0.55 * w, y - 0.1 * f_.ry}, {0, y + 0.035 * f_.ry}};
      fill(box, [&](Vec2 p) { return raster::polygon_distance(p, tip); }, raster::scale(f_.skin, 0.85), 0.35, 1.5);
    }
    fill(box, [&](Vec2 p) { return raster::ellipse_distance(p, {0, y + 0.02 * f_.ry}, w, 0.05 * f_.ry); },
         raster::scale(f_.skin, 0.8), 0.4, 2.0);
    fill(box, [&](Vec2 p) { return raster::ellipse_distance(p, {0, y - 0.035 * f_.ry}, 0.45 * w, 0.045 * f_.ry); },
         raster::scale(f_.skin, 1.12), 0.5, 2.0);
    for (double side : {-1.0, 1.0}) {
      const Vec2 nostril{side * 0.45 * w, y + 0.015 * f_.ry};
      fill(box, [&](Vec2 p) { return raster::ellipse_distance(p, nostril, 0.26 * w, 0.022 * f_.ry); }, {72, 40, 34},
           0.75);
    }
  }

  // The mouth's centre line at x, bent up at the corners when smiling.
  double mouth_line(double x) const {
    const double u = x / f_.mouth_w;
    return f_.mouth_y - f_.smile * u * u;
  }

  void mouth() {
    const double w = f_.mouth_w;
    const auto taper = [&](double x) {
      const double u = x / w;
      return std::max(0.0, 1.0 - u * u);
    };
    const Box box{-w - 2, f_.mouth_y - f_.smile - f_.upper_lip - f_.gap - 3, w + 2,
                  f_.mouth_y + f_.lower_lip + f_.gap + 3};
    paint(box,
          [&](Vec2 p) {
            const double c = mouth_line(p.x), k = taper(p.x);
            const double top = c - (f_.gap / 2 + f_.upper_lip) * k - 0.6;
            const double bottom = c + (f_.gap / 2 + f_.lower_lip) * k + 0.6;
            return std::max(std::abs(p.x) - w, std::max(top - p.y, p.y - bottom));
          },
          [&](Vec2 p) { return raster::scale(f_.lips, p.y > mouth_line(p.x) ? 1.08 : 0.92); });
    if (f_.gap > 0) {
      const auto gap = [&](Vec2 p) {
        const double c = mouth_line(p.x), k = taper(p.x) * f_.gap / 2;
        return std::max(std::abs(p.x) - 0.92 * w, std::max(c - k - p.y, p.y - c - k));
      };
      fill(box, gap, {58, 20, 26});
      if (t_.smiling) {
        fill(box, [&](Vec2 p) { return std::max(gap(p), p.y - mouth_line(p.x) + 0.1 * f_.gap); }, {236, 232, 222});
      }
    } else {
      std::vector<Vec2> line;
      for (int i = 0; i <= 12; ++i) {
        const double x = -w + 2 * w * i / 12.0;
        line.push_back({x, mouth_line(x)});
      }
      stroke(line, 1.1, raster::scale(f_.lips, 0.5), 0.85);
    }
    if (t_.mustache) {
      const Rgb colour = t_.bald ? Rgb{70, 55, 45} : raster::scale(f_.hair, 0.85);
      const double y = f_.mouth_y - f_.smile * 0.6;
      const auto shape = raster::quadratic_curve({-1.08 * w, y + 0.01 * f_.ry},
                                                 {0, f_.mouth_y - f_.upper_lip - 0.14 * f_.ry},
                                                 {1.08 * w, y + 0.01 * f_.ry}, 14);
      paint(raster::bounds(shape, 0.08 * f_.ry + 2),
            [&](Vec2 p) { return raster::polyline_distance(p, shape) - 0.05 * f_.ry + 0.6 * speckle(p, 1.5); },
            [&](Vec2 p) { return raster::scale(colour, 1.0 + 0.15 * speckle(p, 1.2)); });
    }
  }

  // Where the hair ends on the forehead, at x.
  double hairline(double x) const {
    if (t_.bangs) return f_.brow_y - 0.07 * f_.ry + 2.2 * raster::wave(x / 7.0) + 0.12 * f_.ry * (x / f_.rx) * (x / f_.rx);
    const double u = x / f_.rx;
    double y = f_.hairline + 0.32 * f_.ry * u * u;
    if (!f_.long_hair) {
      // Short hair: a flatter line across the forehead that drops in front
      // of the ears.
      const double side = std::max(0.0, std::abs(u) - 0.7);
      y = f_.hairline + 0.12 * f_.ry * u * u + 2.6 * f_.ry * side;
    }
    if (t_.receding_hairline) {
      const double v = (std::abs(u) - 0.42) / 0.3;
      y -= 0.2 * f_.ry * std::max(0.0, 1.0 - v * v);
    }
    return y;
  }

  void front_hair() {
    const Vec2 cap_centre{0, -0.1 * f_.ry};
    const double cap_rx = 1.06 * f_.rx, cap_ry = 1.07 * f_.ry;
    paint({-cap_rx - 3, cap_centre.y - cap_ry - 3, cap_rx + 3, 0.3 * f_.ry},
          [&](Vec2 p) {
            const double cap = raster::ellipse_distance(p, cap_centre, cap_rx, cap_ry) +
                               0.5 * f_.wave_amount * raster::wave(p.y / 11.0) + 0.8 * raster::wave(p.x / 7.0);
            return std::max(cap, p.y - hairline(p.x));
          },
          [&](Vec2 p) { return hair_texture(p); });
  }

  void earrings() {
    for (double side : {-1.0, 1.0}) {
      const Vec2 lobe{side * 1.0 * f_.rx, 0.2 * f_.ry + 1.5};
      if (f_.hoop_earrings) {
        const Vec2 hoop{lobe.x, lobe.y + 3.5};
        fill({hoop.x - 6, hoop.y - 6, hoop.x + 6, hoop.y + 6},
             [&](Vec2 p) { return std::abs(raster::ellipse_distance(p, hoop, 3.6, 4.2)) - 0.8; }, f_.jewel);
      } else {
        fill({lobe.x - 4, lobe.y - 4, lobe.x + 4, lobe.y + 4},
             [&](Vec2 p) { return raster::ellipse_distance(p, lobe, 2.4, 2.4); }, f_.jewel);
      }
    }
  }

  void glasses() {
    const double lrx = 1.55 * f_.eye_w, lry = 0.14 * f_.ry, thickness = 2.0;
    const double y = f_.eye_y + 0.01 * f_.ry;
    for (double side : {-1.0, 1.0}) {
      const Vec2 lens{side * f_.eye_x, y};
      const auto outline = [&](Vec2 p) {
        return f_.round_lenses ? raster::ellipse_distance(p, lens, lrx, lry)
                               : raster::rounded_box_distance(p, lens, {lrx, lry}, 0.45 * lry);
      };
      const Box box{lens.x - lrx - 3, lens.y - lry - 3, lens.x + lrx + 3, lens.y + lry + 3};
      if (f_.sunglasses) {
        fill(box, outline, {22, 22, 28}, 0.85);
      } else {
        fill(box, outline, {200, 220, 235}, 0.12);
      }
      fill(box, [&](Vec2 p) { return std::abs(outline(p)) - thickness / 2; }, f_.frames);
      stroke({{side * (f_.eye_x + lrx), y - 0.3 * lry}, {side * 0.97 * f_.rx, y - 0.2 * lry}}, 1.6, f_.frames);
    }
    const double inner = f_.eye_x - lrx;
    stroke(raster::quadratic_curve({-inner, y - 0.2 * lry}, {0, y - 0.6 * lry}, {inner, y - 0.2 * lry}, 6), 1.8,
           f_.frames);
  }

  void hat() {
    if (f_.beanie) {
      const Vec2 centre{0, -0.5 * f_.ry};
      const double hrx = 1.12 * f_.rx, hry = 0.74 * f_.ry, rim = -0.4 * f_.ry;
      fill({-hrx - 2, centre.y - hry - 2, hrx + 2, rim + 2},
           [&](Vec2 p) { return std::max(raster::ellipse_distance(p, centre, hrx, hry), p.y - rim); }, f_.hat);
      fill({-hrx - 2, rim - 0.2 * f_.ry, hrx + 2, rim + 2},
           [&](Vec2 p) { return raster::rounded_box_distance(p, {0, rim - 0.07 * f_.ry}, {hrx, 0.08 * f_.ry}, 2.0); },
           f_.hat_band);
      return;
    }
    const Vec2 centre{0, -0.55 * f_.ry};
    const double hrx = 1.08 * f_.rx, hry = 0.66 * f_.ry, base = -0.5 * f_.ry;
    fill({-hrx - 2, centre.y - hry - 2, hrx + 2, base + 2},
         [&](Vec2 p) { return std::max(raster::ellipse_distance(p, centre, hrx, hry), p.y - base); }, f_.hat);
    fill({-hrx - 2, base - 0.2 * f_.ry, hrx + 2, base},
         [&](Vec2 p) { return std::max(std::abs(p.y - (base - 0.1 * f_.ry)) - 0.05 * f_.ry, std::abs(p.x) - hrx * 0.98); },
         f_.hat_band);
    const double brim = 1.5 * f_.rx;
    fill({-brim - 2, base - 0.1 * f_.ry, brim + 2, base + 0.1 * f_.ry},
         [&](Vec2 p) { return raster::rounded_box_distance(p, {0, base}, {brim, 0.06 * f_.ry}, 0.05 * f_.ry); },
         raster::scale(f_.hat, 0.85));
  }

  const Face& f_;
  const FaceTraits& t_;
  Canvas& canvas_;
  Frame frame_;
};

// Lighting across the image, Blurry's blur, then sensor noise.
void finish(const Face& f, Canvas& canvas, std::uint64_t seed, std::int64_t index) {
  for (int y = 0; y < canvas.height(); ++y) {
    for (int x = 0; x < canvas.width(); ++x) {
      const double along = ((x - f.centre.x) * f.light_x + (y - f.centre.y) * f.light_y) / 90.0;
      const double k = f.gain * (1.0 + f.light_strength * along);
      double* p = canvas.at(x, y);
      p[0] *= k, p[1] *= k, p[2] *= k;
    }
  }
  if (f.t.blurry) {
    canvas.box_blur(2);
    canvas.box_blur(2);
  }
  FaceRandom random(seed, static_cast<std::uint64_t>(index), FaceStream::noise);
  const int pixels = canvas.width() * canvas.height();
  double* values = canvas.at(0, 0);
  for (int i = 0; i < pixels; i += 4) {
    const RandomBlock draws = random.block();
    for (int j = 0; j < 4 && i + j < pixels; ++j) {
      const std::uint32_t bits = draws[j];
      for (int c = 0; c < 3; ++c) {
        const double u = static_cast<double>((bits >> (10 * c)) & 1023u) / 1023.0 - 0.5;
        values[(i + j) * 3 + c] += 2.0 * f.noise * u;
      }
    }
  }
}

// Face `index` of `seed` (its geometry, colours and noise) with the given traits.
SyntheticFace draw_face(const FaceTraits& traits, std::uint64_t seed, std::int64_t index) {
  const Face face = layout(traits, seed, index);
  Canvas canvas(kSyntheticFaceWidth, kSyntheticFaceHeight);
  Painter painter(face, canvas);
  painter.draw();
  finish(face, canvas, seed, index);

  SyntheticFace out;
  out.image = canvas.to_image();
  out.attributes = attribute_row(traits);
  const Frame& frame = painter.frame();
  const Vec2 left = frame.to_canvas({-face.eye_x, face.eye_y}), right = frame.to_canvas({face.eye_x, face.eye_y});
  const Vec2 mouth = frame.to_canvas({0, face.mouth_y}), crown = frame.to_canvas({0, -0.85 * face.ry});
  out.landmarks = {left.x, left.y, right.x, right.y, mouth.x, mouth.y, crown.x, crown.y, face.rx, face.ry, face.tilt};
  return out;
}

}  // namespace

std::array<bool, kCelebaAttributeCount> synthetic_face_attributes(std::uint64_t seed, std::int64_t index) {
  return attribute_row(sample_face_traits(seed, index));
}

SyntheticFace render_synthetic_face(std::uint64_t seed, std::int64_t index) {
  return draw_face(sample_face_traits(seed, index), seed, index);
}

SyntheticFace render_synthetic_face(std::uint64_t seed, std::int64_t index,
                                    const std::array<bool, kCelebaAttributeCount>& attributes) {
  return draw_face(face_traits_from_row(attributes), seed, index);
}

}  // namespace nn::data
