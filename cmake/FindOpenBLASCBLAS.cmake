# Finds OpenBLAS with its CBLAS interface (Debian: libopenblas-dev) and
# defines the imported target OpenBLAS::CBLAS.
find_path(OpenBLASCBLAS_INCLUDE_DIR cblas.h
  PATH_SUFFIXES openblas-pthread openblas-openmp openblas x86_64-linux-gnu/openblas-pthread)
find_library(OpenBLASCBLAS_LIBRARY NAMES openblas PATH_SUFFIXES openblas-pthread openblas-openmp)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenBLASCBLAS
  REQUIRED_VARS OpenBLASCBLAS_LIBRARY OpenBLASCBLAS_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "install Debian's libopenblas-dev (cmake/setup.sh does)")
if(OpenBLASCBLAS_FOUND AND NOT TARGET OpenBLAS::CBLAS)
  add_library(OpenBLAS::CBLAS UNKNOWN IMPORTED)
  set_target_properties(OpenBLAS::CBLAS PROPERTIES
    IMPORTED_LOCATION "${OpenBLASCBLAS_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OpenBLASCBLAS_INCLUDE_DIR}")
endif()
mark_as_advanced(OpenBLASCBLAS_INCLUDE_DIR OpenBLASCBLAS_LIBRARY)
