// Replaces Debian's /usr/include/soci/soci-config.h (found first on the include path).
//
// Debian builds libsoci with Boost support and says so in soci-config.h, but libsoci-dev does not
// depend on the Boost headers, so any file including <soci/soci.h> fails without libboost-dev.
// We exchange no Boost types; the macros below only switch header-only templates for them, and
// the compiled library is the same either way. Everything else matches Debian's 4.0.3 file.

#ifndef SOCICONFIG_H_INCLUDED
#define SOCICONFIG_H_INCLUDED

/* #undef SOCI_HAVE_BOOST */
/* #undef SOCI_HAVE_BOOST_DATE_TIME */
#define SOCI_HAVE_CXX11
#define SOCI_HAVE_FIREBIRD
#define SOCI_HAVE_MYSQL
#define SOCI_HAVE_ODBC
#define SOCI_HAVE_POSTGRESQL
#define SOCI_HAVE_SQLITE3
#define SOCI_HAVE_VISIBILITY_SUPPORT

#endif  // SOCICONFIG_H_INCLUDED
