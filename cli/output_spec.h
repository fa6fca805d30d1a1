// What `-o`/`--output` and `--format` ask for, as Grype and Trivy users type
// them: `-o FORMAT` (stdout), `-o FORMAT=FILE`, `-o FILE` whose extension names
// the format. Parsing only: no file is opened here (Outputs::open does that).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hfa::cli {

struct OutputSpec {
  std::string format;
  std::string path;     // "-": stdout
  bool append = false;  // a FILE is added to, not replaced (`scan --resume`)
};

struct OutputSpecs {
  std::vector<OutputSpec> specs;
  std::string error;  // set when a value is unusable; says which formats there are
};

// `values` are the -o/--output values in order; `format` is --format when it
// was given. With no -o, --format (else `default_format`) goes to stdout; with
// -o, --format names the format of a FILE (or "-") whose extension does not.
OutputSpecs parse_output_specs(const std::vector<std::string>& values, const std::optional<std::string>& format,
                               const std::string& default_format, const std::vector<std::string>& formats);

}  // namespace hfa::cli
