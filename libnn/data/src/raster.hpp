#pragma once
// A small anti-aliased rasteriser for procedural drawings (the synthetic
// faces). Shapes are signed distance functions in a local frame (negative
// inside, in pixels); painting blends a colour into every canvas pixel near
// or inside the shape, with coverage taken from the distance. Only +, -, *,
// / and sqrt are used, so the same inputs give the same pixels on every
// IEEE-754 machine.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "nn/image.hpp"

namespace nn::data::raster {

struct Vec2 {
  double x = 0, y = 0;
};

// Colour channels on the 0..255 scale.
struct Rgb {
  double r = 0, g = 0, b = 0;
};

inline Rgb mix(Rgb a, Rgb b, double t) {
  return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}
inline Rgb scale(Rgb c, double k) { return {c.r * k, c.g * k, c.b * k}; }

// sin and cos for |angle| <= pi/4 from their Taylor series (pure arithmetic).
double small_angle_sin(double angle);
double small_angle_cos(double angle);
// A smooth periodic wave in [-1, 1] with period 1 (two parabolic halves).
inline double wave(double t) {
  const double f = t - std::floor(t);
  return f < 0.5 ? 16.0 * f * (0.5 - f) : -16.0 * (f - 0.5) * (1.0 - f);
}

// An RGB image of floats, so that layers blend without rounding.
class Canvas {
 public:
  Canvas(int width, int height, Rgb fill = {});
  int width() const { return width_; }
  int height() const { return height_; }
  double* at(int x, int y) { return &values_[(static_cast<std::size_t>(y) * width_ + x) * 3]; }
  const double* at(int x, int y) const { return &values_[(static_cast<std::size_t>(y) * width_ + x) * 3]; }
  void blend(int x, int y, Rgb colour, double alpha) {
    double* p = at(x, y);
    p[0] += (colour.r - p[0]) * alpha;
    p[1] += (colour.g - p[1]) * alpha;
    p[2] += (colour.b - p[2]) * alpha;
  }
  // Separable box blur of the given radius, edges clamped.
  void box_blur(int radius);
  // Rounds to 8 bits, clamping to 0..255.
  Image to_image() const;

 private:
  int width_, height_;
  std::vector<double> values_;
};

// Local drawing coordinates -> canvas: rotate by an angle (given by its sine
// and cosine), then move the local origin to `origin`.
class Frame {
 public:
  Frame(Vec2 origin, double sin_angle, double cos_angle) : origin_(origin), sin_(sin_angle), cos_(cos_angle) {}
  Vec2 to_canvas(Vec2 p) const { return {origin_.x + p.x * cos_ - p.y * sin_, origin_.y + p.x * sin_ + p.y * cos_}; }
  Vec2 to_local(Vec2 q) const {
    const double dx = q.x - origin_.x, dy = q.y - origin_.y;
    return {dx * cos_ + dy * sin_, -dx * sin_ + dy * cos_};
  }
  double sin_angle() const { return sin_; }
  double cos_angle() const { return cos_; }

 private:
  Vec2 origin_;
  double sin_, cos_;
};

// An axis-aligned box in local coordinates that contains a shape.
struct Box {
  double x0, y0, x1, y1;
};

// Signed distances (approximate away from the boundary, which only matters
// for anti-aliasing near it). Inline: they run for every pixel of a shape.
inline double ellipse_distance(Vec2 p, Vec2 centre, double rx, double ry) {
  const double x = (p.x - centre.x) / rx, y = (p.y - centre.y) / ry;
  const double k = std::sqrt(x * x + y * y);
  const double gx = x / rx, gy = y / ry;
  const double gradient = std::sqrt(gx * gx + gy * gy);
  if (gradient <= 0.0) return -std::min(rx, ry);
  // k - 1 over the gradient of k, which is |(x/rx, y/ry)| / k.
  return k * (k - 1.0) / gradient;
}

inline double segment_distance(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double length2 = dx * dx + dy * dy;
  double t = length2 > 0.0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy);
  return std::sqrt(ex * ex + ey * ey);
}

inline double polyline_distance(Vec2 p, const std::vector<Vec2>& points) {
  double best = segment_distance(p, points[0], points[0]);
  for (std::size_t i = 1; i < points.size(); ++i) best = std::min(best, segment_distance(p, points[i - 1], points[i]));
  return best;
}

inline double rounded_box_distance(Vec2 p, Vec2 centre, Vec2 half_size, double radius) {
  const double qx = std::abs(p.x - centre.x) - half_size.x + radius;
  const double qy = std::abs(p.y - centre.y) - half_size.y + radius;
  const double ox = std::max(qx, 0.0), oy = std::max(qy, 0.0);
  return std::sqrt(ox * ox + oy * oy) + std::min(std::max(qx, qy), 0.0) - radius;
}

double polygon_distance(Vec2 p, const std::vector<Vec2>& points);
// Points along a quadratic Bezier curve, ends included.
std::vector<Vec2> quadratic_curve(Vec2 a, Vec2 control, Vec2 b, int segments);
Box bounds(const std::vector<Vec2>& points, double margin);

// Blends colour(local point) with opacity * coverage into the canvas, where
// coverage ramps from 1 to 0 as the distance goes from -softness/2 to
// +softness/2 (softness 1 is plain anti-aliasing).
template <class Distance, class Colour>
void paint(Canvas& canvas, const Frame& frame, Box box, Distance&& distance, Colour&& colour, double opacity = 1.0,
           double softness = 1.0) {
  const Vec2 corners[4] = {frame.to_canvas({box.x0, box.y0}), frame.to_canvas({box.x1, box.y0}),
                           frame.to_canvas({box.x0, box.y1}), frame.to_canvas({box.x1, box.y1})};
  double x0 = corners[0].x, x1 = corners[0].x, y0 = corners[0].y, y1 = corners[0].y;
  for (const Vec2& c : corners) {
    x0 = std::min(x0, c.x), x1 = std::max(x1, c.x), y0 = std::min(y0, c.y), y1 = std::max(y1, c.y);
  }
  const int px0 = std::max(0, static_cast<int>(std::floor(x0 - softness)));
  const int py0 = std::max(0, static_cast<int>(std::floor(y0 - softness)));
  const int px1 = std::min(canvas.width() - 1, static_cast<int>(std::ceil(x1 + softness)));
  const int py1 = std::min(canvas.height() - 1, static_cast<int>(std::ceil(y1 + softness)));
  for (int y = py0; y <= py1; ++y) {
    for (int x = px0; x <= px1; ++x) {
      const Vec2 local = frame.to_local({x + 0.5, y + 0.5});
      const double coverage = std::clamp(0.5 - distance(local) / softness, 0.0, 1.0);
      if (coverage > 0.0) canvas.blend(x, y, colour(local), coverage * opacity);
    }
  }
}

// paint() with one colour.
template <class Distance>
void fill(Canvas& canvas, const Frame& frame, Box box, Distance&& distance, Rgb colour, double opacity = 1.0,
          double softness = 1.0) {
  paint(canvas, frame, box, std::forward<Distance>(distance), [colour](Vec2) { return colour; }, opacity, softness);
}

}  // namespace nn::data::raster
