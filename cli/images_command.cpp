// `hotfix-audit images ls IMAGE...`: what a scan of a disk image file would
// see: its partitions, their file systems, and the installations on each.
#include <iostream>

#include "cli/commands.h"
#include "core/text.h"
#include "image/disk_image.h"
#include "image/installations.h"

namespace hfa::cli {
namespace {

using nlohmann::ordered_json;

ordered_json partition_json(const image::Partition& p) {
  ordered_json j;
  j["name"] = p.name;
  j["number"] = p.number;
  j["offset"] = p.offset;
  j["length"] = p.length;
  j["description"] = p.description;
  j["file_system"] = p.file_system.empty() ? ordered_json(nullptr) : ordered_json(p.file_system);
  j["error"] = p.error.empty() ? ordered_json(nullptr) : ordered_json(p.error);
  j["skipped"] = p.skipped.empty() ? ordered_json(nullptr) : ordered_json(p.skipped);
  j["installations"] = ordered_json::array();
  j["notes"] = ordered_json::array();
  if (p.volume) {
    const auto found = image::find_installations(*p.volume);
    for (const auto& i : found.installations)
      j["installations"].push_back(
          {{"system_root", i.system_root}, {"found_by", i.found_by}, {"description", i.description}});
    for (const auto& n : found.notes) j["notes"].push_back(n);
  }
  return j;
}

ordered_json image_json(const image::DiskImage& d) {
  ordered_json j;
  j["image"] = d.path;
  j["format"] = d.format.empty() ? ordered_json(nullptr) : ordered_json(d.format);
  j["size"] = d.size;
  j["partition_table"] = d.partition_table.empty() ? ordered_json(nullptr) : ordered_json(d.partition_table);
  j["error"] = d.error.empty() ? ordered_json(nullptr) : ordered_json(d.error);
  j["incomplete"] = d.incomplete;
  j["partitions"] = ordered_json::array();
  for (const auto& p : d.partitions) j["partitions"].push_back(partition_json(p));
  return j;
}

std::string image_text(const ordered_json& j) {
  // Every string may come from the evidence (partition labels, boot.ini
  // descriptions, folder names): shown through printable().
  const auto str = [](const ordered_json& v) { return printable(v.get<std::string>()); };
  std::string out = "== " + str(j["image"]) + "\n";
  if (!j["error"].is_null()) return out + "   error: " + str(j["error"]) + "\n";
  for (const auto& i : j["incomplete"]) out += "   incomplete: " + str(i) + "\n";
  if (j.contains("verification")) out += "   verification: " + str(j["verification"]["result"]) + "\n";
  out += "   " + str(j["format"]) + " image, " + std::to_string(j["size"].get<uint64_t>()) + " bytes, " +
         (j["partition_table"].is_null() ? std::string("no partition table")
                                         : str(j["partition_table"]) + " partition table") +
         "\n";
  for (const auto& p : j["partitions"]) {
    out += "   " + str(p["name"]) + ": " + str(p["description"]) + ", at byte " +
           std::to_string(p["offset"].get<uint64_t>()) + ", " + std::to_string(p["length"].get<uint64_t>()) +
           " bytes, " + (p["file_system"].is_null() ? std::string("no file system") : str(p["file_system"])) + "\n";
    if (!p["error"].is_null()) out += "      error: " + str(p["error"]) + "\n";
    if (!p["skipped"].is_null()) out += "      not scanned: " + str(p["skipped"]) + "\n";
    for (const auto& i : p["installations"])
      out += "      " + str(i["system_root"]) + "  (" + str(i["found_by"]) + ")" +
             (i["description"].get<std::string>().empty() ? "" : " \"" + str(i["description"]) + "\"") + "\n";
    if (p["error"].is_null() && p["skipped"].is_null() && p["installations"].empty())
      out += "      no Windows installation\n";
    for (const auto& n : p["notes"]) out += "      note: " + str(n) + "\n";
  }
  return out;
}

struct ImagesOptions {
  std::vector<std::string> images;
  std::string format = "text";
  bool verify = false;
};

int run_images_ls(const ImagesOptions& o) {
  int status = 0;
  ordered_json all = ordered_json::array();
  std::string text;
  for (const auto& path : o.images) {
    const auto image = image::open_disk_image(path);
    // A missing segment or grain: the evidence is incomplete, exit status 2.
    if (!image.error.empty() || !image.incomplete.empty()) status = 2;
    for (const auto& p : image.partitions)
      if (!p.error.empty()) status = 2;
    auto j = image_json(image);
    if (o.verify && image.error.empty()) {
      const auto v = image::verify_disk_image(path);
      j["verification"] = {{"done", v.done}, {"matches", v.matches}, {"result", v.result}};
      if (v.done && !v.matches) status = 2;
    }
    text += image_text(j);
    all.push_back(std::move(j));
  }
  if (!emit(o.format == "json" ? dump(ordered_json{{"images", all}}) : text, "")) return 2;
  return status;
}

}  // namespace

Runner add_images_command(CLI::App& app) {
  auto o = std::make_shared<ImagesOptions>();
  auto* images = app.add_subcommand("images", "Disk image files (raw, E01, VMDK, VHD)");
  images->require_subcommand(1);
  auto* ls = images->add_subcommand("ls", "List the partitions, file systems and installations a scan would see");
  ls->add_option("IMAGE", o->images, "Disk image file")->required();
  ls->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  ls->add_flag("--verify-image", o->verify,
               "Read each image whole against the digests it stores (E01's "
               "MD5/SHA-1); exit 2 unless they match");
  return [=] { return *ls ? run_images_ls(*o) : -1; };
}

}  // namespace hfa::cli
