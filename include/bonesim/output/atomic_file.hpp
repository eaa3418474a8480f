// Files that are either absent, complete old, or complete new: never half written.
#pragma once

#include <filesystem>
#include <string_view>

namespace bonesim {

// Writes `content` to a temporary file beside `path`, flushes it to disk and renames
// it over `path`. Throws OutputError naming the file and the system's reason (e.g.
// "No space left on device"); `path` is untouched on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Creates `dir` (and parents) if needed and checks that files can be created in it.
// Throws OutputError naming the directory and the reason.
void prepare_output_directory(const std::filesystem::path& dir);

}  // namespace bonesim
