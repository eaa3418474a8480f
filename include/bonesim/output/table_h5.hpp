// A table as an HDF5 file: one 1-D dataset per column under a group, numbers as float64,
// text as variable-length UTF-8 strings, in column order (sweep summaries,
// docs/SWEEPS.md). Written to a temporary file and renamed into place.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace bonesim {

struct TableColumn {
  std::string name;
  std::vector<double> numbers;    // used when `text` is empty
  std::vector<std::string> text;  // a text column
};

// Writes /<group>/<column> for every group of (name, columns). Throws OutputError naming
// the file.
void write_table_h5(const std::filesystem::path& path,
                    const std::vector<std::pair<std::string, std::vector<TableColumn>>>& groups);

}  // namespace bonesim
