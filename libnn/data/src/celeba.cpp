#include "nn/data/celeba.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "nn/error.hpp"

namespace nn::data {
namespace fs = std::filesystem;
namespace {

constexpr const char* kLayoutHint = "expected img_align_celeba/ and list_attr_celeba.txt or .csv";

[[noreturn]] void fail_in(const std::string& file, const std::string& problem) {
  throw Error(file + ": " + problem);
}

[[noreturn]] void fail_at(const std::string& file, int line, const std::string& problem) {
  throw Error(file + ":" + std::to_string(line) + ": " + problem);
}

template <class Buffer>
Buffer read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail_in(path, "cannot open for reading");
  const std::streamoff size = in.tellg();
  if (size < 0) fail_in(path, "cannot read");
  Buffer buffer(static_cast<std::size_t>(size), 0);
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(buffer.data()), size)) fail_in(path, "read error");
  return buffer;
}

enum class Format { text, csv };

struct Table {
  std::string path;
  Format format;
  std::string text;
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// Text tables separate fields by runs of blanks, CSV by single commas.
void split_fields(std::string_view line, Format format, std::vector<std::string_view>& fields) {
  fields.clear();
  if (trim(line).empty()) return;
  if (format == Format::csv) {
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = line.find(',', start);
      fields.push_back(trim(line.substr(start, comma == std::string_view::npos ? comma : comma - start)));
      if (comma == std::string_view::npos) return;
      start = comma + 1;
    }
  }
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
}

// Calls row(line_number, fields) for every line that is not blank.
template <class RowFn>
void for_each_row(const Table& table, RowFn&& row) {
  std::vector<std::string_view> fields;
  const std::string_view text = table.text;
  std::size_t pos = 0;
  int line = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    ++line;
    split_fields(text.substr(pos, end - pos), table.format, fields);
    pos = end + 1;
    if (!fields.empty()) row(line, fields);
  }
}

std::string quoted(std::string_view s) {
  constexpr std::size_t kMax = 40;
  std::string out(1, '\'');
  out.append(s.substr(0, kMax));
  out.append(s.size() > kMax ? "...'" : "'");
  return out;
}

void check_file_name(const Table& table, int line, std::string_view name) {
  if (name.empty() || name == "." || name == ".." || name.find_first_of("/\\") != std::string_view::npos)
    fail_at(table.path, line, quoted(name) + " is not a plain file name");
}

// Finds `stem`.txt or else `stem`.csv in the folder; empty when neither exists.
std::optional<Table> find_table(const fs::path& folder, const std::string& stem) {
  for (const auto& [extension, format] : {std::pair{".txt", Format::text}, std::pair{".csv", Format::csv}}) {
    const fs::path path = folder / (stem + extension);
    std::error_code ec;
    if (fs::is_regular_file(path, ec))
      return Table{path.string(), format, read_whole_file<std::string>(path.string())};
  }
  return std::nullopt;
}

struct AttributeRow {
  std::string file;
  int line = 0;
  std::array<std::uint8_t, kCelebaAttributeCount> labels{};
};

struct Attributes {
  std::vector<AttributeRow> rows;
  std::unordered_map<std::string, std::size_t> row_of;
};

using ColumnMap = std::array<int, kCelebaAttributeCount>;  // column -> attribute

ColumnMap parse_names(const Table& table, int line, const std::vector<std::string_view>& fields) {
  const std::size_t first = table.format == Format::csv ? 1 : 0;  // CSV starts with image_id
  const std::size_t count = fields.size() - first;
  if (count != kCelebaAttributeCount)
    fail_at(table.path, line,
            "expected " + std::to_string(kCelebaAttributeCount) + " attribute names, found " + std::to_string(count));
  ColumnMap columns{};
  std::array<bool, kCelebaAttributeCount> seen{};
  for (std::size_t c = 0; c < count; ++c) {
    int attribute = 0;
    try {
      attribute = celeba_attribute_index(fields[first + c]);
    } catch (const Error& e) {
      fail_at(table.path, line, e.what());
    }
    if (seen[attribute]) fail_at(table.path, line, "attribute " + quoted(fields[first + c]) + " appears twice");
    seen[attribute] = true;
    columns[c] = attribute;
  }
  return columns;
}

AttributeRow parse_attribute_row(const Table& table, int line, const std::vector<std::string_view>& fields,
                                 const ColumnMap& columns) {
  const std::size_t values = fields.size() - 1;
  if (values != kCelebaAttributeCount)
    fail_at(table.path, line,
            std::string(values < kCelebaAttributeCount ? "short" : "long") + " line: expected a file name and " +
                std::to_string(kCelebaAttributeCount) + " values, found " + std::to_string(values) + " values");
  check_file_name(table, line, fields[0]);
  AttributeRow row{std::string(fields[0]), line, {}};
  for (std::size_t c = 0; c < kCelebaAttributeCount; ++c) {
    const std::string_view token = fields[c + 1];
    const std::string_view name = celeba_attribute_names()[columns[c]];
    int value = 0;
    const char* end = token.data() + token.size();
    const auto [stop, ec] = std::from_chars(token.data(), end, value);
    if (ec != std::errc() || stop != end)
      fail_at(table.path, line, "value " + quoted(token) + " for " + std::string(name) + " is not a number");
    if (value != -1 && value != 1)
      fail_at(table.path, line, "value " + std::string(token) + " for " + std::string(name) + " is not -1 or 1");
    row.labels[columns[c]] = value == 1 ? 1 : 0;
  }
  return row;
}

Attributes parse_attributes(const Table& table) {
  Attributes result;
  std::optional<long long> declared;  // the text format's count line
  int count_line = 0;
  std::optional<ColumnMap> columns;
  for_each_row(table, [&](int line, const std::vector<std::string_view>& fields) {
    if (table.format == Format::text && !declared) {
      long long count = -1;
      const std::string_view token = fields[0];
      const auto [stop, ec] = std::from_chars(token.data(), token.data() + token.size(), count);
      if (fields.size() != 1 || ec != std::errc() || stop != token.data() + token.size() || count < 0)
        fail_at(table.path, line, "expected the number of images, found " + quoted(token));
      declared = count;
      count_line = line;
      return;
    }
    if (!columns) {
      columns = parse_names(table, line, fields);
      return;
    }
    AttributeRow row = parse_attribute_row(table, line, fields, *columns);
    const auto [it, inserted] = result.row_of.emplace(row.file, result.rows.size());
    if (!inserted)
      fail_at(table.path, line, row.file + " is listed twice (first on line " +
                                    std::to_string(result.rows[it->second].line) + ")");
    result.rows.push_back(std::move(row));
  });
  if (!columns) fail_in(table.path, declared ? "has no line of attribute names" : "is empty");
  if (result.rows.empty()) fail_in(table.path, "lists no images");
  if (declared && *declared != static_cast<long long>(result.rows.size()))
    fail_at(table.path, count_line,
            "the count line says " + std::to_string(*declared) + " images but the file lists " +
                std::to_string(result.rows.size()));
  return result;
}

// The partition (0 train, 1 validation, 2 test) of every attribute row.
std::vector<int> parse_partitions(const Table& table, const Attributes& attributes, const std::string& attribute_file) {
  std::vector<int> partition(attributes.rows.size(), -1);
  std::vector<int> line_of(attributes.rows.size(), 0);
  bool header_seen = table.format == Format::text;
  for_each_row(table, [&](int line, const std::vector<std::string_view>& fields) {
    if (!header_seen) {
      if (fields.size() != 2) fail_at(table.path, line, "expected the header image_id,partition");
      header_seen = true;
      return;
    }
    if (fields.size() != 2)
      fail_at(table.path, line,
              "expected a file name and a partition (0, 1 or 2), found " + std::to_string(fields.size()) + " fields");
    check_file_name(table, line, fields[0]);
    const std::string file(fields[0]);
    const auto found = attributes.row_of.find(file);
    if (found == attributes.row_of.end())
      fail_at(table.path, line, file + " is not listed in " + attribute_file);
    const std::string_view value = fields[1];
    if (value != "0" && value != "1" && value != "2")
      fail_at(table.path, line, "partition " + quoted(value) + " for " + file + " is not 0, 1 or 2");
    const std::size_t row = found->second;
    if (partition[row] >= 0)
      fail_at(table.path, line, file + " is listed twice (first on line " + std::to_string(line_of[row]) + ")");
    partition[row] = value[0] - '0';
    line_of[row] = line;
  });
  for (std::size_t row = 0; row < partition.size(); ++row)
    if (partition[row] < 0)
      fail_in(table.path, "does not list " + attributes.rows[row].file + ", which " + attribute_file +
                              " lists on line " + std::to_string(attributes.rows[row].line));
  return partition;
}

std::unordered_set<std::string> list_files(const fs::path& dir) {
  std::unordered_set<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) names.insert(it->path().filename().string());
  if (ec) fail_in(dir.string(), "cannot list the folder: " + ec.message());
  return names;
}

// img_align_celeba, or img_align_celeba/img_align_celeba as some downloads nest it.
fs::path find_image_dir(const fs::path& folder, std::unordered_set<std::string>& files) {
  fs::path dir = folder / "img_align_celeba";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) fail_in(folder.string(), "no img_align_celeba folder (" + std::string(kLayoutHint) + ")");
  files = list_files(dir);
  if (files.empty() && fs::is_directory(dir / "img_align_celeba", ec)) {
    dir /= "img_align_celeba";
    files = list_files(dir);
  }
  return dir;
}

void check_folder(const fs::path& folder) {
  std::error_code ec;
  const fs::file_status status = fs::status(folder, ec);
  if (!fs::exists(status)) fail_in(folder.string(), "no such folder");
  if (!fs::is_directory(status)) fail_in(folder.string(), "not a folder");
  if (fs::is_empty(folder, ec)) fail_in(folder.string(), "the folder is empty (" + std::string(kLayoutHint) + ")");
  if (ec) fail_in(folder.string(), "cannot read the folder: " + ec.message());
}

}  // namespace

CelebaSplit parse_celeba_split(std::string_view name) {
  if (name == "train") return CelebaSplit::train;
  if (name == "validation" || name == "val") return CelebaSplit::validation;
  if (name == "test") return CelebaSplit::test;
  if (name == "all") return CelebaSplit::all;
  throw Error("unknown CelebA split " + quoted(name) + " (expected train, validation, test or all)");
}

std::string_view celeba_split_name(CelebaSplit split) {
  switch (split) {
    case CelebaSplit::train: return "train";
    case CelebaSplit::validation: return "validation";
    case CelebaSplit::test: return "test";
    case CelebaSplit::all: break;
  }
  return "all";
}

CelebaFolder read_celeba(const std::string& folder_name, const CelebaSelection& selection) {
  if (!(selection.fraction > 0.0 && selection.fraction <= 1.0))
    throw Error("CelebA fraction must be in (0, 1], got " + std::to_string(selection.fraction));
  const fs::path folder(folder_name);
  check_folder(folder);
  std::unordered_set<std::string> on_disk;
  const fs::path image_dir = find_image_dir(folder, on_disk);

  const std::optional<Table> attribute_table = find_table(folder, "list_attr_celeba");
  if (!attribute_table) fail_in(folder_name, "no list_attr_celeba.txt or list_attr_celeba.csv");
  const Attributes attributes = parse_attributes(*attribute_table);
  for (const AttributeRow& row : attributes.rows)
    if (!on_disk.count(row.file))
      fail_at(attribute_table->path, row.line,
              row.file + " is listed but " + (image_dir / row.file).string() + " does not exist");

  CelebaFolder result;
  result.image_dir = image_dir.string();
  result.attribute_file = attribute_table->path;
  std::vector<int> partition(attributes.rows.size(), -1);
  const std::optional<Table> partition_table = find_table(folder, "list_eval_partition");
  if (partition_table) {
    partition = parse_partitions(*partition_table, attributes, attribute_table->path);
    result.partition_file = partition_table->path;
  } else if (selection.split != CelebaSplit::all) {
    fail_in(folder_name, "no list_eval_partition.txt or list_eval_partition.csv to select the " +
                             std::string(celeba_split_name(selection.split)) + " split from");
  }

  std::vector<const AttributeRow*> chosen;
  for (std::size_t row = 0; row < attributes.rows.size(); ++row)
    if (selection.split == CelebaSplit::all || partition[row] == static_cast<int>(selection.split))
      chosen.push_back(&attributes.rows[row]);
  if (chosen.empty())
    fail_in(result.partition_file, "lists no images in the " + std::string(celeba_split_name(selection.split)) +
                                       " split");
  const auto keep = std::clamp<std::size_t>(
      static_cast<std::size_t>(std::llround(selection.fraction * static_cast<double>(chosen.size()))), 1,
      chosen.size());
  result.samples.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i)
    result.samples.push_back({(image_dir / chosen[i]->file).string(), chosen[i]->labels});
  return result;
}

Image read_celeba_image(const std::string& path) {
  const auto bytes = read_whole_file<std::vector<std::uint8_t>>(path);
  if (bytes.size() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 || bytes[2] != 0xFF)
    fail_in(path, "not a JPEG file");
  return decode_image(bytes, path, 3);
}

}  // namespace nn::data
