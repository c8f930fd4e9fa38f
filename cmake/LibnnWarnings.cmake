# libnn_target_defaults(target): C++20, warnings as errors and the optional
# sanitizers, applied per target so consumers of libnn inherit none of it.
function(libnn_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Werror>
    # GCC 12 reports false -Wrestrict overlaps inside std::string's operator+
    # at -O2 and above (GCC bug 105329, fixed in 13).
    $<$<AND:$<COMPILE_LANG_AND_ID:CXX,GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
  if(LIBNN_SANITIZE)
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${LIBNN_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all>)
    target_link_options(${target} PRIVATE -fsanitize=${LIBNN_SANITIZE})
  endif()
endfunction()
