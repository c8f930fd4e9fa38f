#pragma once
// How long data jobs (building an image cache, writing synthetic faces)
// report their progress: a function called with the count done so far and
// the total, from one thread at a time, after every item. The library draws
// nothing itself; an app turns the reports into a progress bar.
#include <cstdint>
#include <functional>

namespace nn::data {

using ProgressReport = std::function<void(std::int64_t done, std::int64_t total)>;

}  // namespace nn::data
