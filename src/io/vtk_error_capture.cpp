#include "vtk_error_capture.hpp"

#include <vtkLogger.h>
#include <vtkObject.h>
#include <vtk_loguru.h>

#include <algorithm>
#include <iostream>

namespace bonesim::detail {

std::string vtk_error_one_line(const std::string& text, LineIndent indent) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (indent == LineIndent::kStrip) {
      line.erase(0, std::min(line.size(), line.find_first_not_of(" \t")));
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || line.rfind("ERROR: In ", 0) == 0) continue;
    const auto tag = line.find("): ");
    if (line.rfind("vtk", 0) == 0 && tag != std::string::npos) line = line.substr(tag + 3);
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

VtkErrorCapture::VtkErrorCapture(CerrCapture cerr_capture)
    : lock_(mutex()),
      previous_window_(vtkOutputWindow::GetInstance()),
      previous_display_(vtkObject::GetGlobalWarningDisplay()),
      previous_stderr_verbosity_(vtkloguru::g_stderr_verbosity),
      capture_cerr_(cerr_capture == CerrCapture::kCapture) {
  if (capture_cerr_) previous_cerr_ = std::cerr.rdbuf(cerr_text_.rdbuf());
  vtkLogger::SetStderrVerbosity(vtkLogger::VERBOSITY_OFF);
  vtkOutputWindow::SetInstance(window_);
  vtkObject::GlobalWarningDisplayOn();  // errors reach observers only when display is on
}

VtkErrorCapture::~VtkErrorCapture() {
  if (capture_cerr_) std::cerr.rdbuf(previous_cerr_);
  vtkObject::SetGlobalWarningDisplay(previous_display_);
  vtkOutputWindow::SetInstance(previous_window_);
  vtkLogger::SetStderrVerbosity(vtkLogger::ConvertToVerbosity(previous_stderr_verbosity_));
}

std::string VtkErrorCapture::first_error(const VtkErrorObserver& observer,
                                         LineIndent indent) const {
  std::vector<std::string> all = observer.errors;
  all.insert(all.end(), window_->errors.begin(), window_->errors.end());
  return all.empty() ? std::string() : vtk_error_one_line(all.front(), indent);
}

std::mutex& VtkErrorCapture::mutex() {
  static std::mutex m;
  return m;
}

}  // namespace bonesim::detail
