#include "auth/TokenProvider.h"
