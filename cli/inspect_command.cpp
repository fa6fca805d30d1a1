// `hotfix-audit inspect FILE...`: what PE files say about themselves.
#include <iostream>

#include "cli/commands.h"
#include "pe/pe_evidence.h"
#include "report/inspect.h"

namespace hfa::cli {
namespace {

// Appends one file's object to the "files" array of the document, indented as
// dump() indents the whole: each file is written as it is read, so that
// nothing of the earlier files is held.
void append_file(std::string& out, const nlohmann::ordered_json& file, bool first) {
  out += first ? "{\n  \"files\": [\n    " : ",\n    ";
  const std::string one = dump(file);  // ends with "\n"
  for (size_t i = 0; i + 1 < one.size(); ++i) {
    out += one[i];
    if (one[i] == '\n') out += "    ";  // JSON strings hold no raw newline
  }
}

int run_inspect(const std::vector<std::string>& files, const std::string& format) {
  int status = 0;
  const bool json = format == "json";
  std::string out;
  bool first = true;
  for (const auto& file : files) {
    // Only the parts the evidence needs are read from the file.
    const pe::FileSource source(file);
    if (const auto& error = source.error(); !error.empty()) {
      status = 2;
      if (json)
        append_file(out, {{"file", file}, {"error", error}}, first);
      else
        out += file + ":\n  Error: " + error + "\n\n";
      first = false;
    } else {
      const auto ev = pe::read_pe(source, file);
      if (!pe::is_pe(ev.kind) && status == 0) status = 1;
      if (json)
        append_file(out, report::to_json(ev), first);
      else
        out += report::to_text(ev) + "\n";
      first = false;
    }
    if (out.size() > (1u << 16)) {
      std::cout << out;
      out.clear();
    }
  }
  if (json) out += first ? "{\n  \"files\": []\n}\n" : "\n  ]\n}\n";
  std::cout << out;
  return status;
}

}  // namespace

Runner add_inspect_command(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>("text");
  auto* inspect = app.add_subcommand("inspect", "Print what PE files say about themselves (like sigcheck)");
  inspect->add_option("FILE", *files, "Executable files")->required();
  inspect->add_option("--format", *format, "Output format")->check(CLI::IsMember({"text", "json"}));
  return [inspect, files, format] { return *inspect ? run_inspect(*files, *format) : -1; };
}

}  // namespace hfa::cli
