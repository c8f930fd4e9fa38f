#include "acgan_celeba/resume.hpp"

#include "acgan_celeba/models.hpp"
#include "common/attribute_rows.hpp"
#include "common/checkpoint_checks.hpp"
#include "nn/error.hpp"

namespace acgan {
Config resumed_config(const Config& command_line, const nn::Metadata& metadata, std::vector<ConfigChange>& changes) {
  const std::string& path = command_line.resume;
  nn::apps::refuse_fixed_options(command_line.given, changeable_options(), "acgan_celeba", path);
  const auto stored = metadata.find("config");
  if (stored == metadata.end())
    throw nn::Error("acgan_celeba: checkpoint '" + path + "' stores no run configuration (metadata 'config')");
  Config c = config_from_json(stored->second, "checkpoint '" + path + "' metadata 'config'");
  using nn::json::Value;
  nn::apps::record_run_changes(command_line, c, changes);
  nn::apps::record_change(command_line.given, "--eval-faces", command_line.eval_faces, c.eval_faces,
                          Value::integer(c.eval_faces), Value::integer(command_line.eval_faces), changes);
  nn::apps::record_change(command_line.given, "--eval-control", command_line.eval_control, c.eval_control,
                          Value::integer(c.eval_control), Value::integer(command_line.eval_control), changes);
  nn::apps::take_resume_places(command_line, c);
  return c;
}

nn::apps::ResumePoint resume_point(const nn::Metadata& metadata, const std::string& path,
                                   std::int64_t batches_per_epoch) {
  const nn::apps::ResumePoint at = nn::apps::resume_point(metadata, path, batches_per_epoch);
  nn::apps::attribute_majority(metadata, path);
  return at;
}

}  // namespace acgan
