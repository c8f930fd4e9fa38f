#include "nn/state_dict.hpp"

#include "nn/autograd.hpp"
#include "nn/error.hpp"
#include "nn/ops.hpp"

namespace nn {

void load_state_into(const StateDict& target, const StateDict& source, const std::string& who) {
  for (const auto& [name, t] : target) {
    const auto found = source.find(name);
    if (found == source.end()) throw Error(who + ": missing entry '" + name + "' " + shape_str(t.shape()));
    const Tensor& s = found->second;
    if (s.shape() != t.shape() || s.dtype() != t.dtype())
      throw Error(who + ": entry '" + name + "' is " + shape_str(s.shape()) + " " + dtype_name(s.dtype()) +
                  ", expected " + shape_str(t.shape()) + " " + dtype_name(t.dtype()));
  }
  for (const auto& [name, s] : source)
    if (!target.count(name)) throw Error(who + ": unexpected entry '" + name + "' " + shape_str(s.shape()));
  for (const auto& [name, t] : target) copy_(t, source.at(name));
}

void merge_prefixed(StateDict& into, const std::string& prefix, const StateDict& part) {
  for (const auto& [name, t] : part) into[prefix + "." + name] = t;
}

StateDict select_prefixed(const StateDict& whole, const std::string& prefix) {
  StateDict part;
  const std::string head = prefix + ".";
  for (const auto& [name, t] : whole)
    if (name.rfind(head, 0) == 0) part[name.substr(head.size())] = t;
  return part;
}

}  // namespace nn
