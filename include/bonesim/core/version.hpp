#pragma once

namespace bonesim {
const char* version();     // semantic version of this build, e.g. "0.1.0"
const char* git_commit();  // short commit hash at configure time, or "unknown"
}  // namespace bonesim
