// Files that are either absent, complete old, or complete new: never half written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace bonesim {

// Writes `content` to a temporary file beside `path`, flushes it to disk and renames
// it over `path`. Throws OutputError naming the file and the system's reason (e.g.
// "No space left on device"); `path` is untouched on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Throws OutputError ("<path>: cannot write: No space left on device (...)" or "File
// too large") unless a file of `bytes` fits beside `path`: on its file system and
// under the process's file-size limit. Checked before HDF5 writes, because HDF5 1.10
// cannot cleanly abandon a file whose write failed part-way.
void ensure_space_for(const std::filesystem::path& path, std::uintmax_t bytes);

// Creates `dir` (and parents) if needed and checks that files can be created in it.
// Throws OutputError naming the directory and the reason.
void prepare_output_directory(const std::filesystem::path& dir);

}  // namespace bonesim
