// `hotfix-audit inspect FILE...`: what PE files say about themselves.
#include <iostream>

#include "cli/commands.h"
#include "pe/pe_evidence.h"
#include "report/inspect.h"

namespace hfa::cli {
namespace {

int run_inspect(const std::vector<std::string>& files, const std::string& format) {
  int status = 0;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  std::string text;
  for (const auto& file : files) {
    // Only the parts the evidence needs are read from the file.
    const pe::FileSource source(file);
    if (const auto& error = source.error(); !error.empty()) {
      status = 2;
      all.push_back({{"file", file}, {"error", error}});
      text += file + ":\n  Error: " + error + "\n\n";
      continue;
    }
    const auto ev = pe::read_pe(source, file);
    if (!pe::is_pe(ev.kind) && status == 0) status = 1;
    all.push_back(report::to_json(ev));
    text += report::to_text(ev) + "\n";
  }
  if (format == "json") text = dump(nlohmann::ordered_json{{"files", all}});
  std::cout << text;
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
