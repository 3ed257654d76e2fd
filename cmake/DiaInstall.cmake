# `cmake --install` puts the `dia` binary in bin/, the static libraries in lib/, the public
# headers in include/dia/ and a CMake package in lib/cmake/dia/, so that a C++ project writes
# find_package(dia) and links dia::dia. `cpack` (from the build directory) makes the Debian package.
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
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "libboost-dev, libexpected-dev, libfmt-dev, nlohmann-json3-dev, libtbb-dev, coinor-libclp-dev, libsqlite3-dev, libpqxx-dev, libssl-dev, pkg-config")
include(CPack)
