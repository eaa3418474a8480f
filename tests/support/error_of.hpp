// The message of the InputError a piece of test code throws.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "bonesim/core/error.hpp"

namespace bonesim::testing_support {

// Runs fn and returns the message of the InputError it throws, or "(no exception)".
template <class F>
std::string error_of(F&& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no exception)";
}

// As error_of, and a test failure if anything reaches stderr meanwhile (readers must
// report through the exception only, with no library noise).
template <class F>
std::string quiet_error_of(F&& fn) {
  ::testing::internal::CaptureStderr();
  std::string what = "(no exception)";
  try {
    fn();
  } catch (const InputError& e) {
    what = e.what();
  }
  const std::string noise = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(noise, "") << "stderr noise for: " << what;
  return what;
}

}  // namespace bonesim::testing_support
