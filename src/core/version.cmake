# Writes version.cpp with the current git commit ("-dirty" when the tree has
# uncommitted changes). Runs at every build, rewriting the file only when it changes.
#   cmake -DSOURCE_DIR=... -DINPUT=version.cpp.in -DOUTPUT=.../version.cpp -DPROJECT_VERSION=x.y.z -P version.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE BONESIM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR BONESIM_GIT_COMMIT STREQUAL "")
  set(BONESIM_GIT_COMMIT "unknown")
else()
  execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY ${SOURCE_DIR}
                  RESULT_VARIABLE dirty ERROR_QUIET)
  if(NOT dirty EQUAL 0)
    string(APPEND BONESIM_GIT_COMMIT "-dirty")
  endif()
endif()
configure_file(${INPUT} ${OUTPUT} @ONLY)
