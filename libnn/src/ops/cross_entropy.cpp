// Dispatch seam for the softmax cross-entropy and argmax over classes.
#include <cmath>
#include <sstream>

#include "cpu/cross_entropy.hpp"
#include "nn/autograd.hpp"
#include "nn/loss.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {

// Class ids must be integers in [0, classes); a CUDA target is read back to the host for the check.
void check_class_ids(const char* op, const Tensor& target, std::int64_t classes) {
  const std::vector<double> ids = target.to_vector<double>();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const double id = ids[i];
    if (id >= 0 && id < static_cast<double>(classes) && std::floor(id) == id) continue;
    std::ostringstream what;
    what << "target " << shape_str(target.shape()) << " holds " << id << " at row " << i
         << "; class ids must be integers in [0, " << classes << ")";
    detail::fail(op, what.str());
  }
}

void check_cross_entropy_args(const Tensor& logits, const Tensor& target, Reduction reduction, double smoothing) {
  const char* op = "cross_entropy";
  detail::check_dim(op, logits, 2, "logits");
  detail::check_compatible(op, logits, target, "target");
  const std::int64_t rows = logits.size(0), classes = logits.size(1);
  if (classes == 0) detail::fail(op, "logits " + shape_str(logits.shape()) + " have no classes");
  if (target.shape() == Shape{rows}) check_class_ids(op, target, classes);
  else if (target.shape() != logits.shape())
    detail::fail(op, "target " + shape_str(target.shape()) + " must be class ids [" + std::to_string(rows) +
                         "] or probabilities shaped like the logits " + shape_str(logits.shape()));
  if (!(smoothing >= 0.0 && smoothing <= 1.0)) {
    std::ostringstream what;
    what << "label smoothing " << smoothing << " for logits " << shape_str(logits.shape()) << " must be in [0, 1]";
    detail::fail(op, what.str());
  }
  if (reduction == Reduction::mean && rows == 0)
    detail::fail(op, "mean over the rows of empty logits " + shape_str(logits.shape()));
}

Tensor cross_entropy_grad(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                          const Tensor& grad_out) {
  Tensor grad = empty(logits.shape(), logits.options());
  detail::on_backend(
      "cross_entropy", grad.device(),
      [&] { cpu::cross_entropy_backward(logits, target, smoothing, reduction, grad_out, grad); },
      [&](auto...) { cuda_backend::cross_entropy_backward(logits, target, smoothing, reduction, grad_out, grad); });
  return grad;
}
}  // namespace

// Only the logits are recorded as an input: the target is a constant.
Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction, double label_smoothing) {
  check_cross_entropy_args(logits, target, reduction, label_smoothing);
  Tensor out = empty(reduction == Reduction::none ? Shape{logits.size(0)} : Shape{}, logits.options());
  detail::on_backend(
      "cross_entropy", out.device(),
      [&] { cpu::cross_entropy_forward(logits, target, label_smoothing, reduction, out); },
      [&](auto...) { cuda_backend::cross_entropy_forward(logits, target, label_smoothing, reduction, out); });
  const Tensor x = logits.detach(), y = target.detach();
  return record(out, "cross_entropy", {logits}, [=](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{cross_entropy_grad(x, y, label_smoothing, reduction, g)};
  });
}

Tensor argmax(const Tensor& x) {
  detail::check_dim("argmax", x, 2, "x");
  if (x.size(1) == 0) detail::fail("argmax", "x " + shape_str(x.shape()) + " has no columns");
  Tensor out = empty({x.size(0)}, x.options());
  detail::on_backend("argmax", out.device(), [&] { cpu::argmax_rows(x, out); },
                     [&](auto...) { cuda_backend::argmax_rows(x, out); });
  return out;
}

}  // namespace nn
