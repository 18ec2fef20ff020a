// PostgreSQL's reference client library (Debian's libpq-dev), for the PostgreSQL store.
#include <libpq-fe.h>
