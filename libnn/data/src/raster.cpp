#include "raster.hpp"

namespace nn::data::raster {

double small_angle_sin(double a) {
  const double a2 = a * a;
  return a * (1.0 - a2 / 6.0 * (1.0 - a2 / 20.0 * (1.0 - a2 / 42.0 * (1.0 - a2 / 72.0))));
}

double small_angle_cos(double a) {
  const double a2 = a * a;
  return 1.0 - a2 / 2.0 * (1.0 - a2 / 12.0 * (1.0 - a2 / 30.0 * (1.0 - a2 / 56.0 * (1.0 - a2 / 90.0))));
}

Canvas::Canvas(int width, int height, Rgb fill)
    : width_(width), height_(height), values_(static_cast<std::size_t>(width) * height * 3) {
  for (std::size_t i = 0; i < values_.size(); i += 3) {
    values_[i] = fill.r;
    values_[i + 1] = fill.g;
    values_[i + 2] = fill.b;
  }
}

namespace {

// One pass of a running-sum box filter over `count` values `stride` apart.
void blur_line(double* values, int count, std::size_t stride, int radius, std::vector<double>& scratch) {
  scratch.resize(static_cast<std::size_t>(count));
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < count; ++i) scratch[static_cast<std::size_t>(i)] = values[i * stride + c];
    const auto sample = [&](int i) { return scratch[static_cast<std::size_t>(std::clamp(i, 0, count - 1))]; };
    double sum = 0.0;
    for (int k = -radius; k <= radius; ++k) sum += sample(k);
    const double norm = 1.0 / (2 * radius + 1);
    for (int i = 0; i < count; ++i) {
      values[i * stride + c] = sum * norm;
      sum += sample(i + radius + 1) - sample(i - radius);
    }
  }
}

}  // namespace

void Canvas::box_blur(int radius) {
  if (radius <= 0) return;
  std::vector<double> scratch;
  for (int y = 0; y < height_; ++y) blur_line(at(0, y), width_, 3, radius, scratch);
  for (int x = 0; x < width_; ++x) blur_line(at(x, 0), height_, static_cast<std::size_t>(width_) * 3, radius, scratch);
}

Image Canvas::to_image() const {
  Image image(width_, height_, 3);
  for (std::size_t i = 0; i < values_.size(); ++i) {
    image.pixels[i] = static_cast<std::uint8_t>(std::clamp(values_[i], 0.0, 255.0) + 0.5);
  }
  return image;
}

double polygon_distance(Vec2 p, const std::vector<Vec2>& points) {
  double best = polyline_distance(p, points);
  best = std::min(best, segment_distance(p, points.back(), points.front()));
  // Even-odd rule for the sign.
  bool inside = false;
  for (std::size_t i = 0, j = points.size() - 1; i < points.size(); j = i++) {
    const Vec2 a = points[i], b = points[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside ? -best : best;
}

std::vector<Vec2> quadratic_curve(Vec2 a, Vec2 control, Vec2 b, int segments) {
  std::vector<Vec2> points;
  points.reserve(static_cast<std::size_t>(segments) + 1);
  for (int i = 0; i <= segments; ++i) {
    const double t = static_cast<double>(i) / segments, u = 1.0 - t;
    points.push_back({u * u * a.x + 2 * u * t * control.x + t * t * b.x, u * u * a.y + 2 * u * t * control.y + t * t * b.y});
  }
  return points;
}

Box bounds(const std::vector<Vec2>& points, double margin) {
  Box box{points[0].x, points[0].y, points[0].x, points[0].y};
  for (const Vec2& p : points) {
    box.x0 = std::min(box.x0, p.x), box.y0 = std::min(box.y0, p.y);
    box.x1 = std::max(box.x1, p.x), box.y1 = std::max(box.y1, p.y);
  }
  return {box.x0 - margin, box.y0 - margin, box.x1 + margin, box.y1 + margin};
}

}  // namespace nn::data::raster
