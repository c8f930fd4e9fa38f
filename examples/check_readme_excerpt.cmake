# cmake -DREADME=<README.md> -DPROGRAM=<using_libnn.cpp> -P check_readme_excerpt.cmake
# Fails unless README contains PROGRAM's code (everything after its leading
# comment), so the README's "Using libnn" program stays the compiled one.
file(READ ${PROGRAM} program)
string(REGEX REPLACE "^(//[^\n]*\n)+" "" code "${program}")
file(READ ${README} readme)
string(FIND "${readme}" "${code}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "${README} does not show the code of ${PROGRAM}; copy it into the \"Using libnn\" section")
endif()
