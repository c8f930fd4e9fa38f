# Finds cuDNN 9: the header cudnn.h, the library libcudnn and the version from
# cudnn_version.h. Defines the imported target CUDNN::cudnn and CUDNN_VERSION.
# Looks beside the CUDA toolkit first; CUDNN_ROOT points elsewhere.
set(_cudnn_hints ${CUDNN_ROOT} $ENV{CUDNN_ROOT})
if(CUDAToolkit_INCLUDE_DIRS)
  list(APPEND _cudnn_hints ${CUDAToolkit_INCLUDE_DIRS}/..)
endif()
if(CUDAToolkit_LIBRARY_DIR)
  list(APPEND _cudnn_hints ${CUDAToolkit_LIBRARY_DIR}/..)
endif()
find_path(CUDNN_INCLUDE_DIR cudnn.h HINTS ${_cudnn_hints} PATH_SUFFIXES include)
# PyPI's nvidia-cudnn-cu13 ships only the versioned libcudnn.so.9.
find_library(CUDNN_LIBRARY NAMES cudnn libcudnn.so.9 NAMES_PER_DIR HINTS ${_cudnn_hints} PATH_SUFFIXES lib64 lib lib/x64)
unset(_cudnn_hints)

if(CUDNN_INCLUDE_DIR AND EXISTS "${CUDNN_INCLUDE_DIR}/cudnn_version.h")
  file(STRINGS "${CUDNN_INCLUDE_DIR}/cudnn_version.h" _cudnn_defines
    REGEX "^#define CUDNN_(MAJOR|MINOR|PATCHLEVEL) +[0-9]+")
  foreach(part MAJOR MINOR PATCHLEVEL)
    string(REGEX REPLACE ".*#define CUDNN_${part} +([0-9]+).*" "\\1" CUDNN_VERSION_${part} "${_cudnn_defines}")
  endforeach()
  set(CUDNN_VERSION "${CUDNN_VERSION_MAJOR}.${CUDNN_VERSION_MINOR}.${CUDNN_VERSION_PATCHLEVEL}")
  unset(_cudnn_defines)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CUDNN
  REQUIRED_VARS CUDNN_LIBRARY CUDNN_INCLUDE_DIR CUDNN_VERSION
  VERSION_VAR CUDNN_VERSION
  REASON_FAILURE_MESSAGE "libnn needs cuDNN 9 beside the CUDA toolkit or under CUDNN_ROOT")
if(CUDNN_FOUND AND NOT CUDNN_VERSION_MAJOR EQUAL 9)
  set(CUDNN_FOUND FALSE)
  set(_cudnn_message "found cuDNN ${CUDNN_VERSION} at ${CUDNN_INCLUDE_DIR}, but libnn needs major version 9")
  if(CUDNN_FIND_REQUIRED)
    message(FATAL_ERROR "${_cudnn_message}")
  elseif(NOT CUDNN_FIND_QUIETLY)
    message(STATUS "${_cudnn_message}")
  endif()
  unset(_cudnn_message)
endif()

if(CUDNN_FOUND AND NOT TARGET CUDNN::cudnn)
  add_library(CUDNN::cudnn UNKNOWN IMPORTED)
  set_target_properties(CUDNN::cudnn PROPERTIES
    IMPORTED_LOCATION "${CUDNN_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CUDNN_INCLUDE_DIR}")
endif()
mark_as_advanced(CUDNN_INCLUDE_DIR CUDNN_LIBRARY)
