// The version of dia, printed by `dia --version`, carried by every JSON output ("dia_version")
// and Python's dia.__version__. CMakeLists.txt reads it from here: this is its only source.
#pragma once

namespace dia {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace dia
