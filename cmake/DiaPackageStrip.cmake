# Run by cpack (CPACK_PRE_BUILD_SCRIPTS) on the staged files before they are packaged: the static
# libraries lose their debug info (strip --strip-debug keeps the symbols a consumer links against).
# The binary's debug info is handled by CPACK_DEBIAN_DEBUGINFO_PACKAGE (the dia-dbgsym package).
if(NOT CPACK_DIA_STRIP)
  message(FATAL_ERROR "DiaPackageStrip: no strip program (CMAKE_STRIP) was found at configure time")
endif()
file(GLOB_RECURSE archives "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*.a")
foreach(archive IN LISTS archives)
  execute_process(COMMAND "${CPACK_DIA_STRIP}" --strip-debug "${archive}" RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "DiaPackageStrip: strip --strip-debug failed on ${archive}")
  endif()
endforeach()
