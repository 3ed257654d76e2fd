# `cmake --install` puts the `dia` binary in bin/, the static libraries in LIBDIR, the public
# headers in include/dia/ and a CMake package in LIBDIR/cmake/dia/, so that a C++ project writes
# find_package(dia) and links dia::dia. `cpack` (from the build directory) makes the Debian package.
#
# LIBDIR: Debian puts libraries in lib/<multiarch> (lib/x86_64-linux-gnu). GNUInstallDirs picks it
# only when the tree is configured with CMAKE_INSTALL_PREFIX=/usr, but cpack installs into /usr
# whatever prefix the tree was configured with, so the package put them in /usr/lib. On a multiarch
# system LIBDIR is therefore lib/<multiarch> for every prefix (find_package searches
# <prefix>/lib/<multiarch>/cmake too); -DCMAKE_INSTALL_LIBDIR=... still overrides it.
if(CMAKE_LIBRARY_ARCHITECTURE AND NOT DEFINED CACHE{CMAKE_INSTALL_LIBDIR})
  set(CMAKE_INSTALL_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}"
      CACHE PATH "Object code libraries (lib/<multiarch> on Debian)")
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DIA_LIBRARIES dia dia_simulation dia_service dia_ledger dia_report dia_implementation
                  dia_solvers dia_lp dia_sweep dia_audit dia_mechanisms dia_distributions)
install(TARGETS dia_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${DIA_LIBRARIES} EXPORT diaTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dia ${PROJECT_SOURCE_DIR}/src/simulation/include/dia
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(DIA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/dia)
install(EXPORT diaTargets NAMESPACE dia:: DESTINATION ${DIA_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/diaConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/diaConfig.cmake INSTALL_DESTINATION ${DIA_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/diaConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/diaConfig.cmake ${PROJECT_BINARY_DIR}/diaConfigVersion.cmake
        DESTINATION ${DIA_CMAKE_DIR})

# The Debian package: dpkg-shlibdeps finds the binary's runtime libraries; building against the
# headers and static libraries needs the -dev packages, recommended rather than required.
# Small whatever the build type (from a RelWithDebInfo tree: 108 MB -> 5.4 MB): the binary's debug
# info goes to an optional dia-dbgsym .ddeb, and the static libraries keep their symbols but not
# their debug info (cmake/DiaPackageStrip.cmake, run by cpack on the staged files).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dia)
set(CPACK_PACKAGE_VENDOR dia)
set(CPACK_PACKAGE_CONTACT "dia maintainers <dia@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Auctions with deferred inspection and reward: the dia CLI, dia serve and the C++ library")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/DiaPackageStrip.cmake)
set(CPACK_DIA_STRIP ${CMAKE_STRIP})  # CPACK_* variables reach the script through CPackConfig
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "libboost-dev, libexpected-dev, libfmt-dev, nlohmann-json3-dev, libtbb-dev, coinor-libclp-dev, libsqlite3-dev, libpqxx-dev, libssl-dev, pkg-config")
include(CPack)
