# Debian's libsoci-dev ships no CMake package: wrap its libraries as imported targets.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIB soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIB soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIB soci_postgresql REQUIRED)
add_library(soci::core UNKNOWN IMPORTED)
set_target_properties(soci::core PROPERTIES IMPORTED_LOCATION ${SOCI_CORE_LIB}
                      INTERFACE_INCLUDE_DIRECTORIES ${SOCI_INCLUDE_DIR}
                      INTERFACE_LINK_LIBRARIES ${CMAKE_DL_LIBS})
add_library(soci::sqlite3 UNKNOWN IMPORTED)
set_target_properties(soci::sqlite3 PROPERTIES IMPORTED_LOCATION ${SOCI_SQLITE3_LIB}
                      INTERFACE_LINK_LIBRARIES "soci::core;PkgConfig::SQLITE3")
add_library(soci::postgresql UNKNOWN IMPORTED)
set_target_properties(soci::postgresql PROPERTIES IMPORTED_LOCATION ${SOCI_POSTGRESQL_LIB}
                      INTERFACE_LINK_LIBRARIES "soci::core;PkgConfig::LIBPQ")
