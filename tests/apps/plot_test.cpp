#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <nn/error.hpp>

#include "data/celeba_fixture.hpp"
#include "common/plot.hpp"

using namespace nn::apps;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

struct Point {
  double x, y;
};

// The points of every <polyline> in the SVG text, in document order.
std::vector<std::vector<Point>> polylines(const std::string& svg) {
  std::vector<std::vector<Point>> lines;
  std::size_t at = 0;
  while ((at = svg.find("<polyline", at)) != std::string::npos) {
    const std::size_t start = svg.find("points=\"", at) + 8;
    const std::size_t end = svg.find('"', start);
    std::istringstream points(svg.substr(start, end - start));
    std::vector<Point> line;
    std::string pair;
    while (points >> pair) {
      const std::size_t comma = pair.find(',');
      line.push_back({std::atof(pair.substr(0, comma).c_str()), std::atof(pair.substr(comma + 1).c_str())});
    }
    lines.push_back(line);
    at = end;
  }
  return lines;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

fs::path write_csv(const celeba_fixture::TempDir& dir, const std::string& text) {
  const fs::path path = dir.path() / "losses.csv";
  std::ofstream(path) << text;
  return path;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("plot: a CSV becomes an SVG line chart with one polyline per series", "[plot]") {
  celeba_fixture::TempDir dir;
  const fs::path csv = write_csv(dir, "step,d_loss,g_loss,phase\n0,0.9,2.5,train\n10,0.7,2.0,train\n"
                                      "20,0.6,1.6,train\n30,0.65,1.2,train\n40,0.5,1.1,train\n");
  const fs::path svg_path = dir.path() / "losses.svg";
  plot_csv(csv.string(), svg_path.string(),
           LinePlotOptions().title("GAN <losses>").x_column("step").y_columns({"d_loss", "g_loss"}).y_label("loss"));
  const std::string svg = read_text(svg_path);
  CHECK(svg.rfind("<?xml", 0) == 0);
  CHECK(count(svg, "<svg") == 1);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(count(svg, "<text") == count(svg, "</text>"));
  CHECK(count(svg, "<g") == count(svg, "</g>"));
  CHECK_THAT(svg, Contains(">d_loss</text>") && Contains(">g_loss</text>") && Contains("GAN &lt;losses&gt;"));
  CHECK_THAT(svg, Contains(">step</text>") && Contains(">loss</text>"));

  const auto lines = polylines(svg);
  REQUIRE(lines.size() == 2);
  for (const auto& line : lines) {
    REQUIRE(line.size() == 5);
    for (std::size_t i = 1; i < line.size(); ++i) CHECK(line[i].x > line[i - 1].x);
    for (const Point& p : line) {
      CHECK(p.x >= 0);
      CHECK(p.x <= 800);
      CHECK(p.y >= 0);
      CHECK(p.y <= 480);
    }
  }
  // Screen y grows downwards: the d_loss line (0.9 -> 0.5) drops on screen, g_loss stays above it.
  CHECK(lines[0].front().y < lines[0].back().y);
  for (std::size_t i = 0; i < 5; ++i) CHECK(lines[1][i].y < lines[0][i].y);
  // Equal x steps give equal screen steps.
  CHECK(lines[0][1].x - lines[0][0].x == Approx(lines[0][4].x - lines[0][3].x).margin(0.02));
}

TEST_CASE("plot: empty cells break a series into pieces, row numbers stand in for x", "[plot]") {
  celeba_fixture::TempDir dir;
  const fs::path csv = write_csv(dir, "a,b\n1,2\n2,\n3,4\n4,5\n\n5,6\n");
  const std::string svg = line_chart_svg(CsvTable::read(csv.string()), LinePlotOptions().y_columns({"a", "b"}));
  const auto lines = polylines(svg);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].size() == 5);
  CHECK(lines[1].size() == 1);
  CHECK(lines[2].size() == 3);
  CHECK_THAT(svg, Contains(">row</text>"));
}

TEST_CASE("plot: columns with nothing measured yet give empty axes, not an error", "[plot]") {
  celeba_fixture::TempDir dir;
  const fs::path csv = write_csv(dir, "step,a\n1,\n2,\n");
  const std::string svg =
      line_chart_svg(CsvTable::read(csv.string()), LinePlotOptions().x_column("step").y_columns({"a"}));
  CHECK(polylines(svg).empty());
  CHECK_THAT(svg, Contains("<svg"));
}

TEST_CASE("plot: bad input names the CSV and the problem", "[plot]") {
  celeba_fixture::TempDir dir;
  const fs::path csv = write_csv(dir, "step,loss\n1,0.5\n2,oops\n");
  const CsvTable table = CsvTable::read(csv.string());
  CHECK_THROWS_WITH(plot_csv(csv.string(), (dir.path() / "x.svg").string(),
                             LinePlotOptions().x_column("step").y_columns({"accuracy"})),
                    Contains(csv.string()) && Contains("'accuracy'") && Contains("step, loss"));
  CHECK_THROWS_WITH(line_chart_svg(table, LinePlotOptions().x_column("epoch").y_columns({"loss"})),
                    Contains(csv.string()) && Contains("'epoch'"));
  CHECK_THROWS_WITH(line_chart_svg(table, LinePlotOptions().y_columns({"loss"})),
                    Contains(csv.string() + ":3") && Contains("oops"));

  std::ofstream(csv, std::ios::trunc) << "step,loss\n1,0.5\n3\n";
  CHECK_THROWS_WITH(CsvTable::read(csv.string()), Contains(csv.string() + ":3") && Contains("1 fields"));
  std::ofstream(csv, std::ios::trunc) << "";
  CHECK_THROWS_WITH(CsvTable::read(csv.string()), Contains(csv.string()) && Contains("empty"));
  CHECK_THROWS_WITH(CsvTable::read((dir.path() / "missing.csv").string()), Contains("missing.csv"));
  std::ofstream(csv, std::ios::trunc) << "step,loss\n";
  CHECK_THROWS_WITH(plot_csv(csv.string(), (dir.path() / "x.svg").string(), LinePlotOptions().y_columns({"loss"})),
                    Contains("no data rows"));
}

TEST_CASE("plot: quoted fields may hold commas", "[plot]") {
  celeba_fixture::TempDir dir;
  const fs::path csv = write_csv(dir, "\"step\",\"loss, smoothed\"\n1,\"0.5\"\n2,0.25\n");
  const CsvTable table = CsvTable::read(csv.string());
  REQUIRE(table.columns() == std::vector<std::string>{"step", "loss, smoothed"});
  CHECK(table.numbers("loss, smoothed") == std::vector<double>{0.5, 0.25});
}
