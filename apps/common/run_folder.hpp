#pragma once
// A training run's folder: owned by one run at a time (a flock on <dir>/.lock
// that names its holder), refused to a new run while it holds another run's
// files, swept of the temporary files that an interrupted atomic write leaves.
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace nn::apps {

class RunFolderLock {
 public:
  // Creates `dir` if needed and locks it, recording this process's id and
  // start time in the lock file. Raises nn::Error naming the holder when
  // another process holds the lock. `program` prefixes the messages.
  RunFolderLock(const std::string& dir, const std::string& program);
  ~RunFolderLock();
  RunFolderLock(const RunFolderLock&) = delete;
  RunFolderLock& operator=(const RunFolderLock&) = delete;

 private:
  int fd_ = -1;
};

// The files directly in `dir` whose names match one of `patterns`, sorted; a
// pattern is an exact name or holds one '*' that stands for any text. A
// missing folder holds none.
std::vector<std::string> matching_files(const std::string& dir, const std::vector<std::string>& patterns);

// Removes the temporary files of atomic writes (`<name>.tmp-<process id>`)
// directly in `dir`; returns their names. Call it while holding the lock.
std::vector<std::string> sweep_temporary_files(const std::string& dir);

// Removes all but the newest `keep` files of `dir` matching `patterns` (by
// modification time, then name); returns the names removed.
std::vector<std::string> remove_all_but_newest(const std::string& dir, const std::vector<std::string>& patterns,
                                               std::size_t keep);

// The whole file; raises nn::Error naming it when it cannot be read.
std::string read_file(const std::string& path);

// Writes `text` to `path` through a temporary file renamed over it: a crash
// leaves the old file or the new one, never a mix.
void write_file_atomically(const std::string& path, const std::string& text);

// Whether two paths name the same existing folder.
bool same_folder(const std::string& a, const std::string& b);

// A run's claim on its folder. `patterns` match the files a run writes; a
// new run (or a run resumed into another folder) may not take a folder that
// holds any of them unless it may overwrite.
struct RunFolderClaim {
  std::string dir, program;
  std::vector<std::string> patterns;
  bool continues_folder = false;  // a resumed run writing on into its own folder
  bool overwrite = false;         // --overwrite
};

// Raises nn::Error naming some of the files found and the ways out (--resume,
// --overwrite, another --out) when the claim cannot take the folder.
void refuse_taken_folder(const RunFolderClaim& claim);

// Makes the folder the run's: locks it, checks the claim again under the
// lock, removes the other run's files when overwriting, and sweeps stale
// temporary files (each named on `out`). Hold the lock for the whole run.
std::unique_ptr<RunFolderLock> take_run_folder(const RunFolderClaim& claim, std::ostream& out);

}  // namespace nn::apps
