#include "common/run_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>

#include "nn/error.hpp"

namespace nn::apps {
namespace fs = std::filesystem;
namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string read_holder(int fd) {
  char buffer[256];
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text.empty() ? "a process that has not yet named itself" : text;
}

bool matches(const std::string& pattern, const std::string& name) {
  const std::size_t star = pattern.find('*');
  if (star == std::string::npos) return pattern == name;
  const std::string prefix = pattern.substr(0, star), suffix = pattern.substr(star + 1);
  return name.size() >= prefix.size() + suffix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_temporary(const std::string& name) {
  const std::size_t tag = name.rfind(".tmp-");
  if (tag == std::string::npos || tag == 0 || tag + 5 == name.size()) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(tag + 5), name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

RunFolderLock::RunFolderLock(const std::string& dir, const std::string& program) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(program + ": cannot create the run folder '" + dir + "': " + ec.message());
  const std::string path = dir + "/.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(program + ": cannot open '" + path + "': " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = error == EWOULDBLOCK ? read_holder(fd_) : "";
    ::close(fd_);
    if (error != EWOULDBLOCK) throw Error(program + ": cannot lock '" + path + "': " + std::strerror(error));
    throw Error(program + ": the run folder '" + dir + "' is in use by another run (" + holder +
                "); wait for it to finish or choose another --out");
  }
  const std::string holder = "pid " + std::to_string(::getpid()) + ", started " + utc_now() + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, holder.data(), holder.size(), 0) != static_cast<ssize_t>(holder.size())) {
    const int error = errno;
    ::close(fd_);
    throw Error(program + ": cannot write '" + path + "': " + std::strerror(error));
  }
}

RunFolderLock::~RunFolderLock() { ::close(fd_); }

std::vector<std::string> matching_files(const std::string& dir, const std::vector<std::string>& patterns) {
  std::vector<std::string> found;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return found;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return matches(p, name); }))
      found.push_back(name);
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::string> sweep_temporary_files(const std::string& dir) {
  std::vector<std::string> removed;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && is_temporary(name)) {
      fs::remove(entry.path());
      removed.push_back(name);
    }
  }
  std::sort(removed.begin(), removed.end());
  return removed;
}

std::vector<std::string> remove_all_but_newest(const std::string& dir, const std::vector<std::string>& patterns,
                                               std::size_t keep) {
  std::vector<std::pair<fs::file_time_type, std::string>> files;
  for (const std::string& name : matching_files(dir, patterns))
    files.emplace_back(fs::last_write_time(fs::path(dir) / name), name);
  std::sort(files.begin(), files.end());
  std::vector<std::string> removed;
  for (std::size_t i = 0; i + keep < files.size(); ++i) {
    fs::remove(fs::path(dir) / files[i].second);
    removed.push_back(files[i].second);
  }
  return removed;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw Error("cannot read '" + path + "'");
  if (!in.is_open()) throw Error("cannot open '" + path + "'");
  return text;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw Error("cannot write '" + temporary + "'");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw Error("cannot rename '" + temporary + "' over '" + path + "'");
  }
}

bool same_folder(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec);
}

void refuse_taken_folder(const RunFolderClaim& claim) {
  if (claim.continues_folder || claim.overwrite) return;
  const std::vector<std::string> found = matching_files(claim.dir, claim.patterns);
  if (found.empty()) return;
  std::string listed;
  for (std::size_t i = 0; i < found.size() && i < 4; ++i) listed += (i ? ", " : "") + found[i];
  if (found.size() > 4) listed += ", ...";
  throw Error(claim.program + ": the run folder '" + claim.dir + "' holds another run (" + listed +
              "); continue it with --resume " + claim.dir +
              "/checkpoint_last.safetensors, replace it with --overwrite, or choose another --out");
}

std::unique_ptr<RunFolderLock> take_run_folder(const RunFolderClaim& claim, std::ostream& out) {
  auto lock = std::make_unique<RunFolderLock>(claim.dir, claim.program);
  refuse_taken_folder(claim);
  if (claim.overwrite && !claim.continues_folder)
    for (const std::string& name : matching_files(claim.dir, claim.patterns))
      std::filesystem::remove(claim.dir + "/" + name);
  for (const std::string& name : sweep_temporary_files(claim.dir))
    out << claim.program << ": removed the stale temporary file " << claim.dir << "/" << name << "\n";
  return lock;
}

}  // namespace nn::apps
