// Capturing VTK's error reports (private to bonesim_io; built only with VTK). VTK
// reports failures through vtkCommand::ErrorEvent or its process-wide output window
// and never throws; its logger (loguru) also echoes errors to stderr. Used by the
// image readers (src/io/image_vtk.cpp) and the snapshot writer (src/output/vtk_xml.cpp)
// to turn them into one exception and keep the terminal clean.
#pragma once

#include <vtkCommand.h>
#include <vtkNew.h>
#include <vtkOutputWindow.h>
#include <vtkSmartPointer.h>

#include <iosfwd>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace bonesim::detail {

// Keeps VTK's error text instead of printing it. (No vtkTypeMacro/vtkStandardNewMacro:
// their trailing semicolons trip -Wpedantic and clang-format.)
class CapturingOutputWindow : public vtkOutputWindow {
 public:
  static CapturingOutputWindow* New() {
    auto* w = new CapturingOutputWindow;
    w->InitializeObjectBase();
    return w;
  }
  void DisplayText(const char*) override {}
  void DisplayErrorText(const char* text) override { errors.emplace_back(text ? text : ""); }
  void DisplayWarningText(const char*) override {}
  void DisplayGenericWarningText(const char*) override {}
  void DisplayDebugText(const char*) override {}
  std::vector<std::string> errors;
};

// Keeps the errors one VTK object reports through vtkCommand::ErrorEvent.
class VtkErrorObserver : public vtkCommand {
 public:
  static VtkErrorObserver* New() { return new VtkErrorObserver; }
  void Execute(vtkObject*, unsigned long, void* call_data) override {
    errors.emplace_back(call_data ? static_cast<const char*>(call_data) : "");
  }
  std::vector<std::string> errors;
};

// Whether VtkErrorCapture also captures std::cerr (MetaIO prints its errors there).
enum class CerrCapture { kLeave, kCapture };

// Whether vtk_error_one_line() drops the leading blanks of each line.
enum class LineIndent { kKeep, kStrip };

// VTK's "ERROR: In file.cxx, line N\nvtkClass (0x...): message\n\n" as "message";
// several remaining lines are joined with "; ".
std::string vtk_error_one_line(const std::string& text, LineIndent indent);

// While alive, VTK's output window (and, if asked, std::cerr) is captured and VTK's
// logger (loguru, which also echoes errors of objects without an ErrorEvent observer
// to stderr) is quiet. All of these are process-wide, so every VTK read and write of
// the process is serialised by one mutex while a capture is alive.
class VtkErrorCapture {
 public:
  explicit VtkErrorCapture(CerrCapture cerr_capture);
  ~VtkErrorCapture();
  VtkErrorCapture(const VtkErrorCapture&) = delete;
  VtkErrorCapture& operator=(const VtkErrorCapture&) = delete;

  // The errors the output window saw.
  std::vector<std::string> errors() const { return window_->errors; }
  // What was written to std::cerr ("" unless CerrCapture::kCapture).
  std::string cerr_text() const { return cerr_text_.str(); }
  // The first error the observer or the output window saw, on one line; "" if none.
  std::string first_error(const VtkErrorObserver& observer, LineIndent indent) const;

 private:
  static std::mutex& mutex();

  std::lock_guard<std::mutex> lock_;
  vtkSmartPointer<vtkOutputWindow> previous_window_;  // SetInstance releases the old one
  int previous_display_;
  int previous_stderr_verbosity_;
  bool capture_cerr_;
  std::ostringstream cerr_text_;
  std::streambuf* previous_cerr_ = nullptr;
  vtkNew<CapturingOutputWindow> window_;
};

}  // namespace bonesim::detail
