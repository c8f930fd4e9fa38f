#include "common/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "nn/error.hpp"

namespace nn::apps {
namespace {

constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr double kMarginLeft = 72, kMarginRight = 24, kMarginTop = 44, kMarginBottom = 56;

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// One CSV line: commas separate fields; a field in double quotes may hold
// commas, with "" for a quote inside.
std::vector<std::string> split_csv_line(const std::string& line, const std::string& path, std::int64_t number) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(trim(field));
      field.clear();
    } else {
      field += c;
    }
  }
  if (quoted) throw Error("plot: " + path + ":" + std::to_string(number) + ": unterminated quoted field");
  fields.push_back(trim(field));
  return fields;
}

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

// Round tick positions covering [low, high].
struct Axis {
  double low, high, step;
  int decimals;

  Axis(double data_low, double data_high) {
    if (!(data_high > data_low)) {
      const double pad = data_low == 0 ? 1.0 : std::abs(data_low) * 0.1;
      data_low -= pad;
      data_high += pad;
    }
    const double raw = (data_high - data_low) / 6.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    step = (norm < 1.5 ? 1.0 : norm < 3.0 ? 2.0 : norm < 7.0 ? 5.0 : 10.0) * magnitude;
    low = std::floor(data_low / step) * step;
    high = std::ceil(data_high / step) * step;
    decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  }
  std::vector<double> ticks() const {
    std::vector<double> values;
    for (double v = low; v <= high + step * 1e-6; v += step) values.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return values;
  }
  std::string label(double v) const {
    if (std::abs(v) >= 1e6 || (v != 0 && std::abs(v) < 1e-4)) {
      char text[64];
      std::snprintf(text, sizeof(text), "%.3g", v);
      return text;
    }
    return number(v, decimals);
  }
};

}  // namespace

CsvTable CsvTable::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("plot: cannot open " + path);
  CsvTable table;
  table.path_ = path;
  std::string line;
  std::int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (trim(line).empty()) continue;
    std::vector<std::string> fields = split_csv_line(line, path, number);
    if (table.columns_.empty()) {
      table.columns_ = std::move(fields);
      continue;
    }
    if (fields.size() != table.columns_.size()) {
      throw Error("plot: " + path + ":" + std::to_string(number) + ": " + std::to_string(fields.size()) +
                  " fields, but the header has " + std::to_string(table.columns_.size()));
    }
    table.cells_.push_back(std::move(fields));
    table.lines_.push_back(number);
  }
  if (in.bad()) throw Error("plot: error reading " + path);
  if (table.columns_.empty()) throw Error("plot: " + path + " is empty (no header line)");
  return table;
}

std::size_t CsvTable::column(const std::string& name) const {
  const auto found = std::find(columns_.begin(), columns_.end(), name);
  if (found != columns_.end()) return static_cast<std::size_t>(found - columns_.begin());
  std::string list;
  for (const std::string& c : columns_) list += (list.empty() ? "" : ", ") + c;
  throw Error("plot: " + path_ + " has no column '" + name + "' (columns: " + list + ")");
}

std::vector<double> CsvTable::numbers(const std::string& name) const {
  const std::size_t c = column(name);
  std::vector<double> values;
  values.reserve(cells_.size());
  for (std::size_t r = 0; r < cells_.size(); ++r) {
    const std::string& cell = cells_[r][c];
    if (cell.empty()) {
      values.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    char* end = nullptr;
    const double value = std::strtod(cell.c_str(), &end);
    if (end != cell.c_str() + cell.size()) {
      throw Error("plot: " + path_ + ":" + std::to_string(lines_[r]) + ": column '" + name + "' holds '" + cell +
                  "', not a number");
    }
    values.push_back(value);
  }
  return values;
}

std::string line_chart_svg(const CsvTable& table, const LinePlotOptions& options) {
  if (options.y_columns_.empty()) throw Error("plot: no columns to plot from " + table.path());
  if (table.rows() == 0) throw Error("plot: " + table.path() + " has no data rows");
  if (options.width_ < 200 || options.height_ < 150) {
    throw Error("plot: chart size " + std::to_string(options.width_) + "x" + std::to_string(options.height_) +
                " is too small (at least 200x150)");
  }
  std::vector<double> xs;
  if (options.x_column_.empty()) {
    for (std::size_t i = 0; i < table.rows(); ++i) xs.push_back(static_cast<double>(i));
  } else {
    xs = table.numbers(options.x_column_);
  }
  std::vector<std::vector<double>> series;
  for (const std::string& name : options.y_columns_) series.push_back(table.numbers(name));

  double x_min = INFINITY, x_max = -INFINITY, y_min = INFINITY, y_max = -INFINITY;
  for (const auto& ys : series) {
    for (std::size_t i = 0; i < ys.size(); ++i) {
      if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
      x_min = std::min(x_min, xs[i]), x_max = std::max(x_max, xs[i]);
      y_min = std::min(y_min, ys[i]), y_max = std::max(y_max, ys[i]);
    }
  }
  if (!std::isfinite(x_min)) {  // nothing measured yet (a warm-up, say): empty axes
    x_min = y_min = 0;
    x_max = y_max = 1;
  }
  const Axis x_axis(x_min, x_max), y_axis(y_min, y_max);

  const double w = options.width_, h = options.height_;
  const double left = kMarginLeft, right = w - kMarginRight, top = kMarginTop, bottom = h - kMarginBottom;
  const auto px = [&](double x) { return left + (x - x_axis.low) / (x_axis.high - x_axis.low) * (right - left); };
  const auto py = [&](double y) { return bottom - (y - y_axis.low) / (y_axis.high - y_axis.low) * (bottom - top); };

  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << options.width_ << "\" height=\"" << options.height_
      << "\" viewBox=\"0 0 " << options.width_ << ' ' << options.height_
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (!options.title_.empty()) {
    svg << "<text x=\"" << number(w / 2, 1) << "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">"
        << escape_xml(options.title_) << "</text>\n";
  }
  svg << "<g stroke=\"#e0e0e0\" stroke-width=\"1\">\n";
  for (double t : x_axis.ticks()) {
    svg << "<line x1=\"" << number(px(t), 2) << "\" y1=\"" << number(top, 2) << "\" x2=\"" << number(px(t), 2)
        << "\" y2=\"" << number(bottom, 2) << "\"/>\n";
  }
  for (double t : y_axis.ticks()) {
    svg << "<line x1=\"" << number(left, 2) << "\" y1=\"" << number(py(t), 2) << "\" x2=\"" << number(right, 2)
        << "\" y2=\"" << number(py(t), 2) << "\"/>\n";
  }
  svg << "</g>\n<rect x=\"" << number(left, 2) << "\" y=\"" << number(top, 2) << "\" width=\""
      << number(right - left, 2) << "\" height=\"" << number(bottom - top, 2)
      << "\" fill=\"none\" stroke=\"#333\"/>\n<g fill=\"#333\">\n";
  for (double t : x_axis.ticks()) {
    svg << "<text x=\"" << number(px(t), 2) << "\" y=\"" << number(bottom + 16, 2) << "\" text-anchor=\"middle\">"
        << x_axis.label(t) << "</text>\n";
  }
  for (double t : y_axis.ticks()) {
    svg << "<text x=\"" << number(left - 6, 2) << "\" y=\"" << number(py(t) + 4, 2) << "\" text-anchor=\"end\">"
        << y_axis.label(t) << "</text>\n";
  }
  const std::string x_label = options.x_label_.empty() ? (options.x_column_.empty() ? "row" : options.x_column_)
                                                       : options.x_label_;
  svg << "<text x=\"" << number((left + right) / 2, 2) << "\" y=\"" << number(h - 14, 2)
      << "\" text-anchor=\"middle\">" << escape_xml(x_label) << "</text>\n";
  if (!options.y_label_.empty()) {
    svg << "<text transform=\"translate(16 " << number((top + bottom) / 2, 2)
        << ") rotate(-90)\" text-anchor=\"middle\">" << escape_xml(options.y_label_) << "</text>\n";
  }
  svg << "</g>\n";

  for (std::size_t s = 0; s < series.size(); ++s) {
    const char* colour = kPalette[s % std::size(kPalette)];
    std::string points;
    const auto flush = [&] {
      if (!points.empty()) {
        svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"" << points
            << "\"/>\n";
      }
      points.clear();
    };
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (!std::isfinite(xs[i]) || !std::isfinite(series[s][i])) {
        flush();
        continue;
      }
      if (!points.empty()) points += ' ';
      points += number(px(xs[i]), 2) + "," + number(py(series[s][i]), 2);
    }
    flush();
  }

  std::size_t longest = 0;
  for (const std::string& name : options.y_columns_) longest = std::max(longest, name.size());
  const double legend_w = 40 + 7.0 * static_cast<double>(longest), legend_h = 8 + 18.0 * static_cast<double>(series.size());
  const double lx = right - legend_w - 8, ly = top + 8;
  svg << "<g>\n<rect x=\"" << number(lx, 2) << "\" y=\"" << number(ly, 2) << "\" width=\"" << number(legend_w, 2)
      << "\" height=\"" << number(legend_h, 2) << "\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n";
  for (std::size_t s = 0; s < series.size(); ++s) {
    const double y = ly + 16 + 18.0 * static_cast<double>(s);
    svg << "<line x1=\"" << number(lx + 8, 2) << "\" y1=\"" << number(y - 4, 2) << "\" x2=\"" << number(lx + 30, 2)
        << "\" y2=\"" << number(y - 4, 2) << "\" stroke=\"" << kPalette[s % std::size(kPalette)]
        << "\" stroke-width=\"2\"/>\n<text x=\"" << number(lx + 36, 2) << "\" y=\"" << number(y, 2) << "\">"
        << escape_xml(options.y_columns_[s]) << "</text>\n";
  }
  svg << "</g>\n</svg>\n";
  return svg.str();
}

void plot_csv(const std::string& csv_path, const std::string& svg_path, const LinePlotOptions& options) {
  const std::string svg = line_chart_svg(CsvTable::read(csv_path), options);
  std::ofstream out(svg_path, std::ios::binary | std::ios::trunc);
  out << svg;
  out.close();
  if (!out) throw Error("plot: cannot write " + svg_path);
}

}  // namespace nn::apps
