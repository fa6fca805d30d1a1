#include "cli/output_spec.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace hfa::cli {
namespace {

bool is_one_of(const std::string& s, const std::vector<std::string>& list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The format a file name's extension names ("" for none known).
std::string format_of_extension(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  const auto ext = ascii_lower(path.substr(dot + 1));
  if (ext == "txt") return "text";
  for (const char* f : {"json", "jsonl", "csv", "html"})
    if (ext == f) return f;
  return "";
}

// "pdf" in "pdf=x.pdf" looks like a format name; "/tmp/a" in "/tmp/a=b.json" does not.
bool looks_like_format(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

// The evidence table is CSV too: "evidence-csv" has no extension of its own,
// and a FILE ending in .csv may take it from --format.
bool extension_fits(const std::string& by_extension, const std::string& format) {
  return by_extension == format || (by_extension == "csv" && format == "evidence-csv");
}

std::string extension_list(const std::vector<std::string>& formats) {
  std::vector<std::string> exts;
  for (const auto& f : formats)
    if (f != "evidence-csv") exts.push_back(f == "text" ? ".txt" : "." + f);
  return join(exts);
}

}  // namespace

OutputSpecs parse_output_specs(const std::vector<std::string>& values, const std::optional<std::string>& format,
                               const std::string& default_format, const std::vector<std::string>& formats) {
  OutputSpecs out;
  const std::string usage = "; formats: " + join(formats) +
                            " (-o FORMAT for stdout, -o FORMAT=FILE, or -o FILE ending in " + extension_list(formats) +
                            ")";
  auto fail = [&](const std::string& why) {
    out.specs.clear();
    out.error = why + usage;
    return out;
  };
  for (const auto& v : values) {
    if (is_one_of(v, formats)) {
      out.specs.push_back({v, "-"});
      continue;
    }
    const auto eq = v.find('=');
    if (eq != std::string::npos && looks_like_format(v.substr(0, eq))) {
      const auto name = v.substr(0, eq);
      if (!is_one_of(name, formats)) return fail("-o " + v + ": unknown format '" + name + "'");
      if (eq + 1 == v.size()) return fail("-o " + v + ": no file after '='");
      out.specs.push_back({name, v.substr(eq + 1)});
      continue;
    }
    const auto by_extension = format_of_extension(v);
    if (!by_extension.empty() && !is_one_of(by_extension, formats))
      return fail("-o " + v + ": this command does not write " + by_extension);
    if (!by_extension.empty() && format && !extension_fits(by_extension, *format))
      return fail("-o " + v + ": the extension says " + by_extension + " but --format says " + *format);
    if (!by_extension.empty()) {
      out.specs.push_back({format && *format == "evidence-csv" ? *format : by_extension, v});
    } else if (format) {
      out.specs.push_back({*format, v});  // --format FORMAT -o FILE, as before -o FORMAT existed
    } else if (v == "-") {
      out.specs.push_back({default_format, v});
    } else if (is_one_of(ascii_lower(v), formats)) {
      return fail("-o " + v + ": formats are lower case");
    } else {
      return fail("-o " + v + ": not a format, FORMAT=FILE or a file name with a known extension");
    }
  }
  if (out.specs.empty()) out.specs.push_back({format.value_or(default_format), "-"});
  return out;
}

}  // namespace hfa::cli
